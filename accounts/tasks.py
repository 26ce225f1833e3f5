"""Thin Celery tasks of the accounts app (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from accounts.services.sms_codes import purge_expired


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def purge_sms_codes(*, days: int = 7) -> int:
    """Delete SMS codes older than ``days``; running it twice is harmless."""
    return purge_expired(days=days)
