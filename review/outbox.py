"""Transactional outbox: side effects are rows written with the state change,
dispatched after commit and retried by a periodic job, so a broker outage
delays them and never loses them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from .enums import OutboxStatus
from .models import OutboxEvent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
_HANDLERS: dict[str, Callable[[dict], None]] = {}


def handler(topic: str):
    """Register the function that carries out events of ``topic``."""

    def decorator(func: Callable[[dict], None]):
        _HANDLERS[topic] = func
        return func

    return decorator


def enqueue(topic: str, payload: dict) -> OutboxEvent:
    event = OutboxEvent.objects.create(topic=topic, payload=payload)
    transaction.on_commit(_kick)
    return event


def _kick() -> None:
    """Ask a worker to dispatch now; if the broker is down the periodic job will."""
    from .tasks import dispatch_outbox

    try:
        dispatch_outbox.delay()
    except Exception as exc:  # broker unreachable: the sweep picks it up later
        logger.warning("outbox: could not queue dispatch (%s); the periodic job will retry", exc)


def dispatch_pending(limit: int = 100) -> int:
    """Carry out pending events; returns how many succeeded."""
    done = 0
    now = timezone.now()
    ids = list(
        OutboxEvent.objects.filter(status=OutboxStatus.PENDING, available_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        if _dispatch_one(pk):
            done += 1
    return done


def _dispatch_one(pk: int) -> bool:
    with transaction.atomic():
        qs = OutboxEvent.objects.filter(pk=pk, status=OutboxStatus.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        event = qs.first()
        if event is None:
            return False
        func = _HANDLERS.get(event.topic)
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
