"""Races of the publication on PostgreSQL (row locks): two publications of one quarter, two
disposals of one objection, two withdrawals of one work — each happens exactly once.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres PORTAL_TEST_DB_NAME=test_publication
.venv/bin/python -m pytest -q -n 0 --create-db tests/awards/test_publication_postgres.py
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, connections

from awards.enums import NominationState, ObjectionStatus
from awards.models import Objection, ResultWithdrawal
from awards.services import publication
from review.engine import SYSTEM, ReviewError
from review.models import OutboxEvent, ReviewRecord
from tests.awards.factories import nrta_ministry
from tests.awards.factories_publication import PublicityFactory, WorkFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
    ),
    pytest.mark.django_db(transaction=True),
]

AFTER_END = "2026-06-07 09:00:00+08:00"


def race(*calls) -> list[object]:
    """Run the callables at the same moment; returns each one's result or ReviewError."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except ReviewError as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_staff_and_the_system_publishing_at_once_publish_once(clock):
    works = [WorkFactory() for _ in range(3)]
    publicity = PublicityFactory()
    staff = nrta_ministry()
    clock.move_to(AFTER_END)
    outcomes = race(
        lambda: publication.publish_quarter(publicity, actor=staff),
        lambda: publication.publish_quarter(publicity, actor=SYSTEM),
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["PublicationError", "int"]
    assert [o for o in outcomes if isinstance(o, int)] == [3]
    loser = next(o for o in outcomes if isinstance(o, ReviewError))
    assert loser.message.startswith("本季度推优结果已于")
    assert ReviewRecord.objects.filter(transition="publish").count() == 3
    assert OutboxEvent.objects.filter(topic="certificate.issue").count() == 3
    for work in works:
        work.refresh_from_db()
        assert work.state == NominationState.PUBLISHED
    assert connection.vendor == "postgresql"


def test_two_staff_disposing_of_one_objection_at_once(clock):
    work = WorkFactory()
    publicity = PublicityFactory()
    objection = Objection.objects.create(
        publicity=publicity, nomination=work, contact_name="王", contact_phone="13812345678", reason="不符"
    )
    first, second = nrta_ministry(), nrta_ministry()
    outcomes = race(
        lambda: publication.dispose_objection(objection, decision=ObjectionStatus.ACCEPTED, note="成立", actor=first),
        lambda: publication.dispose_objection(
            objection, decision=ObjectionStatus.REJECTED, note="不成立", actor=second
        ),
    )
    errors = [o for o in outcomes if isinstance(o, ReviewError)]
    assert len(errors) == 1
    assert errors[0].message == "该异议已由其他工作人员处理，请刷新后查看。"
    objection.refresh_from_db()
    work.refresh_from_db()
    expected = (
        NominationState.NOT_SELECTED if objection.status == ObjectionStatus.ACCEPTED else NominationState.SELECTED
    )
    assert work.state == expected
    assert ReviewRecord.objects.filter(transition="unselect").count() == (1 if expected == "not_selected" else 0)


def test_two_withdrawals_of_one_work_at_once_leave_one_record(clock):
    work = WorkFactory()
    publicity = PublicityFactory()
    clock.move_to(AFTER_END)
    publication.publish_quarter(publicity, actor=SYSTEM)
    first, second = nrta_ministry(), nrta_ministry()
    outcomes = race(
        lambda: publication.withdraw_result(work, reason="版权纠纷", actor=first),
        lambda: publication.withdraw_result(work, reason="重复撤销", actor=second),
    )
    errors = [o for o in outcomes if isinstance(o, ReviewError)]
    assert len(errors) == 1
    assert errors[0].message == "该申请已被其他审核人员处理，请刷新后查看最新状态。"
    assert ResultWithdrawal.objects.count() == 1
    assert ReviewRecord.objects.filter(transition="withdraw_result").count() == 1
    work.refresh_from_db()
    assert work.state == NominationState.WITHDRAWN
