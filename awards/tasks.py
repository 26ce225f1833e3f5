"""Thin Celery tasks of the NRTA programme (the periodic jobs; each is also a management command)."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def close_rounds() -> dict:
    """Close provincial rounds past their deadline (系统): 待初审 → 逾期未审, 已推荐 → 专家评议."""
    from .services.rounds import close_due_rounds

    return close_due_rounds()


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def open_quarter(*, lead_days: int | None = None) -> int:
    """Create the due quarters' projects (机构类 + 个人类); returns how many were created (0 on a re-run)."""
    from .services.projects import LEAD_DAYS, open_due_quarters

    _projects, created = open_due_quarters(lead_days=LEAD_DAYS if lead_days is None else lead_days)
    return created


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def send_deadline_reminders() -> dict:
    """Remind applicants (drafts) and officials (待初审, quota used) 7 days and 1 day before the deadlines."""
    from .services.reminders import send_deadline_reminders as send

    return send()


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def publish_results() -> dict:
    """Publish the quarters whose 公示 has ended (系统); a quarter with objections pending waits."""
    from .services.publication import publish_due

    return publish_due()
