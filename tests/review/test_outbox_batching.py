"""The outbox under a burst: a handful of dispatch tasks for 200 events, each event carried out once.

Issue 10 ("Celery queues split"): one dispatch task per event was a flood of tasks under load. Now a
transaction asks for one dispatch however many events it writes, a burst of transactions queues at most
one waiting task (review.outbox.gate), and a task carries out a batch (review.outbox.dispatch).
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from review import outbox
from review.enums import OutboxStatus
from review.models import OutboxEvent
from review.outbox import dispatch, gate, registry

BURST = 200


@pytest.fixture
def delivered():
    """A topic "test.count" whose handler records each payload's n (from any thread)."""
    seen: list[int] = []
    lock = threading.Lock()

    def handle(payload):
        time.sleep(payload.get("sleep", 0))
        with lock:
            seen.append(payload["n"])

    registry._HANDLERS["test.count"] = handle
    yield seen
    registry._HANDLERS.pop("test.count", None)


@pytest.fixture
def tasks_run(monkeypatch):
    """Counts the dispatch tasks queued (.delay) and run; eager, as in the tests' settings."""
    counts = Counter()
    task = dispatch.dispatch_outbox
    original_delay, original_run = task.delay, task.run

    def delay(*args, **kwargs):
        counts["queued"] += 1
        return original_delay(*args, **kwargs)

    def run(*args, **kwargs):
        counts["run"] += 1
        return original_run(*args, **kwargs)

    monkeypatch.setattr(task, "delay", delay)
    monkeypatch.setattr(task, "run", run)
    return counts


@pytest.mark.django_db
def test_a_burst_of_200_events_is_a_handful_of_tasks_and_each_event_is_sent_once(
    delivered, tasks_run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for n in range(BURST):
                outbox.enqueue("test.count", {"n": n})

    assert len(callbacks) == 1  # one kick for the transaction, not 200
    assert sorted(delivered) == list(range(BURST))  # every event, once
    assert Counter(delivered).most_common(1)[0][1] == 1
    # 4 full batches of 50, and the follow-up of the last full one finds nothing
    assert tasks_run == Counter({"queued": BURST // dispatch.BATCH_SIZE + 1, "run": BURST // dispatch.BATCH_SIZE + 1})
    assert OutboxEvent.objects.filter(status=OutboxStatus.DONE).count() == BURST


# transaction=True: each request's transaction really commits (and its on_commit kick runs)
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_transactions_queues_at_most_one_waiting_task(delivered, monkeypatch):
    queued = []
    monkeypatch.setattr(dispatch.dispatch_outbox, "delay", lambda: queued.append(1))  # a broker: nothing runs yet

    def commit(n: int) -> None:  # one request's transaction
        with transaction.atomic():
            outbox.enqueue("test.count", {"n": n})

    for n in range(BURST):
        commit(n)

    assert queued == [1]  # one task waits, the 199 others saw it
    assert delivered == []

    # the worker takes it: the gate opens before the batch is claimed, a full batch asks for a follow-up
    dispatch.dispatch_outbox.run()
    assert sorted(delivered) == list(range(dispatch.BATCH_SIZE))
    assert queued == [1, 1]
    commit(BURST)  # meanwhile: the follow-up waits, nothing more is queued
    assert queued == [1, 1]

    while dispatch.dispatch_outbox.run():
        pass
    assert sorted(delivered) == list(range(BURST + 1))
    assert OutboxEvent.objects.exclude(status=OutboxStatus.DONE).count() == 0


@pytest.mark.django_db
def test_a_rolled_back_savepoint_does_not_swallow_the_kick_of_its_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    outbox.enqueue("test.count", {"n": 1})
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
            outbox.enqueue("test.count", {"n": 2})

    assert len(callbacks) == 1
    assert list(OutboxEvent.objects.values_list("payload", flat=True)) == [{"n": 2}]


@pytest.mark.django_db(transaction=True)
def test_broker_down_leaves_the_gate_open_for_the_next_kick(monkeypatch):
    calls = []

    def broker_down():
        calls.append(1)
        raise ConnectionError("Error 111 connecting to redis")

    monkeypatch.setattr(dispatch.dispatch_outbox, "delay", broker_down)
    for n in (1, 2):
        with transaction.atomic():
            outbox.enqueue("test.count", {"n": n})

    assert calls == [1, 1]  # each tried (no stale gate), neither raised
    assert gate.reserve() is True


@pytest.mark.django_db
def test_a_claimed_batch_is_leased_and_comes_back_when_its_worker_died(delivered):
    for n in range(3):
        outbox.enqueue("test.count", {"n": n})

    claimed = dispatch.claim_batch(2)  # a worker claims two events, then is killed before carrying them out
    assert len(claimed) == 2
    assert outbox.dispatch_pending() == 1  # the others leave the leased two alone
    assert delivered == [2]

    OutboxEvent.objects.filter(pk__in=claimed).update(available_at=OutboxEvent.objects.get(pk=claimed[0]).created_at)
    assert outbox.dispatch_pending() == 2  # lease over: carried out, once
    assert sorted(delivered) == [0, 1, 2]


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_on_postgresql_take_disjoint_batches_each_event_once(delivered, monkeypatch):
    monkeypatch.setattr(dispatch.dispatch_outbox, "delay", lambda: None)  # queued to a broker; the two below take it
    for n in range(BURST):
        outbox.enqueue("test.count", {"n": n, "sleep": 0.002})
    by_worker: dict[str, list[int]] = {}
    barrier = threading.Barrier(2)

    def worker(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            batches = []
            while True:
                claimed, _done = dispatch.dispatch_batch()  # what one dispatch task does
                if not claimed:
                    break
                batches.append(claimed)
            by_worker[name] = batches
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert connection.vendor == "postgresql"
    assert sorted(delivered) == list(range(BURST))  # each event once, none lost
    assert sum(sum(batches) for batches in by_worker.values()) == BURST
    assert all(by_worker[name] for name in ("a", "b")), by_worker  # both worked: SKIP LOCKED, not a queue
    tasks = sum(len(batches) for batches in by_worker.values())
    assert BURST // dispatch.BATCH_SIZE <= tasks <= BURST // dispatch.BATCH_SIZE + 2
    assert OutboxEvent.objects.filter(status=OutboxStatus.DONE).count() == BURST
