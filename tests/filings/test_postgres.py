"""Concurrency on PostgreSQL: reference numbers under simultaneous submissions, withdraw vs accept.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres PORTAL_TEST_DB_NAME=test_filings.
"""

import re
import threading

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections

from filings.enums import FilingState
from filings.models import Filing
from filings.services import lifecycle
from filings.services.errors import FilingError
from review.engine import TransitionNotAllowed, perform
from review.models import ReviewRecord

from .factories import EnterpriseFactory, applicant, make_filing, official

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
    ),
]


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, func):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = func()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_get_different_references():
    unit = EnterpriseFactory()
    one, two = applicant(unit), applicant(unit)
    first = make_filing(organisation=unit, by=one)
    second = make_filing(organisation=unit, by=two)
    outcomes = _run_together(
        lambda: lifecycle.submit(one, Filing.objects.get(pk=first.pk)),
        lambda: lifecycle.submit(two, Filing.objects.get(pk=second.pk)),
    )
    assert all(isinstance(o, Filing) for o in outcomes), outcomes
    references = sorted(Filing.objects.values_list("reference", flat=True))
    assert [r[-6:] for r in references] == ["000001", "000002"]
    assert all(re.fullmatch(r"WY-湘-\d{4}-\d{6}", r) for r in references)


@pytest.mark.django_db(transaction=True)
def test_withdraw_and_accept_at_once_exactly_one_wins():
    unit = EnterpriseFactory()
    member = applicant(unit)
    reviewer = official("430000")
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    ct = ContentType.objects.get_for_model(Filing)
    before = ReviewRecord.objects.filter(content_type=ct, object_id=filing.pk).count()

    outcomes = _run_together(
        lambda: lifecycle.withdraw(member, Filing.objects.get(pk=filing.pk)),
        lambda: perform(Filing.objects.get(pk=filing.pk), "accept", actor=reviewer),
    )
    withdraw_outcome, accept_outcome = outcomes
    won = [o for o in outcomes if isinstance(o, Filing)]
    lost = [o for o in outcomes if isinstance(o, Exception)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    filing.refresh_from_db()
    if isinstance(withdraw_outcome, Filing):
        assert filing.state == FilingState.DRAFT
        assert isinstance(accept_outcome, TransitionNotAllowed)
        assert accept_outcome.message == "该申请已被其他审核人员处理，请刷新后查看最新状态。"
    else:
        assert filing.state == FilingState.REVIEWING
        assert isinstance(withdraw_outcome, FilingError)
        assert withdraw_outcome.message == "审批中的数据不可撤回"
    assert ReviewRecord.objects.filter(content_type=ct, object_id=filing.pk).count() == before + 1
