"""The review races of the PostgreSQL stage, run on the embedded default too (a SQLite file; issue 12).

Two officials deciding the same application at once, and many numbers drawn
from one counter at once, on a real SQLite file opened with the portal's own
settings (IMMEDIATE transactions, busy timeout, WAL), one connection per
thread: exactly one decision wins and the other is told why, the numbers are
1…n without a gap or a repeat, and nothing answers "database is locked".

On SQLite the IMMEDIATE transaction takes the database's write lock before
the first read, so these races stay safe even without ``select_for_update``;
that the services ask for the row lock (which PostgreSQL needs) is asserted
in test_mutation_gaps_locks.py.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction

from review.engine import TransitionNotAllowed, perform
from review.engine.sequences import next_value
from review.models import ReviewRecord, Sequence
from tests.factories import StaffFactory
from tests.portal.test_sqlite_concurrency import run_at_once, sqlite_file  # noqa: F401 (fixture)
from tests.review.factories import DossierFactory
from tests.review.reviewtestapp.models import Dossier

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="the embedded SQLite default only"
    ),
]


def test_approve_and_return_at_once_on_a_sqlite_file_exactly_one_wins(sqlite_file):  # noqa: F811
    sqlite_file()
    dossier = DossierFactory(state="in_review")
    officials = [StaffFactory(profile__province="430000"), StaffFactory(profile__level="ministry")]
    moves = [("approve", ""), ("return", "请补充材料")]
    outcomes: dict[str, str] = {}

    def act(i: int) -> int:
        stale = Dossier.objects.get(pk=dossier.pk)  # both read 审核中
        name, comment = moves[i]
        try:
            perform(stale, name, actor=officials[i], comment=comment)
            outcomes[name] = "won"
        except TransitionNotAllowed as exc:
            outcomes[name] = exc.message
        return 0

    _statuses, errors = run_at_once(2, act, sqlite_file)

    assert errors == []
    assert sorted(outcomes.values()) == ["won", "该申请已被其他审核人员处理，请刷新后查看最新状态。"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    assert Dossier.objects.get(pk=dossier.pk).state == {"approve": "approved", "return": "returned"}[winner]
    assert list(ReviewRecord.objects.values_list("transition", flat=True)) == [winner]


def test_twenty_numbers_drawn_at_once_on_a_sqlite_file_are_1_to_20(sqlite_file):  # noqa: F811
    sqlite_file()
    drawn: list[int] = []

    def draw(i: int) -> int:
        with transaction.atomic():
            value = next_value("ref:WY:2026:430000")
        drawn.append(value)
        return value

    _statuses, errors = run_at_once(20, draw, sqlite_file)

    assert errors == []
    assert sorted(drawn) == list(range(1, 21))
    assert Sequence.objects.get(key="ref:WY:2026:430000").value == 20
