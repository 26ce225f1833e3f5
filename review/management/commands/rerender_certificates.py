"""manage.py rerender_certificates [--kind KIND] (--stale | --all): PDFs again, same numbers and tokens."""

from django.core.management.base import BaseCommand, CommandError

from review.certificates.lookup import verify_url_of
from review.certificates.rerender import rerender, stale_certificates
from review.models import Certificate


class Command(BaseCommand):
    help = "Render stored certificate PDFs again (same number, same token) so their QR codes encode SITE_URL."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", default=[], help="only this kind (e.g. filing.domestic)")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--stale", action="store_true", help="only PDFs encoding another address (default)")
        which.add_argument("--all", action="store_true", help="every stored PDF")

    def handle(self, *args, kind, stale, all, **options):
        queryset = Certificate.objects.exclude(pdf="")
        if kind:
            queryset = queryset.filter(kind__in=kind)
        if not all:
            queryset = stale_certificates(queryset)
        try:
            count = rerender(queryset)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} certificate PDF(s) rendered for {verify_url_of('<token>')}")
