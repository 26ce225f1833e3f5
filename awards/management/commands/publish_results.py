from django.core.management.base import BaseCommand

from awards.services.publication import publish_due


class Command(BaseCommand):
    help = "Publish the quarters whose 公示 has ended, as the system (periodic job); 入选 → 已公布 with certificates."

    def handle(self, *args, **options):
        result = publish_due()
        self.stdout.write(
            f"published {result['quarters']} quarter(s), {result['works']} work(s); "
            f"{result['waiting']} waiting for objections to be disposed of"
        )
