"""Races on PostgreSQL: two refreshes at once open each case once and announce it once; two officials
disposing of the same case at once give one change and a message for the other."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from filings.models import Session
from review.models import Message
from review.outbox.dispatch import dispatch_pending
from supervision.inspections import services
from supervision.inspections.enums import CaseStatus, EventKind
from supervision.inspections.models import CaseEvent, InspectionCase
from supervision.inspections.refresh import refresh
from tests.filings.factories import EnterpriseFactory, make_filing, official

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
        t.join(timeout=60)
    return outcomes


def _overdue(unit, n):
    for i in range(n):
        filing = make_filing(organisation=unit, name=f"并发逾期节目{i}")
        Session.objects.filter(version__filing=filing).update(starts_at=timezone.now() - timedelta(days=31 + i))


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_open_and_announce_each_case_once():
    unit = EnterpriseFactory(province="430000")
    inspector = official("430000")
    _overdue(unit, 12)
    outcomes = _run_together(refresh, refresh, refresh)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o.opened for o in outcomes) == 12
    assert sum(o.notified for o in outcomes) >= 1
    assert InspectionCase.objects.count() == 12
    assert CaseEvent.objects.filter(kind=EventKind.CREATED).count() == 12
    assert InspectionCase.objects.filter(notified_at__isnull=True).count() == 0
    dispatch_pending()
    bodies = list(Message.objects.filter(recipient=inspector).values_list("title", flat=True))
    total = sum(int(t.split("新增 ")[1].split(" 件")[0]) for t in bodies)
    assert total == 12  # every case announced, none twice (maybe split between the runs)


@pytest.mark.django_db(transaction=True)
def test_two_officials_disposing_at_once_make_one_change():
    unit = EnterpriseFactory(province="430000")
    one, two = official("430000"), official("430000")
    _overdue(unit, 1)
    refresh()
    case = InspectionCase.objects.get()
    outcomes = _run_together(
        lambda: services.dispose(
            one,
            InspectionCase.objects.get(pk=case.pk),
            status=CaseStatus.INTERVIEWED,
            note="约谈一",
            seen_status="pending",
        ),
        lambda: services.dispose(
            two, InspectionCase.objects.get(pk=case.pk), status=CaseStatus.HANDLED, note="办结二", seen_status="pending"
        ),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], services.InspectionError)
    assert errors[0].message.startswith("该事项已被其他人员处理（当前状态：")
    assert CaseEvent.objects.filter(case=case, kind=EventKind.STATUS).count() == 1
    case.refresh_from_db()
    assert case.status in (CaseStatus.INTERVIEWED, CaseStatus.HANDLED)
