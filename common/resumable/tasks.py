"""Thin Celery task of resumable uploads (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services import purge_expired


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def purge_uploads() -> int:
    """Delete expired partial uploads and their files; running it twice is harmless."""
    return purge_expired()
