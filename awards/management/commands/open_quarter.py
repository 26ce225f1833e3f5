"""``manage.py open_quarter [--year Y --quarter Q] [--lead-days N]``: create a quarter's pair of projects.

Without arguments: the quarter taking nominations today (Beijing time) and,
once its opening is within ``--lead-days`` (default 14), the next one. A
periodic job (run_periodic, Celery beat ``awards.tasks.open_quarter``);
idempotent, so running it every hour changes nothing once the projects exist.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from awards.services.projects import LEAD_DAYS, open_due_quarters, open_quarter


class Command(BaseCommand):
    help = "创建季度推优项目（机构类、个人类）；可重复运行。Create a quarter's pair of NRTA projects (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--quarter", type=int, choices=(1, 2, 3, 4))
        parser.add_argument("--lead-days", type=int, default=LEAD_DAYS)

    def handle(self, *args, year=None, quarter=None, lead_days=LEAD_DAYS, **options):
        if (year is None) != (quarter is None):
            raise CommandError("--year and --quarter go together")
        if year is not None:
            projects, created = open_quarter(year, quarter)
        else:
            projects, created = open_due_quarters(lead_days=lead_days)
        labels = ", ".join(f"{p.quarter_label} {p.kind}" for p in projects)
        self.stdout.write(f"open_quarter: {labels}; created {created}")
