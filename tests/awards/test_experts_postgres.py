"""The expert round under concurrency on PostgreSQL (the nomination row is locked by every score and decision).

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres PORTAL_TEST_DB_NAME=test_experts
.venv/bin/python -m pytest -q -n 0 --create-db tests/awards/test_experts_postgres.py
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection, connections

from awards.enums import NominationState
from awards.models import ExpertAssignment, Nomination, Score
from awards.services import experts as services
from review.engine import ReviewError, perform

from .factories import nrta_ministry
from .factories_experts import assign, declare, in_review, nrta_expert, scored_by_panel

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
    ),
]


def _all_at_once(calls) -> list:
    """Each call in its own thread (own connection), released together; a refusal's message is the result."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=20)
            return call()
        except ReviewError as exc:
            return exc.message
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_first_score_leaves_one_score():
    assert connection.vendor == "postgresql"
    expert = nrta_expert()
    assignment = assign(expert)
    work = in_review()
    declare(assignment, work)

    def scorer(value):
        return lambda: services.save_score(expert, work, score=value, criteria=["thought"], comment="好").score

    results = _all_at_once([scorer(v) for v in (81, 82, 83, 84, 85, 86)])

    assert sorted(results) == [81, 82, 83, 84, 85, 86]  # nobody refused, no IntegrityError
    assert Score.objects.count() == 1
    assert Score.objects.get().score in results


@pytest.mark.django_db(transaction=True)
def test_select_racing_the_quorums_last_score_is_consistent():
    ministry = nrta_ministry()
    outcomes = []
    for _ in range(5):
        work = in_review()
        scored_by_panel(work, [80, 90])  # one short of the quorum
        last = assign(nrta_expert(), organisation_name="北京师范大学")
        declare(last, work)
        stale = Nomination.objects.get(pk=work.pk)

        results = _all_at_once(
            [
                lambda w=work, e=last.expert: (
                    services.save_score(e, w, score=85, criteria=["thought"], comment="好") and "scored"
                ),
                lambda s=stale: perform(s, "select", actor=ministry) and "selected",
            ]
        )

        state = Nomination.objects.get(pk=work.pk).state
        count = Score.objects.filter(nomination=work).count()
        outcomes.append(tuple(results))
        assert results[0] == "scored" and count == 3
        # 入选 either waited for the third score, or was refused on the two it found: never in between.
        if results[1] == "selected":
            assert state == NominationState.SELECTED
        else:
            assert results[1] == "该作品只有 2 位专家评分，不足 3 位，暂不能确定入选。"
            assert state == NominationState.IN_EXPERT_REVIEW
    assert len(outcomes) == 5


@pytest.mark.django_db(transaction=True)
def test_a_score_after_the_decision_is_refused_never_lost_in_between():
    ministry = nrta_ministry()
    work = in_review()
    scored_by_panel(work, [80, 90, 85])
    late = assign(nrta_expert(), organisation_name="北京师范大学")
    declare(late, work)
    stale = Nomination.objects.get(pk=work.pk)

    results = _all_at_once(
        [
            lambda: services.save_score(late.expert, work, score=60, criteria=["thought"], comment="好") and "scored",
            lambda: perform(stale, "not_select", actor=ministry) and "decided",
        ]
    )

    assert results[1] == "decided"
    count = Score.objects.filter(nomination=work).count()
    if results[0] == "scored":
        assert count == 4  # scored before the row was decided
    else:
        assert (results[0], count) == ("该作品不在专家评议阶段，不能评分。", 3)


@pytest.mark.django_db(transaction=True)
def test_two_staff_assigning_the_same_expert_at_once():
    ministry, other = nrta_ministry(), nrta_ministry()
    expert = nrta_expert()

    def assigner(actor):
        def call():
            created = ExpertAssignment(year=2026, quarter=2, expert=expert, organisation_name="中国传媒大学")
            services.save_assignment(actor, created, created=True)
            return "assigned"

        return call

    results = _all_at_once([assigner(ministry), assigner(other)])

    assert sorted(results) == ["assigned", "该专家已分配到2026年第2季度。"]
    assert ExpertAssignment.objects.count() == 1
