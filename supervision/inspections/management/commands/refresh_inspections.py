"""``manage.py refresh_inspections``: open the cases the filings call for, close the approved ones, notify."""

from django.core.management.base import BaseCommand

from supervision.inspections.refresh import refresh


class Command(BaseCommand):
    help = "日常巡查：按备案数据更新逾期未备案、未经批准擅自提供事项，通知省级审核人员，提醒申报单位。"

    def handle(self, *args, **options):
        result = refresh()
        self.stdout.write(
            "refresh_inspections: opened {opened}, closed {closed}, officials notified {notified}, "
            "applicant reminders {reminders}".format(**result.as_dict())
        )
