"""Read queries of the NRTA recommendation, always scoped to who asks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from accounts.enums import Authority, StaffLevel
from common import regions
from review.engine import history as engine_history
from review.engine import rules as engine_rules
from review.models import ReviewRecord

from . import bureaus, calendar, rules
from .enums import REVIEWED_STATES, TO_SUBMIT_STATES, UNDER_REVIEW_STATES, NominationState, PlatformStatus
from .models import QUOTA_DEFAULT, Nomination, Platform, Project, QuotaLedger, QuotaRaise
from .services import quota

# The three tabs of 我的申报 (seed §5) and their states.
TABS = {
    "draft": TO_SUBMIT_STATES,
    "pending": UNDER_REVIEW_STATES,
    "reviewed": REVIEWED_STATES,
}
DEFAULT_TAB = "draft"


# --- projects ------------------------------------------------------------------------------


def open_projects(kind: str | None = None, *, at: datetime | None = None) -> QuerySet[Project]:
    """Projects taking nominations now (opened, applicant deadline not passed), soonest deadline first."""
    at = at or timezone.now()
    # The deadline day is inclusive: it is open while the Beijing date is on or before it.
    today = calendar.beijing_date(at)
    qs = Project.objects.filter(opens_at__lte=at, applicant_deadline__gte=today)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("applicant_deadline", "kind", "pk")


def projects_for(user, *, at: datetime | None = None) -> QuerySet[Project]:
    """The open projects this applicant may nominate to (个人类 for individuals, 机构类 for units)."""
    kind = rules.project_kind_for(user)
    if kind is None:
        return Project.objects.none()
    return open_projects(kind, at=at)


def upcoming_projects(kind: str | None = None, *, at: datetime | None = None, days: int = 31) -> QuerySet[Project]:
    at = at or timezone.now()
    qs = Project.objects.filter(opens_at__gt=at, opens_at__lte=at + timedelta(days=days))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("opens_at", "kind")


def project_for(user, public_id: str) -> Project:
    """项目详情: a project of the applicant's kind (any state: a closed one still shows its details)."""
    kind = rules.project_kind_for(user)
    project = Project.objects.filter(public_id=public_id, kind=kind).first() if kind else None
    if project is None:
        raise Http404
    return project


def active_platforms() -> QuerySet[Platform]:
    return Platform.objects.filter(status=PlatformStatus.ACTIVE).order_by("name")


# --- the applicant's own nominations (404 for anything else) -----------------------------


def own_nominations(user) -> QuerySet[Nomination]:
    if not rules.is_applicant(user):
        return Nomination.objects.none()
    return Nomination.objects.filter(organisation_id=user.organisation_id)


def own_nomination(user, public_id: str) -> Nomination:
    nomination = (
        own_nominations(user).select_related("project", "platform", "organisation").filter(public_id=public_id).first()
    )
    if nomination is None:
        raise Http404
    return nomination


def my_nominations(user, tab: str) -> QuerySet[Nomination]:
    """One tab of 我的申报, newest change first, in one query."""
    states = TABS.get(tab, TABS[DEFAULT_TAB])
    return (
        own_nominations(user)
        .filter(state__in=states)
        .select_related("project", "platform")
        .order_by("-updated_at", "-pk")
    )


def tab_counts(user) -> dict[str, int]:
    """How many nominations each tab holds (one query)."""
    from django.db.models import Count

    counts = {tab: 0 for tab in TABS}
    rows = own_nominations(user).values("state").annotate(n=Count("pk")).order_by()
    for row in rows:
        for tab, states in TABS.items():
            if row["state"] in states:
                counts[tab] += row["n"]
    return counts


def history(nomination: Nomination) -> list[ReviewRecord]:
    """审核记录 through the engine (who, when, from, to, comment)."""
    return engine_history(nomination)


# --- provincial review: the quota counter, the deadline and the quota table ----------------
# (reads of the reviewers' site; the quota's writes live in services.quota)


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        return gettext("%(year)s年第%(quarter)s季度") % {"year": self.year, "quarter": self.quarter}

    def __str__(self) -> str:
        return self.label


