from django.core.management.base import BaseCommand

from review.certificates import sweep


class Command(BaseCommand):
    help = (
        "重新排队缺少PDF的证照和缺少证照的已通过申请。"
        " Re-queue certificates lacking a PDF and approved subjects lacking a certificate; run periodically."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age",
            type=int,
            default=120,
            metavar="SECONDS",
            help="only touch rows older than this (work in flight is left alone; default 120)",
        )

    def handle(self, *args, min_age: int, **options):
        result = sweep(min_age_seconds=min_age)
        self.stdout.write(f"rendering {result['rendering']}, issued {result['issued']}, cleaned {result['cleaned']}")
