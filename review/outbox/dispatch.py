"""Carrying out pending outbox events (after commit, and by the periodic job), a batch at a time.

A dispatch claims a batch of due events in one short transaction — ``SELECT … FOR UPDATE SKIP LOCKED``
on PostgreSQL, so two workers racing take disjoint batches (SQLite has no row locks; its transactions
start IMMEDIATE, so claims simply take turns) — and leases them: their ``available_at`` moves
``LEASE_SECONDS`` ahead, longer than a task may run, so no other dispatch takes them meanwhile. Each
event is then carried out in its own transaction with its row locked again, and marked done in the same
commit as its handler's writes: an event is done exactly once, a failed one is retried with backoff,
and the events of a worker killed mid-batch come back when their lease ends.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from ..enums import OutboxStatus
from ..models import OutboxEvent
from . import gate
from .registry import handler_of

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Events one task carries out; a full batch queues one follow-up task (through the gate).
BATCH_SIZE = 50
# Longer than the dispatch task's hard time limit (180 s).
LEASE_SECONDS = 300


def claim_batch(size: int = BATCH_SIZE) -> list[int]:
    """Lock and lease up to ``size`` due events nobody else holds; their ids, oldest first."""
    now = timezone.now()
    with transaction.atomic():
        qs = OutboxEvent.objects.filter(status=OutboxStatus.PENDING, available_at__lte=now).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:size])
        if ids:
            OutboxEvent.objects.filter(pk__in=ids).update(available_at=now + timedelta(seconds=LEASE_SECONDS))
    return ids


def dispatch_batch(size: int = BATCH_SIZE) -> tuple[int, int]:
    """Claim one batch and carry it out: (events claimed, events done)."""
    ids = claim_batch(size)
    done = sum(1 for pk in ids if _dispatch_one(pk))
    return len(ids), done


def dispatch_pending(limit: int = 100) -> int:
    """Carry out up to ``limit`` due events, a batch at a time; returns how many succeeded."""
    done = 0
    left = limit
    while left > 0:
        size = min(BATCH_SIZE, left)
        claimed, succeeded = dispatch_batch(size)
        done += succeeded
        left -= claimed
        if claimed < size:
            break  # nothing more is due
    return done


def _dispatch_one(pk: int) -> bool:
    with transaction.atomic():
        qs = OutboxEvent.objects.filter(pk=pk, status=OutboxStatus.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        event = qs.first()
        if event is None:
            return False
        func = handler_of(event.topic)
        try:
            if func is None:
                raise LookupError(f"no handler for topic {event.topic!r}")
            with transaction.atomic():
                func(event.payload)
        except Exception as exc:
            event.attempts += 1
            event.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if event.attempts >= MAX_ATTEMPTS:
                event.status = OutboxStatus.FAILED
            event.available_at = timezone.now() + timedelta(seconds=min(3600, 30 * 2**event.attempts))
            event.save(update_fields=["attempts", "last_error", "status", "available_at"])
            logger.warning("outbox event %s (%s) failed: %s", event.pk, event.topic, exc)
            return False
        event.status = OutboxStatus.DONE
        event.attempts += 1
        event.done_at = timezone.now()
        event.save(update_fields=["status", "attempts", "done_at"])
        return True


def request_dispatch() -> None:
    """Queue one dispatch task unless one is already waiting (the gate); a broker outage is logged, the
    periodic job dispatches later."""
    if not gate.reserve():
        return
    try:
        dispatch_outbox.delay()
    except Exception as exc:  # broker unreachable: the sweep picks it up later
        gate.release()
        logger.warning("outbox: could not queue dispatch (%s); the periodic job will retry", exc)


# Named as before the package was split, so queued messages and beat entries still resolve.
@shared_task(
    name="review.tasks.dispatch_outbox", acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=180
)
def dispatch_outbox() -> int:
    """One batch; a full one queues a follow-up, so a burst drains in len/BATCH_SIZE tasks."""
    gate.release()  # before claiming: an event committed from now on queues a task of its own
    claimed, done = dispatch_batch()
    if claimed == BATCH_SIZE:
        request_dispatch()
    return done