def parse_quarter(value: str | None) -> Quarter | None:
    """``"2026Q2"`` → Quarter(2026, 2); None for anything else (a tampered parameter is ignored)."""
    match = re.fullmatch(r"(\d{4})Q([1-4])", (value or "").strip().upper())
    return Quarter(int(match[1]), int(match[2])) if match else None


def review_quarter(at: datetime | None = None) -> Quarter:
    """The quarter whose provincial round is running: the earliest provincial deadline not yet passed.

    From the projects when there are any (ministry staff may move a deadline), else the calendar.
    """
    at = at or timezone.now()
    today = calendar.beijing_date(at)
    row = (
        Project.objects.filter(provincial_deadline__gte=today, opens_at__lte=at)
        .order_by("provincial_deadline", "year", "quarter")
        .values("year", "quarter")
        .first()
    )
    return Quarter(row["year"], row["quarter"]) if row else _calendar_quarter(today)


def _calendar_quarter(today: date) -> Quarter:
    for quarter in calendar.QUARTERS:
        if today <= calendar.provincial_deadline(today.year, quarter):
            return Quarter(today.year, quarter)
    return Quarter(today.year + 1, 1)  # pragma: no cover - 12-31 is always a provincial deadline


def provincial_deadline(quarter: Quarter) -> date:
    """The quarter's provincial deadline (the projects' latest, else the calendar's)."""
    day = (
        Project.objects.filter(year=quarter.year, quarter=quarter.quarter)
        .order_by("-provincial_deadline")
        .values_list("provincial_deadline", flat=True)
        .first()
    )
    return day or calendar.provincial_deadline(quarter.year, quarter.quarter)


def deadline_text(deadline: date, at: datetime | None = None) -> str:
    """初审截止 2026-12-31 23:59，剩余 N 天 (hours and minutes on the last day; 已截止 after)."""
    left = calendar.time_left(deadline, at or timezone.now())
    day = deadline.isoformat()
    if left is None:
        return gettext("初审已于 %(day)s 23:59 截止") % {"day": day}
    if left.days >= 1:
        return gettext("初审截止 %(day)s 23:59，剩余 %(days)s 天") % {"day": day, "days": left.days}
    return gettext("初审截止 %(day)s 23:59，剩余 %(hours)s 小时 %(minutes)s 分钟") % {
        "day": day,
        "hours": left.hours,
        "minutes": left.minutes,
    }


@dataclass(frozen=True)
class QuotaStatus:
    """One province's quota in one quarter, as its official sees it on the queue."""

    quarter: Quarter
    province: str
    used: int
    limit: int
    pending: int
    deadline: date
    deadline_label: str

    @property
    def province_name(self) -> str:
        return regions.name(self.province)

    @property
    def counter_label(self) -> str:
        return gettext("已推荐 %(used)s/%(limit)s") % {"used": self.used, "limit": self.limit}

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def full(self) -> bool:
        return self.used >= self.limit


def _official_province(user) -> str:
    profile = engine_rules.staff_profile(user)
    if profile is None or profile.authority != Authority.NRTA or profile.level != StaffLevel.PROVINCE:
        return ""
    return profile.province or ""


def pending_count(quarter: Quarter, province: str) -> int:
    """待初审 nominations to the province's bureau in the quarter."""
    return Nomination.objects.filter(
        year=quarter.year, quarter=quarter.quarter, state=NominationState.PENDING, bureau=province
    ).count()


def quota_status(user, quarter: Quarter | None = None, *, at: datetime | None = None) -> QuotaStatus | None:
    """已推荐 7/10 and the countdown for an NRTA provincial official; None for anyone else (4 queries)."""
    province = _official_province(user)
    if not province:
        return None
    at = at or timezone.now()
    quarter = quarter or review_quarter(at)
    used = quota.usage(quarter.year, quarter.quarter, province)
    deadline = provincial_deadline(quarter)
    return QuotaStatus(
        quarter=quarter,
        province=province,
        used=used.used,
        limit=used.limit,
        pending=pending_count(quarter, province),
        deadline=deadline,
        deadline_label=deadline_text(deadline, at),
    )


