"""Carrying out pending outbox events (after commit, and by the periodic job)."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from ..enums import OutboxStatus
from ..models import OutboxEvent
from .registry import handler_of

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


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


# Named as before the package was split, so queued messages and beat entries still resolve.
@shared_task(
    name="review.tasks.dispatch_outbox", acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=180
)
def dispatch_outbox() -> int:
    return dispatch_pending()
