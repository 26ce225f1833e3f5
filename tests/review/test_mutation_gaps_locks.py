"""The transition service and the sequence counter read their row under a lock, on every database (issue 12).

Removing ``select_for_update()`` from ``review.engine.perform`` or from
``review.engine.sequences.next_value`` was caught only by the PostgreSQL race
tests: on the embedded SQLite default Django drops the lock from the SQL (the
IMMEDIATE transaction already holds the whole database), so a race there
cannot tell. These tests look at what the code asks the database for: the
row's first read inside the service is a locking read, before the write;
on PostgreSQL the statement sent carries ``FOR UPDATE``. They fail on SQLite
and on PostgreSQL alike when the lock is dropped.
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import (
    SQLAggregateCompiler,
    SQLCompiler,
    SQLDeleteCompiler,
    SQLInsertCompiler,
    SQLUpdateCompiler,
)
from django.test.utils import CaptureQueriesContext

from review.engine import perform
from review.engine.sequences import next_value
from review.models import Sequence
from tests.review.factories import DossierFactory
from tests.review.reviewtestapp.models import Dossier

pytestmark = pytest.mark.django_db

NOT_A_SELECT = (SQLUpdateCompiler, SQLDeleteCompiler, SQLInsertCompiler, SQLAggregateCompiler)


@contextmanager
def row_access(model):
    """Records, in order, each statement on ``model``'s table: ("select", locking?) or ("update", None)."""
    events: list[tuple[str, bool | None]] = []
    select = SQLCompiler.execute_sql
    update = SQLUpdateCompiler.execute_sql

    def spy_select(self, *args, **kwargs):
        if self.query.model is model and not isinstance(self, NOT_A_SELECT):
            events.append(("select", bool(self.query.select_for_update)))
        return select(self, *args, **kwargs)

    def spy_update(self, *args, **kwargs):
        if self.query.model is model:
            events.append(("update", None))
        return update(self, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "execute_sql", spy_select):
        with mock.patch.object(SQLUpdateCompiler, "execute_sql", spy_update):
            yield events


def _lock_sql(queries, table: str) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT") and table in q["sql"]]


def test_perform_reads_the_row_under_a_lock_before_changing_it(hunan_official):
    dossier = DossierFactory(state="submitted")
    with row_access(Dossier) as events, CaptureQueriesContext(connection) as queries:
        perform(dossier, "accept", actor=hunan_official)

    assert events, "perform() never read the row"
    assert events[0] == ("select", True), f"the first read of the row is not a locking read: {events}"
    assert ("update", None) in events
    assert events.index(("update", None)) > 0
    if connection.vendor == "postgresql":
        reads = _lock_sql(queries.captured_queries, Dossier._meta.db_table)
        assert reads and "FOR UPDATE" in reads[0], reads


def test_perform_decides_on_the_state_it_read_under_the_lock(hunan_official):
    """The caller's stale copy says 待受理; the locked read says it was withdrawn meanwhile: refused."""
    from review.engine import TransitionNotAllowed

    dossier = DossierFactory(state="submitted")
    Dossier.objects.filter(pk=dossier.pk).update(state="draft")
    with row_access(Dossier) as events, pytest.raises(TransitionNotAllowed):
        perform(dossier, "accept", actor=hunan_official)
    assert events == [("select", True)]
    assert Dossier.objects.get(pk=dossier.pk).state == "draft"


def test_next_value_increments_the_counter_under_a_lock():
    next_value("ref:TEST:2026:430000")  # the row exists from here on
    with row_access(Sequence) as events, CaptureQueriesContext(connection) as queries:
        assert next_value("ref:TEST:2026:430000") == 2

    locking = [i for i, event in enumerate(events) if event == ("select", True)]
    updates = [i for i, event in enumerate(events) if event[0] == "update"]
    assert locking, f"the counter was read without a lock: {events}"
    assert updates and locking[0] < updates[0], events
    # Nothing between the locking read and the write reads the row again without the lock.
    assert ("select", False) not in events[locking[0] : updates[0]]
    if connection.vendor == "postgresql":
        reads = [sql for sql in _lock_sql(queries.captured_queries, Sequence._meta.db_table) if "FOR UPDATE" in sql]
        assert reads, queries.captured_queries


def test_next_value_on_a_new_key_also_locks():
    with row_access(Sequence) as events:
        assert next_value("ref:TEST:2027:110000") == 1
    assert ("select", True) in events
    assert events.index(("select", True)) < events.index(("update", None))
