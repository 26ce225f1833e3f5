"""The refresh job (``manage.py refresh_inspections``, Celery beat ``refresh-inspections``).

1. Opens the cases the filings call for, in bulk: the candidates are one query each
   (:mod:`filings.deadlines`) minus the programmes that already have a case of that kind; the new rows are
   inserted with ``ignore_conflicts`` against the unique (filing, kind) constraint, so a re-run or two runs
   at once open each case once. The rows this run inserted carry its ``refresh_run`` token.
2. Closes the open cases whose programme has been approved since (已处理, by 系统, with a history line).
3. Tells each province's MCT officials of its new cases in one message per refresh; the cases are claimed
   under ``select_for_update(skip_locked=True)`` and marked ``notified_at`` in the transaction that queues
   the message, so no case is announced twice.
4. Reminds applicants of their unapproved domestic programmes 7 days and 1 day before the deadline and
   once after it (one message per programme and stage, :class:`.models.ReminderSent`).
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Authority, StaffLevel
from accounts.models import User
from common import regions
from filings import deadlines
from filings.enums import EDITABLE_STATES
from review.outbox import enqueue
from review.outbox.notifications import TOPIC, notify_payload

from .enums import FILING_KINDS, CaseKind, CaseStatus, EventKind
from .models import CaseEvent, InspectionCase, ReminderSent
from .signals import changed

SYSTEM_NAME = "系统"
BATCH = 2000
ANALYZE_AFTER = 1000


@dataclass
class Result:
    opened: int = 0
    closed: int = 0
    notified: int = 0  # messages queued to officials (one per province)
    reminders: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"opened": self.opened, "closed": self.closed, "notified": self.notified, "reminders": self.reminders}


def _candidates(kind: str, now: datetime):
    qs = deadlines.overdue_domestic(now) if kind == CaseKind.OVERDUE else deadlines.unapproved_imports(now)
    existing = InspectionCase.objects.filter(kind=kind, filing__isnull=False).values("filing_id")
    return (
        qs.exclude(pk__in=existing)
        .values(
            "pk",
            "province_code",
            "organisation_id",
            "organisation__name",
            "organisation__credit_code",
            "application_version__name",
            "application_version__platform",
            "first_session_at",
        )
        .order_by("pk")
    )


def open_cases(now: datetime, run: str) -> int:
    """Insert the missing cases of both kinds; returns how many this run inserted."""
    today = timezone.localtime(now).date()
    for kind in FILING_KINDS:
        batch: list[InspectionCase] = []
        for row in _candidates(kind, now).iterator(chunk_size=BATCH):
            batch.append(
                InspectionCase(
                    kind=kind,
                    authority=Authority.MCT,
                    province=row["province_code"] or "",
                    filing_id=row["pk"],
                    organisation_id=row["organisation_id"],
                    programme_name=(row["application_version__name"] or "")[:200],
                    unit_name=(row["organisation__name"] or "")[:200],
                    credit_code=row["organisation__credit_code"] or "",
                    platform=(row["application_version__platform"] or "")[:200],
                    first_session_at=row["first_session_at"],
                    found_on=today,
                    created_at=now,
                    updated_at=now,
                    refresh_run=run,
                )
            )
            if len(batch) >= BATCH:
                InspectionCase.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        if batch:
            InspectionCase.objects.bulk_create(batch, ignore_conflicts=True)
    new = list(InspectionCase.objects.filter(refresh_run=run).values_list("pk", "kind"))
    note = {
        CaseKind.OVERDUE: _("首场演出已超过备案期限，尚未通过备案。"),
        CaseKind.UNAPPROVED: _("进口节目已开始演出，尚未通过内容审查。"),
    }
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=pk,
                kind=EventKind.CREATED,
                actor_name=SYSTEM_NAME,
                at=now,
                status_to=CaseStatus.PENDING,
                note=note[kind],
            )
            for pk, kind in new
        ],
        batch_size=BATCH,
    )
    if new:
        changed()
    if len(new) >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # A first run opens tens of thousands of cases at once: refresh the planner's statistics now rather
        # than at autovacuum's leisure (with stale ones the list sorts every case instead of reading an index).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {InspectionCase._meta.db_table}, {CaseEvent._meta.db_table}")
    return len(new)


def close_approved(now: datetime | None = None, filing_ids=None) -> int:
    """Close the open filing cases whose programme was approved (all, or those of ``filing_ids``)."""
    now = now or timezone.now()
    condition = Q(kind__in=list(FILING_KINDS), filing__isnull=False) & ~Q(status=CaseStatus.HANDLED)
    if filing_ids is not None:
        condition &= Q(filing_id__in=list(filing_ids))
    closed = 0
    with transaction.atomic():
        rows = list(
            InspectionCase.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(condition, filing__state__in=deadlines.APPROVED_STATES)
            .values_list("pk", "status")
        )
        if not rows:
            return 0
        ids = [pk for pk, _s in rows]
        closed = InspectionCase.objects.filter(pk__in=ids).update(
            status=CaseStatus.HANDLED, closed_at=now, updated_at=now
        )
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case_id=pk,
                    kind=EventKind.APPROVED,
                    actor_name=SYSTEM_NAME,
                    at=now,
                    status_from=status,
                    status_to=CaseStatus.HANDLED,
                    note=_("节目已通过备案（审查），巡查事项自动办结。"),
                )
                for pk, status in rows
            ],
            batch_size=BATCH,
        )
        changed()
    return closed


def _province_officials() -> dict[str, list[int]]:
    result: dict[str, list[int]] = {}
    rows = User.objects.filter(
        is_active=True,
        cancelled_at__isnull=True,
        staff_profile__authority=Authority.MCT,
        staff_profile__level=StaffLevel.PROVINCE,
    ).values_list("staff_profile__province", "pk")
    for province, pk in rows:
        result.setdefault(province, []).append(pk)
    return result


def notify_new(now: datetime | None = None) -> int:
    """One message per province naming how many new cases of each kind it has; returns messages queued."""
    now = now or timezone.now()
    link = reverse("staff:inspections_inspectioncase_changelist") + "?queue=pending"
    labels = dict(CaseKind.choices)
    queued = 0
    with transaction.atomic():
        rows = list(
            InspectionCase.objects.select_for_update(skip_locked=True)
            .filter(notified_at__isnull=True)
            .values_list("pk", "province", "kind")
        )
        if not rows:
            return 0
        InspectionCase.objects.filter(pk__in=[pk for pk, _p, _k in rows]).update(notified_at=now)
        per_province: dict[str, Counter] = {}
        for _pk, province, kind in rows:
            per_province.setdefault(province, Counter())[kind] += 1
        officials = _province_officials()
        for province in sorted(per_province):
            users = officials.get(province)
            if not users:
                continue
            counts = per_province[province]
            parts = "，".join(f"{labels[k]} {counts[k]} 件" for k in CaseKind.values if counts.get(k))
            enqueue(
                TOPIC,
                notify_payload(
                    users=users,
                    title=_("日常巡查：新增 %(n)s 件待处理事项") % {"n": sum(counts.values())},
                    body=_("%(province)s新增巡查事项：%(parts)s。请在“日常巡查”中核实并处置。")
                    % {"province": regions.name(province), "parts": parts},
                    link=link,
                ),
            )
            queued += 1
    return queued


def _reminder_text(stage: int, name: str, deadline: datetime) -> tuple[str, str]:
    day = timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
    if stage == deadlines.OVERDUE:
        return (
            _("备案已逾期：%(name)s") % {"name": name},
            _("您单位的国产网络演出剧（节）目《%(name)s》首场演出已超过备案期限（%(day)s），尚未完成备案，请尽快提交。")
            % {"name": name, "day": day},
        )
    return (
        _("备案期限将至：%(name)s") % {"name": name},
        _("您单位的国产网络演出剧（节）目《%(name)s》应于 %(day)s 前完成备案（首场演出后30天内），还剩不足 %(n)s 天。")
        % {"name": name, "day": day, "n": stage},
    )


def send_reminders(now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for stage in (deadlines.OVERDUE, *deadlines.STAGES):
        done = ReminderSent.objects.filter(stage=stage).values("filing_id")
        due = (
            deadlines.due_for_reminder(stage, now)
            .exclude(pk__in=done)
            .values_list("pk", "public_id", "state", "organisation_id", "application_version__name", "first_session_at")
        )
        for pk, public_id, state, organisation_id, name, first in due.iterator(chunk_size=BATCH):
            title, body = _reminder_text(stage, name or _("（未命名）"), first + deadlines.filing_days())
            view = "filings:edit" if state in EDITABLE_STATES else "filings:detail"
            payload = notify_payload(
                organisation=organisation_id, title=title, body=body, link=reverse(view, args=[public_id])
            )
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(filing_id=pk, stage=stage, sent_at=now)
                    enqueue(TOPIC, payload)
            except IntegrityError:
                continue  # a concurrent run sent it
            sent += 1
    return sent


def refresh(now: datetime | None = None) -> Result:
    now = now or timezone.now()
    run = secrets.token_hex(8)
    result = Result()
    result.opened = open_cases(now, run)
    result.closed = close_approved(now)
    result.notified = notify_new(now)
    result.reminders = send_reminders(now)
    return result
