"""The 30-day filing rule on a programme's own sessions (国产: 首场演出后 FILINGS_DOMESTIC_FILING_DAYS 天内备案).

Read side only, in the database: the first session of a programme is a subquery on its application
version's sessions (a programme not yet approved has only that version), so every candidate list is one
query however many filings there are. ``supervision.inspections`` builds its cases (逾期未备案,
未经批准擅自提供) and the applicants' reminders from these querysets; the applicant's own pages show
:func:`stage` of each programme (7 days and 1 day before the deadline, and after it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from .enums import FilingKind, FilingState
from .models import Filing, Session

# A programme "without an approved filing": everything that never reached 已通过.
NOT_APPROVED_STATES = (
    FilingState.DRAFT,
    FilingState.SUBMITTED,
    FilingState.REVIEWING,
    FilingState.RETURNED,
    FilingState.REJECTED,
)
# A programme that was approved (a certificate's later life does not make it unfiled after the fact).
APPROVED_STATES = (FilingState.APPROVED, FilingState.SUSPENDED, FilingState.REVOKED, FilingState.EXPIRED)

# Warning stages shown to the applicant: days before the deadline (0: the deadline has passed).
OVERDUE = 0
STAGES = (1, 7)


def filing_days() -> timedelta:
    return timedelta(days=settings.FILINGS_DOMESTIC_FILING_DAYS)


def first_session() -> Subquery:
    """The start of the first session of a filing's application version (NULL without sessions)."""
    return Subquery(
        Session.objects.filter(version_id=OuterRef("application_version_id"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def with_first_session(qs: QuerySet[Filing]) -> QuerySet[Filing]:
    """Annotates ``first_session_at`` and ``province_code`` (the filing's province, or for a draft never
    submitted the unit's)."""
    return qs.annotate(
        first_session_at=first_session(),
        province_code=Coalesce(
            NullIf("province", Value("")), "organisation__province", output_field=CharField(max_length=6)
        ),
    )


def _sessions():
    return Session.objects.filter(version_id=OuterRef("application_version_id"))


def overdue_domestic(now: datetime | None = None) -> QuerySet[Filing]:
    """逾期未备案: domestic programmes whose first session started more than the filing days ago, unapproved.

    "The first session is before X" is "some session is before X" (an EXISTS, cheap on a large table);
    the first session's time is annotated for the rows found."""
    now = now or timezone.now()
    qs = Filing.objects.filter(kind=FilingKind.DOMESTIC, state__in=NOT_APPROVED_STATES)
    return with_first_session(qs.filter(Exists(_sessions().filter(starts_at__lt=now - filing_days()))))


def unapproved_imports(now: datetime | None = None) -> QuerySet[Filing]:
    """未经批准擅自提供: imported programmes with a session already started and no approval."""
    now = now or timezone.now()
    qs = Filing.objects.filter(kind=FilingKind.IMPORT, state__in=NOT_APPROVED_STATES)
    return with_first_session(qs.filter(Exists(_sessions().filter(starts_at__lte=now))))


def stage_window(stage: int, now: datetime | None = None) -> tuple[dict, dict]:
    """Lookups on a session's ``starts_at``: (inside the window, before it) for filings in ``stage`` at ``now``.

    Time left = first session − base. Stage 7: 1 day < time left ≤ 7 days; stage 1: 0 ≤ time left ≤ 1 day;
    stage 0 (overdue): the deadline passed within the last 7 days (older ones were told before, or are only
    the officials' matter now).
    """
    now = now or timezone.now()
    base = now - filing_days()  # a first session at ``base`` has its deadline now
    day = timedelta(days=1)
    if stage == OVERDUE:
        return {"starts_at__gte": base - 7 * day, "starts_at__lt": base}, {"starts_at__lt": base - 7 * day}
    if stage == 1:
        return {"starts_at__gte": base, "starts_at__lte": base + day}, {"starts_at__lt": base}
    return {"starts_at__gt": base + day, "starts_at__lte": base + 7 * day}, {"starts_at__lte": base + day}


def due_for_reminder(stage: int, now: datetime | None = None) -> QuerySet[Filing]:
    """Unapproved domestic programmes whose first session falls in ``stage``'s window at ``now`` (a session
    inside the window and none before it)."""
    inside, before = stage_window(stage, now)
    qs = Filing.objects.filter(kind=FilingKind.DOMESTIC, state__in=NOT_APPROVED_STATES)
    qs = qs.filter(Exists(_sessions().filter(**inside))).exclude(Exists(_sessions().filter(**before)))
    return with_first_session(qs)


@dataclass(frozen=True)
class Warning:
    """What the applicant is told about one programme's deadline."""

    stage: int | None  # 7, 1, 0 (overdue) or None (no warning yet)
    deadline: datetime
    days_left: int  # whole days left (0 on the last day or after)

    @property
    def overdue(self) -> bool:
        return self.stage == OVERDUE

    @property
    def level(self) -> str:
        if self.stage is None:
            return "info"
        return "danger" if self.stage == OVERDUE else "warning"


def stage(deadline: datetime, now: datetime | None = None) -> Warning:
    now = now or timezone.now()
    left = deadline - now
    if left < timedelta(0):
        return Warning(OVERDUE, deadline, 0)
    days_left = left.days
    for s in STAGES:
        if left <= timedelta(days=s):
            return Warning(s, deadline, days_left)
    return Warning(None, deadline, days_left)


def own_warnings(user, *, now: datetime | None = None, limit: int = 10) -> list[tuple[Filing, Warning]]:
    """The unit's unapproved domestic programmes 7 days or less from their deadline, or past it (one query)."""
    from . import selectors

    now = now or timezone.now()
    qs = selectors.own_filings(user).filter(kind=FilingKind.DOMESTIC, state__in=NOT_APPROVED_STATES)
    qs = (
        qs.annotate(first_session_at=first_session())
        .filter(first_session_at__lte=now - filing_days() + timedelta(days=max(STAGES)))
        .select_related("application_version")
        .only("public_id", "state", "application_version__name")  # what the notice shows (受理状态, issue 11)
        .order_by("first_session_at", "pk")[:limit]
    )
    return [(f, stage(f.first_session_at + filing_days(), now)) for f in qs]
