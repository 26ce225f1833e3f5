"""Thin Celery tasks: ids in, re-fetch, call a service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

# Temporary failures worth retrying: storage or network I/O (OSError covers
# ConnectionError and timeouts) and a database that went away.
TEMPORARY_ERRORS = (OSError, OperationalError, InterfaceError)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=180)
def dispatch_outbox() -> int:
    from .outbox import dispatch_pending

    return dispatch_pending()


@shared_task(
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
    from .certificates import render_and_store

    return render_and_store(certificate_id)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def sweep_certificates() -> dict:
    """Re-queue certificates lacking a PDF and approved subjects lacking a certificate."""
    from .certificates import sweep

    return sweep()
