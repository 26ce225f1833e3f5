from django.core.management.base import BaseCommand

from awards.services.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Remind applicants of drafts and officials of 待初审 works 7 days and 1 day before the NRTA deadlines"
        " (periodic job; never the same reminder twice)."
    )

    def handle(self, *args, **options):
        result = send_deadline_reminders()
        self.stdout.write(f"reminders sent: applicants {result['applicants']}, officials {result['officials']}")
