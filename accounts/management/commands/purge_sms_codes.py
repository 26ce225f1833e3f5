"""Delete SMS verification codes older than a week (periodic job)."""

from django.core.management.base import BaseCommand

from accounts.services.sms_codes import purge_expired


class Command(BaseCommand):
    help = "删除过期的短信验证码记录 / Delete SMS codes older than --days (default 7)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="keep codes younger than this many days")

    def handle(self, *args, days: int, **options):
        deleted = purge_expired(days=days)
        self.stdout.write(f"purge_sms_codes: deleted {deleted}")
