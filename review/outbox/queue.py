"""Writing side effects to the outbox, in the caller's transaction."""

from __future__ import annotations

import logging

from django.db import transaction

from ..models import OutboxEvent
from .dispatch import dispatch_outbox

logger = logging.getLogger(__name__)


def enqueue(topic: str, payload: dict) -> OutboxEvent:
    event = OutboxEvent.objects.create(topic=topic, payload=payload)
    transaction.on_commit(_kick)
    return event


def _kick() -> None:
    """Ask a worker to dispatch now; if the broker is down the periodic job will."""
    try:
        dispatch_outbox.delay()
    except Exception as exc:  # broker unreachable: the sweep picks it up later
        logger.warning("outbox: could not queue dispatch (%s); the periodic job will retry", exc)
