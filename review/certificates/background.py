"""The embedded default's background work: what a request leaves to ``run_periodic --loop``.

With ``settings.BACKGROUND_LOOP_TASKS`` (``make run``: no broker, tasks would run eagerly
inside the request) neither the outbox's kick nor a certificate's render is run in the
request; the row they would have worked on is already committed (an outbox event, a
certificate without its PDF), and the loop beside the server calls :func:`run_pending`
about once a second:

1. pending outbox events are dispatched (notifications, ``certificate.issue`` → the
   certificate is issued, exactly once: a database constraint and ``issue_certificate``'s
   idempotence);
2. certificates without a PDF are rendered, signed and stored (``render_and_store`` is
   idempotent: one file per certificate however often it runs).

A certificate whose rendering fails is tried again later with a growing pause (a broken
one does not spin the loop); the 5-minute sweep still catches anything missed.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db.models import Q

from ..models import Certificate
from ..outbox.dispatch import dispatch_pending
from .render import render_and_store

logger = logging.getLogger(__name__)

BATCH = 20
# Certificate id → (failures, monotonic time before which it is not tried again), in this process.
_failures: dict[int, tuple[int, float]] = {}


def deferred() -> bool:
    """Whether requests leave their side effects to the background loop (see the module's docstring)."""
    return bool(getattr(settings, "BACKGROUND_LOOP_TASKS", False))


def _dispatch_all() -> int:
    """Pending outbox events, and those their handlers queue (a notice → its e-mail and SMS), a few rounds deep."""
    total = 0
    for _round in range(5):
        done = dispatch_pending(limit=BATCH * 5)
        total += done
        if not done:
            break
    return total


def run_pending() -> dict[str, int]:
    """One pass: dispatch pending outbox events, then render certificates lacking a PDF."""
    dispatched = _dispatch_all()
    now = time.monotonic()
    pending = list(
        Certificate.objects.filter(Q(pdf="") | Q(pdf__isnull=True)).order_by("pk").values_list("pk", flat=True)[:BATCH]
    )
    rendered = 0
    for pk in pending:
        failures, not_before = _failures.get(pk, (0, 0.0))
        if now < not_before:
            continue
        try:
            if render_and_store(pk):
                rendered += 1
            _failures.pop(pk, None)
        except Exception:
            failures += 1
            _failures[pk] = (failures, now + min(600.0, 5.0 * 2**failures))
            logger.exception("certificate %s: rendering failed (%d time(s)); tried again later", pk, failures)
    # Events the renders queued (the holder's 证照已生成 notice) go out in the same pass.
    if rendered:
        dispatched += _dispatch_all()
    return {"dispatched": dispatched, "rendered": rendered}
