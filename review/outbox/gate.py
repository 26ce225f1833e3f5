"""At most one dispatch task waiting in the broker, however many events a burst writes.

Every committed transaction that wrote outbox events asks for a dispatch (``queue._kick``). Without a
gate, a burst of 200 notifications would queue 200 dispatch tasks, each finding the others' events
already done. The gate is a key in the shared cache (Redis in production, so every web node and worker
sees the same one): whoever adds it queues the task; while it is there, a task is waiting and will see
the new events, since the task removes the key *before* it claims its batch. A lost task (broker
flushed) only delays until the key expires or beat's periodic dispatch runs, whichever comes first.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

KEY = "outbox:dispatch-queued"
# Longer than a waiting task is expected to wait; beat's periodic dispatch (every minute) runs regardless.
TTL_SECONDS = 120


def reserve() -> bool:
    """True if the caller should queue a dispatch task (no other one is waiting)."""
    try:
        return bool(cache.add(KEY, 1, timeout=TTL_SECONDS))
    except Exception:  # noqa: BLE001 (cache unreachable: queue one rather than none)
        logger.warning("outbox gate: cache unavailable, queueing a dispatch anyway", exc_info=True)
        return True


def release() -> None:
    """A dispatch task has started (or could not be queued): the next event may queue another."""
    try:
        cache.delete(KEY)
    except Exception:  # noqa: BLE001 (the key expires on its own)
        logger.warning("outbox gate: cache unavailable", exc_info=True)
