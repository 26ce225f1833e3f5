"""The applicant's warnings at the day boundaries (7 days, 1 day before the deadline, after it) on a frozen
clock: on 受理状态, in the editor, and as one 消息 per stage from the refresh job."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from filings import deadlines
from filings.enums import FilingKind, FilingState
from filings.models import Session
from review.models import Message
from review.outbox.dispatch import dispatch_pending
from supervision.inspections.models import ReminderSent
from supervision.inspections.refresh import send_reminders
from tests.filings.factories import make_filing

pytestmark = pytest.mark.django_db

FIRST = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)  # 20:00 Beijing time
DEADLINE = FIRST + timedelta(days=30)  # 2026-10-31 12:00 UTC
SECOND = timedelta(seconds=1)


@pytest.fixture
def draft(hunan_unit, hunan_member):
    filing = make_filing(organisation=hunan_unit, by=hunan_member, name="湘韵·网络民乐会")
    Session.objects.filter(version__filing=filing).update(starts_at=FIRST)
    return filing


@pytest.mark.parametrize(
    ("at", "stage"),
    [
        (DEADLINE - timedelta(days=7) - SECOND, None),
        (DEADLINE - timedelta(days=7), 7),
        (DEADLINE - timedelta(days=1) - SECOND, 7),
        (DEADLINE - timedelta(days=1), 1),
        (DEADLINE, 1),
        (DEADLINE + SECOND, 0),
    ],
)
def test_stage_at_the_boundaries(at, stage):
    assert deadlines.stage(DEADLINE, at).stage == stage


def _status(client, member, at):
    with time_machine.travel(at, tick=False):
        client.force_login(member)
        return client.get(reverse("filings:status")).content.decode()


def _editor(client, member, filing, at):
    with time_machine.travel(at, tick=False):
        client.force_login(member)
        return client.get(reverse("filings:edit", args=[filing.public_id])).content.decode()


def test_status_list_warns_7_and_1_days_before_and_after(client, hunan_member, draft):
    assert 'id="deadline-warnings"' not in _status(client, hunan_member, DEADLINE - timedelta(days=7) - SECOND)
    page = _status(client, hunan_member, DEADLINE - timedelta(days=7))
    assert 'data-stage="7"' in page and "备案期限 2026-10-31 20:00，距期限不足7天。" in page
    assert 'class="alert alert-warning"' in page
    page = _status(client, hunan_member, DEADLINE - timedelta(hours=23))
    assert 'data-stage="1"' in page and "距期限不足1天。" in page
    page = _status(client, hunan_member, DEADLINE + SECOND)
    assert 'data-stage="0"' in page and "已超过备案期限（2026-10-31），属于逾期备案，请尽快提交。" in page
    assert 'class="alert alert-danger"' in page
    assert reverse("filings:edit", args=[draft.public_id]) in page


def test_editor_warns_at_the_same_boundaries(client, hunan_member, draft):
    assert 'class="alert alert-info"' in _editor(client, hunan_member, draft, DEADLINE - timedelta(days=8))
    page = _editor(client, hunan_member, draft, DEADLINE - timedelta(days=6))
    assert "距期限不足7天，请尽快完成填写并提交。" in page and "alert-warning" in page
    page = _editor(client, hunan_member, draft, DEADLINE - timedelta(hours=2))
    assert "距期限不足1天，请尽快完成填写并提交。" in page
    page = _editor(client, hunan_member, draft, DEADLINE + timedelta(days=2))
    assert "首场演出已超过30天（备案期限 2026-10-31），属于逾期备案，请尽快提交。" in page and "alert-danger" in page


def test_no_warning_for_approved_imports_or_other_units(client, hunan_unit, hunan_member, beijing_unit):
    approved = make_filing(organisation=hunan_unit, by=hunan_member, state=FilingState.APPROVED, name="已备案节目")
    imported = make_filing(organisation=hunan_unit, by=hunan_member, kind=FilingKind.IMPORT, name="进口节目")
    other = make_filing(organisation=beijing_unit, name="北京单位的节目")
    Session.objects.filter(version__filing__in=[approved, imported, other]).update(starts_at=FIRST)
    page = _status(client, hunan_member, DEADLINE + SECOND)
    assert 'id="deadline-warnings"' not in page


def _titles(member):
    dispatch_pending()
    return list(Message.objects.filter(recipient=member).order_by("pk").values_list("title", flat=True))


def test_refresh_sends_one_message_per_stage(hunan_member, draft, hunan_unit):
    assert send_reminders(DEADLINE - timedelta(days=7) - SECOND) == 0
    assert send_reminders(DEADLINE - timedelta(days=7)) == 1
    assert send_reminders(DEADLINE - timedelta(days=5)) == 0  # same stage: not again
    assert send_reminders(DEADLINE - timedelta(hours=12)) == 1
    assert send_reminders(DEADLINE - timedelta(hours=1)) == 0
    assert send_reminders(DEADLINE + timedelta(hours=1)) == 1
    assert send_reminders(DEADLINE + timedelta(days=3)) == 0
    assert _titles(hunan_member) == [
        "备案期限将至：湘韵·网络民乐会",
        "备案期限将至：湘韵·网络民乐会",
        "备案已逾期：湘韵·网络民乐会",
    ]
    assert sorted(ReminderSent.objects.values_list("stage", flat=True)) == [0, 1, 7]
    body = Message.objects.filter(recipient=hunan_member).order_by("pk").first().body
    assert "应于 2026-10-31 20:00 前完成备案（首场演出后30天内），还剩不足 7 天。" in body


def test_a_late_first_run_sends_only_the_latest_stage(hunan_member, draft):
    assert send_reminders(DEADLINE - timedelta(hours=3)) == 1  # the 7-day one was overtaken
    assert ReminderSent.objects.get().stage == 1
    assert send_reminders(DEADLINE + timedelta(days=8)) == 0  # long overdue: the officials' case, no message


def test_approved_in_time_gets_no_reminder(hunan_member, draft):
    type(draft).objects.filter(pk=draft.pk).update(
        state=FilingState.APPROVED,
        submitted_at=FIRST,
        decided_at=FIRST,
        current_version=draft.application_version,
        ref_seq=1,
        ref_year=2026,
    )
    assert send_reminders(DEADLINE - timedelta(days=3)) == 0


def test_the_first_session_decides_not_a_later_one(hunan_member, draft):
    from filings.enums import SessionType

    Session.objects.create(
        version=draft.application_version,
        position=2,
        name="第二场",
        type=SessionType.LIVE,
        starts_at=FIRST + timedelta(days=20),
        url="https://live.example.cn/2",
    )
    # 3 days before the first session's deadline: stage 7 (the later session's deadline is weeks away)
    assert [f.pk for f in deadlines.due_for_reminder(7, DEADLINE - timedelta(days=3))] == [draft.pk]
    # when the later session's deadline is 3 days away, the programme is long overdue: no stage-7 reminder
    assert list(deadlines.due_for_reminder(7, DEADLINE + timedelta(days=17))) == []
    assert [f.first_session_at for f in deadlines.overdue_domestic(DEADLINE + SECOND)] == [FIRST]
