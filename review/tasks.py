from celery import shared_task


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=180)
def dispatch_outbox() -> int:
    from .outbox import dispatch_pending

    return dispatch_pending()
