"""Deadline reminders: applicants with drafts, officials with works 待初审, 7 days and 1 day before; never twice."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command

from awards.calendar import BEIJING
from awards.models import ReminderSent
from awards.services.reminders import send_deadline_reminders, stage_for
from awards.tasks import send_deadline_reminders as reminder_task
from review.models import Message, OutboxEvent
from review.outbox import dispatch_pending

from .factories import InstitutionFactory, applicant, make_nomination, nrta_ministry, nrta_official
from .factories_review import recommend, submitted

pytestmark = pytest.mark.django_db


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=BEIJING)


def inbox(user) -> list[tuple[str, str]]:
    """The reminders in the user's message centre (not the other notices, e.g. of a submission)."""
    return list(
        Message.objects.filter(recipient=user, title__contains="即将截止").order_by("pk").values_list("title", "body")
    )


@pytest.fixture
def drafts(project, member):
    """Two drafts of the Hunan unit, one submitted work of another unit (no reminder for it)."""
    make_nomination(member, project, name="草稿一")
    make_nomination(member, project, name="草稿二")
    submitted(project, name="已申报的作品")
    return member


@pytest.mark.parametrize(("days_left", "stage"), [(9, None), (8, None), (7, 7), (2, 7), (1, 1), (0, 1), (-1, None)])
def test_which_reminder_is_due(days_left, stage):
    assert stage_for(days_left) == stage


def test_applicants_with_drafts_are_reminded_7_days_and_1_day_before(clock, drafts, project):
    other = applicant(InstitutionFactory())  # no draft: no reminder
    counts = []
    for moment in (at(6, 7), at(6, 8), at(6, 8, 20), at(6, 13), at(6, 14), at(6, 14, 23), at(6, 16)):
        clock.move_to(moment)
        counts.append(send_deadline_reminders()["applicants"])
        dispatch_pending()

    assert counts == [0, 1, 0, 0, 1, 0, 0]
    assert inbox(drafts) == [
        (
            f"推优申报即将截止：{project.title}",
            f"您有 2 件作品尚未申报。《{project.title}》申报将于 2026-06-15 23:59 截止，还剩 7 天，"
            "请在“我的申报 > 待提交”中完成填写并点击“申报”。",
        ),
        (
            f"推优申报即将截止：{project.title}",
            f"您有 2 件作品尚未申报。《{project.title}》申报将于 2026-06-15 23:59 截止，还剩 1 天，"
            "请在“我的申报 > 待提交”中完成填写并点击“申报”。",
        ),
    ]
    assert inbox(other) == []
    assert sorted(ReminderSent.objects.values_list("key", flat=True)) == sorted(
        [f"applicant:{project.pk}:{drafts.organisation_id}:7", f"applicant:{project.pk}:{drafts.organisation_id}:1"]
    )


def test_a_missed_day_is_caught_up_but_an_overtaken_reminder_is_not_sent(clock, drafts):
    clock.move_to(at(6, 10))  # the job did not run on 06-08: the 7-day reminder comes late
    first = send_deadline_reminders()
    clock.move_to(at(6, 15, 8))  # and not at all on 06-14: only the last one, on the deadline day
    second = send_deadline_reminders()
    dispatch_pending()

    assert (first["applicants"], second["applicants"]) == (1, 1)
    assert [body.split("，")[0] for _title, body in inbox(drafts)] == [
        "您有 2 件作品尚未申报。《2026年第2季度网络视听节目季度推优（机构类）》申报将于 2026-06-15 23:59 截止",
        "您有 2 件作品尚未申报。《2026年第2季度网络视听节目季度推优（机构类）》申报今天（2026-06-15）23:59 截止",
    ]


def test_officials_are_told_what_is_still_pending_and_the_quota_used(clock, project):
    hunan, beijing, ministry = nrta_official("430000"), nrta_official("110000"), nrta_ministry()
    works = [submitted(project, name=f"湖南作品{i}") for i in range(5)]
    for nomination in works[:3]:
        recommend(nomination, hunan)
    submitted(project, central=True, name="中央直属单位的作品")  # no provincial step: nobody reminded

    counts = []
    for moment in (at(6, 22), at(6, 23), at(6, 23, 18), at(6, 29), at(6, 30, 22), at(7, 1)):
        clock.move_to(moment)
        counts.append(send_deadline_reminders()["officials"])
        dispatch_pending()

    assert counts == [0, 1, 0, 1, 0, 0]
    assert inbox(hunan) == [
        (
            "推优初审即将截止：2026年第2季度",
            "2026年第2季度网络视听节目季度推优初审将于 2026-06-30 23:59 截止，还剩 7 天。"
            "湖南省尚有 2 件作品待初审，已推荐 3/10。截止后未审核的作品将按逾期未审处理。",
        ),
        (
            "推优初审即将截止：2026年第2季度",
            "2026年第2季度网络视听节目季度推优初审将于 2026-06-30 23:59 截止，还剩 1 天。"
            "湖南省尚有 2 件作品待初审，已推荐 3/10。截止后未审核的作品将按逾期未审处理。",
        ),
    ]
    assert inbox(beijing) == []  # nothing pending in Beijing
    assert inbox(ministry) == []


def test_the_command_and_the_task_are_idempotent(clock, drafts):
    clock.move_to(at(6, 8))
    before = OutboxEvent.objects.filter(topic="notify").count()
    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)
    again = reminder_task.apply().get()
    call_command("send_deadline_reminders", stdout=io.StringIO())

    assert out.getvalue().strip() == "reminders sent: applicants 1, officials 0"
    assert again == {"applicants": 0, "officials": 0}
    assert OutboxEvent.objects.filter(topic="notify").count() - before == 1
    assert ReminderSent.objects.count() == 1
