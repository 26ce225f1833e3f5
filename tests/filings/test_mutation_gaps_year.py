"""Reference numbers and certificate numbers start again at 1 each year, by the Beijing calendar (issue 12).

A counter kept across years (the year left out of its key) passed every test:
none crossed 12-31. Here the clock stands before and after midnight of New
Year's Eve in Beijing (16:00 UTC).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from filings.enums import FilingKind, FilingState
from review.models import Certificate
from tests.review.conftest import drain_outbox

from .factories import EnterpriseFactory, applicant, make_filing

pytestmark = pytest.mark.django_db

BEIJING = dt.timezone(dt.timedelta(hours=8))
LAST_EVENING = dt.datetime(2026, 12, 31, 23, 50, tzinfo=BEIJING)  # 15:50 UTC
NEW_YEAR = dt.datetime(2027, 1, 1, 0, 10, tzinfo=BEIJING)  # 16:10 UTC, still 12-31 in London


@pytest.fixture
def hunan(db):
    unit = EnterpriseFactory(name="湖南跨年演艺有限公司", province="430000")
    return unit, applicant(unit)


def _submit(unit, member, kind=FilingKind.DOMESTIC):
    return make_filing(organisation=unit, by=member, kind=kind, state=FilingState.SUBMITTED)


def test_the_first_filing_of_the_new_year_is_number_one(hunan):
    unit, member = hunan
    with time_machine.travel(LAST_EVENING, tick=False):
        old = [_submit(unit, member).reference for _ in range(3)]
        old_import = _submit(unit, member, FilingKind.IMPORT).reference
    with time_machine.travel(NEW_YEAR, tick=False):
        first = _submit(unit, member).reference
        second = _submit(unit, member).reference
        first_import = _submit(unit, member, FilingKind.IMPORT).reference

    assert old == ["WY-湘-2026-000001", "WY-湘-2026-000002", "WY-湘-2026-000003"]
    assert old_import == "JK-湘-2026-000001"
    assert (first, second) == ("WY-湘-2027-000001", "WY-湘-2027-000002")
    assert first_import == "JK-湘-2027-000001"


def test_each_province_starts_its_own_new_year(hunan):
    unit, member = hunan
    beijing = EnterpriseFactory(name="北京跨年演艺有限公司", province="110000")
    with time_machine.travel(LAST_EVENING, tick=False):
        _submit(unit, member)
        _submit(beijing, applicant(beijing))
    with time_machine.travel(NEW_YEAR, tick=False):
        hunan_first = _submit(unit, member).reference
        beijing_first = _submit(beijing, applicant(beijing)).reference
    assert (hunan_first, beijing_first) == ("WY-湘-2027-000001", "WY-京-2027-000001")


def test_a_resubmission_in_the_new_year_keeps_its_number(hunan):
    """The number is given once, at the first 提交: a returned application keeps it across the year."""
    unit, member = hunan
    with time_machine.travel(LAST_EVENING, tick=False):
        returned = make_filing(organisation=unit, by=member, state=FilingState.RETURNED)
    from review.engine import perform

    with time_machine.travel(NEW_YEAR, tick=False):
        from filings.models import FilingVersion

        FilingVersion.objects.filter(pk=returned.application_version_id).update(pledged=True)
        again = perform(returned, "submit", actor=member)
        fresh = _submit(unit, member)
    assert again.reference == "WY-湘-2026-000001"
    assert fresh.reference == "WY-湘-2027-000001"


def test_certificate_numbers_restart_in_the_new_year(hunan, django_capture_on_commit_callbacks):
    unit, member = hunan
    with time_machine.travel(LAST_EVENING, tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
            with django_capture_on_commit_callbacks(execute=True):
                drain_outbox()
    with time_machine.travel(NEW_YEAR, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            filing = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
        with django_capture_on_commit_callbacks(execute=True):
            drain_outbox()
    numbers = list(Certificate.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == ["网演备〔2026〕湘字第000001号", "网演备〔2026〕湘字第000002号", "网演备〔2027〕湘字第000001号"]
    assert Certificate.objects.get(object_id=filing.pk).issued_on == dt.date(2027, 1, 1)
