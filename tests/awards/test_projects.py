"""open_quarter: the pair of projects of a quarter, idempotent; the periodic job."""

from datetime import date, datetime
from io import StringIO

from django.conf import settings
from django.core.management import call_command

from awards.calendar import BEIJING
from awards.models import Project
from awards.services.projects import due_quarters, open_due_quarters, open_quarter
from awards.tasks import open_quarter as open_quarter_task
from portal.management.commands import run_periodic


def test_open_quarter_creates_the_pair_with_calendar_dates(db):
    projects, created = open_quarter(2028, 1)

    assert created == 2
    assert [(p.kind, p.title) for p in projects] == [
        ("institution", "2028年第一季度网络视听节目季度推优（机构类）"),
        ("individual", "2028年第一季度网络视听节目季度推优（个人类）"),
    ]
    p = projects[0]
    assert (p.window_start, p.window_end, p.applicant_deadline, p.provincial_deadline) == (
        date(2027, 12, 1),
        date(2028, 2, 29),
        date(2028, 3, 15),
        date(2028, 3, 31),
    )
    assert p.opens_at == datetime(2027, 12, 16, 0, 0, tzinfo=BEIJING)


def test_open_quarter_is_idempotent_and_keeps_staff_edits(db):
    projects, _ = open_quarter(2026, 3)
    Project.objects.filter(pk=projects[0].pk).update(title="工作人员修改的标题")

    again, created = open_quarter(2026, 3)

    assert created == 0
    assert [p.pk for p in again] == [p.pk for p in projects]
    assert Project.objects.count() == 2
    assert Project.objects.get(pk=projects[0].pk).title == "工作人员修改的标题"


def test_due_quarters_adds_the_next_one_within_lead_days():
    assert due_quarters(date(2026, 6, 2)) == [(2026, 2), (2026, 3)]  # Q3 opens 06-16, 14 days later
    assert due_quarters(date(2026, 5, 31), lead_days=14) == [(2026, 2)]
    assert due_quarters(date(2026, 6, 2), lead_days=14) == [(2026, 2), (2026, 3)]
    assert due_quarters(date(2026, 12, 16)) == [(2027, 1)]


def test_open_due_quarters_today_contains_an_open_window(db):
    projects, created = open_due_quarters(today=date(2026, 12, 2))

    assert created == 4
    assert sorted({p.quarter_label for p in projects}) == ["2026Q4", "2027Q1"]


def test_open_quarter_command_and_task(db):
    out = StringIO()
    call_command("open_quarter", "--year", "2026", "--quarter", "4", stdout=out)
    call_command("open_quarter", stdout=out)  # 2026-06-01: Q2 (Q3 opens in 15 days: not yet)

    assert out.getvalue().splitlines() == [
        "open_quarter: 2026Q4 institution, 2026Q4 individual; created 2",
        "open_quarter: 2026Q2 institution, 2026Q2 individual; created 2",
    ]
    assert open_quarter_task.apply(kwargs={}).get() == 0


def test_open_quarter_is_a_periodic_job_and_a_beat_task():
    assert "open_quarter" in run_periodic.available_jobs()
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert open_quarter_task.name == "awards.tasks.open_quarter" and open_quarter_task.name in beat
