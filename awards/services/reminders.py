"""Deadline reminders of the NRTA recommendation (SPEC §E: 7 and 1 days before a deadline).

* Applicants with nominations still 待提交 (草稿, 退回修改) of a project: 7 days
  and 1 day before its applicant deadline (one message per unit, naming how
  many works are still to submit).
* NRTA provincial officials: 7 days and 1 day before the quarter's provincial
  deadline, telling how many nominations to their bureau are still 待初审
  and the quota used (已推荐 7/10); only provinces with something still to review.

A reminder is due from its day on (the 7-day one while 2–7 days are left, the
1-day one on the last two days), so a job that did not run on the day still
sends it later; a reminder the 1-day one overtook is not sent any more.
Idempotent: each reminder has a key (:class:`awards.models.ReminderSent`)
written in the transaction that queues its notification ("notify" topic of
the outbox), so a re-run, or two runs at once, never sends it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.enums import Authority, StaffLevel
from accounts.models import User
from common import regions
from review.outbox import enqueue
from review.outbox.notifications import TOPIC, notify_payload

from .. import bureaus, calendar
from ..enums import TO_SUBMIT_STATES, NominationState
from ..models import Nomination, Project, ReminderSent
from . import quota

# Days before a deadline at which a reminder is due, latest first.
STAGES = (1, 7)


def stage_for(days_left: int) -> int | None:
    """Which reminder is due with ``days_left`` days to the deadline (0 on the deadline day)."""
    if days_left < 0:
        return None
    for stage in STAGES:
        if days_left <= stage:
            return stage
    return None


def _days_text(deadline: date, days_left: int) -> str:
    if days_left == 0:
        return gettext("今天（%(day)s）23:59 截止") % {"day": deadline.isoformat()}
    return gettext("将于 %(day)s 23:59 截止，还剩 %(days)s 天") % {"day": deadline.isoformat(), "days": days_left}


def send_once(key: str, payload: dict) -> bool:
    """Queue ``payload`` as a notification unless the reminder ``key`` was sent already."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key)
            enqueue(TOPIC, payload)
    except IntegrityError:
        return False  # sent before (or by a concurrent run)
    return True


@dataclass
class Sent:
    applicants: int = 0
    officials: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"applicants": self.applicants, "officials": self.officials}


def _applicant_reminders(today: date, now: datetime) -> int:
    sent = 0
    projects = Project.objects.filter(
        opens_at__lte=now, applicant_deadline__gte=today, applicant_deadline__lte=today + timedelta(days=max(STAGES))
    ).order_by("applicant_deadline", "pk")
    for project in projects:
        days_left = (project.applicant_deadline - today).days
        stage = stage_for(days_left)
        if stage is None:  # pragma: no cover - the query keeps only due projects
            continue
        drafts = (
            Nomination.objects.filter(project=project, state__in=TO_SUBMIT_STATES)
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
            .order_by("organisation_id")
        )
        for organisation_id, count in drafts:
            payload = notify_payload(
                organisation=organisation_id,
                title=gettext("推优申报即将截止：%(project)s") % {"project": project.title},
                body=gettext(
                    "您有 %(count)s 件作品尚未申报。《%(project)s》申报%(when)s，"
                    "请在“我的申报 > 待提交”中完成填写并点击“申报”。"
                )
                % {"count": count, "project": project.title, "when": _days_text(project.applicant_deadline, days_left)},
                link=reverse("awards:mine"),
                email=True,
            )
            if send_once(f"applicant:{project.pk}:{organisation_id}:{stage}", payload):
                sent += 1
    return sent


def _officials_by_province() -> dict[str, list[int]]:
    result: dict[str, list[int]] = {}
    rows = User.objects.filter(
        is_active=True,
        cancelled_at__isnull=True,
        staff_profile__authority=Authority.NRTA,
        staff_profile__level=StaffLevel.PROVINCE,
    ).values_list("staff_profile__province", "pk")
    for province, pk in rows:
        result.setdefault(province, []).append(pk)
    return result


def _official_reminders(today: date) -> int:
    sent = 0
    quarters = (
        Project.objects.filter(
            provincial_deadline__gte=today, provincial_deadline__lte=today + timedelta(days=max(STAGES))
        )
        .values_list("year", "quarter", "provincial_deadline")
        .distinct()
        .order_by("provincial_deadline", "year", "quarter")
    )
    officials = None
    seen: set[tuple[int, int]] = set()
    for year, quarter, deadline in quarters:
        if (year, quarter) in seen:  # two projects of a quarter with different deadlines: the first
            continue
        seen.add((year, quarter))
        days_left = (deadline - today).days
        stage = stage_for(days_left)
        pending = dict(
            Nomination.objects.filter(year=year, quarter=quarter, state=NominationState.PENDING)
            .exclude(bureau=bureaus.NRTA_BUREAU)
            .values_list("bureau")
            .annotate(n=Count("pk"))
            .order_by("bureau")
        )
        if not pending:
            continue
        if officials is None:
            officials = _officials_by_province()
        for province, count in sorted(pending.items()):
            users = officials.get(province)
            if not users or stage is None:
                continue
            used = quota.usage(year, quarter, province)
            payload = notify_payload(
                users=users,
                title=gettext("推优初审即将截止：%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter},
                body=gettext(
                    "%(year)s年第%(quarter)s季度网络视听节目季度推优初审%(when)s。"
                    "%(province)s尚有 %(count)s 件作品待初审，已推荐 %(used)s/%(limit)s。"
                    "截止后未审核的作品将按逾期未审处理。"
                )
                % {
                    "year": year,
                    "quarter": quarter,
                    "when": _days_text(deadline, days_left),
                    "province": regions.name(province),
                    "count": count,
                    "used": used.used,
                    "limit": used.limit,
                },
                link=reverse("staff:awards_nomination_changelist") + "?queue=pending",
                email=True,
            )
            if send_once(f"official:{year}Q{quarter}:{province}:{stage}", payload):
                sent += 1
    return sent


def send_deadline_reminders(now: datetime | None = None) -> dict[str, int]:
    """Send the reminders due at ``now`` (Beijing dates) that were not sent before; returns counts."""
    now = now or timezone.now()
    today = calendar.beijing_date(now)
    sent = Sent(applicants=_applicant_reminders(today, now), officials=_official_reminders(today))
    return sent.as_dict()
