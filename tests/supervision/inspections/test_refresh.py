"""The refresh job: which programmes become cases, idempotence, closing on approval, notifications once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from filings.enums import FilingKind, FilingState
from review.engine import perform
from review.models import Message
from review.outbox.dispatch import dispatch_pending
from supervision.inspections.enums import CaseKind, CaseStatus, EventKind
from supervision.inspections.models import CaseEvent, InspectionCase
from supervision.inspections.refresh import refresh

from .conftest import programme

pytestmark = pytest.mark.django_db


def test_refresh_opens_overdue_and_unapproved_cases_once(settings, hunan_unit, beijing_unit, hunan_official):
    overdue = programme(hunan_unit, days_ago=31, name="逾期的国产节目")
    programme(hunan_unit, days_ago=29, name="未到期的国产节目")
    programme(hunan_unit, days_ago=60, state=FilingState.APPROVED, name="已备案的国产节目")
    started = programme(hunan_unit, days_ago=1, kind=FilingKind.IMPORT, name="已开演的进口节目")
    programme(hunan_unit, days_ago=-3, kind=FilingKind.IMPORT, name="未开演的进口节目")
    beijing = programme(beijing_unit, days_ago=45, state=FilingState.SUBMITTED, name="北京的逾期节目")

    first = refresh()
    assert first.opened == 3
    cases = {c.programme_name: c for c in InspectionCase.objects.all()}
    assert set(cases) == {"逾期的国产节目", "已开演的进口节目", "北京的逾期节目"}
    assert cases["逾期的国产节目"].kind == CaseKind.OVERDUE and cases["逾期的国产节目"].filing == overdue
    assert cases["已开演的进口节目"].kind == CaseKind.UNAPPROVED and cases["已开演的进口节目"].filing == started
    assert cases["北京的逾期节目"].province == "110000" and cases["北京的逾期节目"].filing == beijing
    assert cases["逾期的国产节目"].province == "430000" and cases["逾期的国产节目"].status == CaseStatus.PENDING
    assert cases["逾期的国产节目"].unit_name == "湖南逾期文化传媒有限公司"
    assert CaseEvent.objects.filter(kind=EventKind.CREATED, actor_name="系统").count() == 3

    again = refresh()
    call_command("refresh_inspections", stdout=open("/dev/null", "w"))
    assert again.opened == 0 and again.notified == 0
    assert InspectionCase.objects.count() == 3
    assert CaseEvent.objects.count() == 3


def test_setting_days_decide_overdue(settings, hunan_unit):
    programme(hunan_unit, days_ago=40, name="四十天前开演")
    settings.FILINGS_DOMESTIC_FILING_DAYS = 60
    assert refresh().opened == 0
    settings.FILINGS_DOMESTIC_FILING_DAYS = 30
    assert refresh().opened == 1


def test_draft_never_submitted_takes_the_units_province(hunan_unit):
    filing = programme(hunan_unit, days_ago=35)
    filing.province = ""
    filing.save(update_fields=["province"])
    refresh()
    assert InspectionCase.objects.get().province == "430000"


def test_case_closes_itself_when_the_programme_is_approved(
    hunan_unit, hunan_official, django_capture_on_commit_callbacks
):
    filing = programme(hunan_unit, days_ago=35, state=FilingState.REVIEWING)
    refresh()
    case = InspectionCase.objects.get()
    assert case.status == CaseStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        perform(filing, "approve", actor=hunan_official)
    case.refresh_from_db()
    assert case.status == CaseStatus.HANDLED and case.closed_at is not None
    event = case.events.order_by("at", "pk").last()
    assert (event.kind, event.status_from, event.status_to, event.actor_name) == (
        EventKind.APPROVED,
        CaseStatus.PENDING,
        CaseStatus.HANDLED,
        "系统",
    )
    # the refresh does not reopen it nor open a second one
    assert refresh().opened == 0 and refresh().closed == 0
    assert InspectionCase.objects.count() == 1


def test_refresh_closes_cases_approved_behind_its_back(hunan_unit):
    filing = programme(hunan_unit, days_ago=35, state=FilingState.REVIEWING)
    refresh()
    # approved while the signal was not heard (e.g. a worker died after commit)
    type(filing).objects.filter(pk=filing.pk).update(
        state=FilingState.APPROVED, decided_at=timezone.now(), current_version=filing.application_version
    )
    assert refresh().closed == 1
    assert InspectionCase.objects.get().status == CaseStatus.HANDLED


def _official_messages(user):
    dispatch_pending()
    return list(Message.objects.filter(recipient=user).order_by("pk").values_list("title", "body"))


def test_officials_of_the_province_are_told_once_per_refresh(
    hunan_unit, beijing_unit, hunan_official, hunan_colleague, beijing_official, mct_ministry, nrta_hunan
):
    programme(hunan_unit, days_ago=31)
    programme(hunan_unit, days_ago=50)
    programme(hunan_unit, days_ago=2, kind=FilingKind.IMPORT)
    result = refresh()
    assert result.notified == 1  # Hunan only (Beijing has no case)
    for user in (hunan_official, hunan_colleague):
        assert _official_messages(user) == [
            (
                "日常巡查：新增 3 件待处理事项",
                "湖南省新增巡查事项：逾期未备案 2 件，未经批准擅自提供 1 件。请在“日常巡查”中核实并处置。",
            )
        ]
    assert _official_messages(beijing_official) == [] and _official_messages(nrta_hunan) == []
    assert _official_messages(mct_ministry) == []
    # a second refresh says nothing; a new case next time gives one more message
    assert refresh().notified == 0
    programme(beijing_unit, days_ago=33)
    programme(hunan_unit, days_ago=40)
    assert refresh().notified == 2
    assert [t for t, _b in _official_messages(hunan_official)] == [
        "日常巡查：新增 3 件待处理事项",
        "日常巡查：新增 1 件待处理事项",
    ]
    assert [t for t, _b in _official_messages(beijing_official)] == ["日常巡查：新增 1 件待处理事项"]
    assert InspectionCase.objects.filter(notified_at__isnull=True).count() == 0


def test_candidates_are_queried_in_bulk(hunan_unit, django_assert_max_num_queries):
    for days in (31, 32, 33):
        programme(hunan_unit, days_ago=days)
    few = _count_queries(django_assert_max_num_queries)
    for days in range(34, 54):
        programme(hunan_unit, days_ago=days)
    InspectionCase.objects.all().delete()
    many = _count_queries(django_assert_max_num_queries)
    assert few == many


def _count_queries(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        refresh(now=timezone.now() + timedelta(days=400))  # no reminders due then: only the cases
    return len(ctx.captured_queries)
