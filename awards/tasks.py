"""Thin Celery tasks of the NRTA programme (the periodic jobs; each is also a management command)."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def close_rounds() -> dict:
    """Close provincial rounds past their deadline (系统): 待初审 → 逾期未审, 已推荐 → 专家评议."""
    from .services.rounds import close_due_rounds

    return close_due_rounds()
