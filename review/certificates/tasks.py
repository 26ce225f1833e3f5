"""The render task: an id in, re-fetch, render and store (idempotent)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .render import render_and_store

# Temporary failures worth retrying: storage or network I/O (OSError covers
# ConnectionError and timeouts) and a database that went away.
TEMPORARY_ERRORS = (OSError, OperationalError, InterfaceError)


# Named as before the package was split, so queued messages still resolve.
@shared_task(
    name="review.tasks.render_certificate",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TEMPORARY_ERRORS,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def render_certificate(*, certificate_id: int) -> bool:
    """Render and store one certificate's PDF; idempotent (a second run does nothing)."""
    return render_and_store(certificate_id)