@dataclass(frozen=True)
class ProvinceQuota:
    """A row of the ministry's quota table."""

    province: str
    name: str
    used: int
    limit: int
    pending: int
    raises: int

    @property
    def counter_label(self) -> str:
        return f"{self.used}/{self.limit}"

    @property
    def full(self) -> bool:
        return self.used >= self.limit


def quota_table(quarter: Quarter) -> list[ProvinceQuota]:
    """Every province's quota use in a quarter, in the region table's order (2 queries)."""
    ledgers = {
        row["province"]: row
        for row in QuotaLedger.objects.filter(year=quarter.year, quarter=quarter.quarter)
        .annotate(raise_count=Count("raises"))
        .values("province", "used", "limit", "raise_count")
    }
    pending = dict(
        Nomination.objects.filter(year=quarter.year, quarter=quarter.quarter, state=NominationState.PENDING)
        .exclude(bureau=bureaus.NRTA_BUREAU)
        .values_list("bureau")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for region in regions.REGIONS:
        ledger = ledgers.get(region.code)
        rows.append(
            ProvinceQuota(
                province=region.code,
                name=region.name,
                used=ledger["used"] if ledger else 0,
                limit=ledger["limit"] if ledger else QUOTA_DEFAULT,
                pending=pending.get(region.code, 0),
                raises=ledger["raise_count"] if ledger else 0,
            )
        )
    return rows


def quarter_choices(at: datetime | None = None) -> list[Quarter]:
    """Quarters with projects (newest first), always including the one in provincial review.

    One query, not two: a project in its provincial round is already among the rows, so the
    quarter :func:`review_quarter` would pick is added only when none is (the calendar's).
    A queue that shows the 季度 filter beside the quota counter asked for that quarter twice.
    """
    at = at or timezone.now()
    today = calendar.beijing_date(at)
    rows = set(Project.objects.values_list("year", "quarter", "provincial_deadline", "opens_at"))
    found = {Quarter(y, q) for y, q, _deadline, _opens_at in rows}
    if not any(deadline >= today and opens_at <= at for _y, _q, deadline, opens_at in rows):
        found.add(_calendar_quarter(today))
    return sorted(found, key=lambda q: (q.year, q.quarter), reverse=True)


@dataclass(frozen=True)
class RaiseRow:
    at: datetime
    quarter: Quarter
    province: str
    previous_limit: int
    new_limit: int
    reason: str
    approved_by: str
    created_by: str

    @property
    def province_name(self) -> str:
        return regions.name(self.province)


def quota_raises(quarter: Quarter | None = None, province: str | None = None) -> list[RaiseRow]:
    """名额调整 history, newest first, each with the limit it replaced (1 query)."""
    qs = QuotaRaise.objects.select_related("ledger", "approved_by", "created_by").order_by("ledger_id", "at", "pk")
    if quarter is not None:
        qs = qs.filter(ledger__year=quarter.year, ledger__quarter=quarter.quarter)
    if province:
        qs = qs.filter(ledger__province=province)
    rows: list[RaiseRow] = []
    previous: dict[int, int] = {}
    for item in qs:
        ledger = item.ledger
        rows.append(
            RaiseRow(
                at=item.at,
                quarter=Quarter(ledger.year, ledger.quarter),
                province=ledger.province,
                previous_limit=previous.get(ledger.pk, QUOTA_DEFAULT),
                new_limit=item.new_limit,
                reason=item.reason,
                approved_by=item.approved_by.get_full_name() if item.approved_by else "",
                created_by=item.created_by.get_full_name() if item.created_by else "",
            )
        )
        previous[ledger.pk] = item.new_limit
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows


def quota_approvers() -> QuerySet:
    """Who may be named 批准人 of a quota raise: active NRTA ministry staff."""
    from accounts.models import User

    return User.objects.filter(
        is_active=True, staff_profile__authority=Authority.NRTA, staff_profile__level=StaffLevel.MINISTRY
    ).order_by("full_name", "pk")
