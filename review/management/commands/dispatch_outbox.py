from django.core.management.base import BaseCommand

from review.outbox import dispatch_pending


class Command(BaseCommand):
    help = "Dispatch pending outbox events (notifications, certificates); run periodically."

    def handle(self, *args, **options):
        done = dispatch_pending()
        self.stdout.write(f"dispatched {done}")
