"""Thin Celery task of 日常巡查 (the periodic job; also ``manage.py refresh_inspections``)."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=540, time_limit=600)
def refresh_inspections() -> dict:
    from .refresh import refresh

    return refresh().as_dict()
