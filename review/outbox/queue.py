"""Writing side effects to the outbox, in the caller's transaction."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from ..models import OutboxEvent
from .dispatch import request_dispatch

logger = logging.getLogger(__name__)


def enqueue(topic: str, payload: dict) -> OutboxEvent:
    event = OutboxEvent.objects.create(topic=topic, payload=payload)
    _kick_after_commit()
    return event


def _kick_after_commit() -> None:
    """One kick per transaction, however many events it writes (a notice to 200 members is one).

    A kick already registered counts only if it was registered in a savepoint that is still open around
    this one (or outside any): then it runs exactly when this event's transaction commits. Kicks of
    savepoints rolled back are gone from the list; those of released ones are not relied on.
    """
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        still_open = set(conn.savepoint_ids)
        if any(func is _kick and set(sids) <= still_open for sids, func, *_robust in conn.run_on_commit):
            return
    transaction.on_commit(_kick)


def _kick() -> None:
    """Ask a worker to dispatch now (one waiting task at most: review.outbox.gate); if the broker is
    down the periodic job will.

    On the embedded first run (``BACKGROUND_LOOP_TASKS``) the background loop beside the
    server dispatches within about a second (review.certificates.background): nothing
    runs inside the request.
    """
    if getattr(settings, "BACKGROUND_LOOP_TASKS", False):
        return
    request_dispatch()
