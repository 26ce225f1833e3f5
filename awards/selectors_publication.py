"""Read queries of the public 公示 and results pages, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from .enums import NominationState, ProjectKind
from .models import Nomination, Publicity, ResultWithdrawal
from .services import publication

S = NominationState


@dataclass(frozen=True)
class WorkRow:
    """One line of a public list: what the NRTA website prints of a work."""

    public_id: str
    name: str
    work_type: str
    platform: str
    producer: str
    recommending_unit: str
    kind: str
    withdrawn: bool = False
    withdrawn_on: date | None = None
    withdrawn_reason: str = ""


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    rows: list[WorkRow]


def work_row(nomination: Nomination) -> WorkRow:
    withdrawal = None
    if nomination.state == S.WITHDRAWN:
        withdrawals = list(nomination.withdrawals.all())  # prefetched, newest first
        withdrawal = withdrawals[0] if withdrawals else None
    return WorkRow(
        public_id=nomination.public_id,
        name=nomination.name,
        work_type=str(nomination.get_work_type_display()),
        platform=nomination.platform.name if nomination.platform_id else "",
        producer=nomination.producer,
        recommending_unit=publication.recommending_unit(nomination),
        kind=nomination.kind,
        withdrawn=nomination.state == S.WITHDRAWN,
        withdrawn_on=timezone.localtime(withdrawal.at).date() if withdrawal else None,
        withdrawn_reason=withdrawal.reason if withdrawal else "",
    )


def grouped(rows: list[WorkRow]) -> list[Group]:
    """机构类 then 个人类 (a group without works is left out)."""
    groups = []
    for kind in publication.KIND_ORDER:
        members = [row for row in rows if row.kind == kind]
        if members:
            groups.append(Group(kind=kind, label=str(ProjectKind(kind).label), rows=members))
    return groups


# --- 公示 ---------------------------------------------------------------------------------------


def public_publicity(year: int, quarter: int, now: datetime | None = None) -> Publicity:
    """The quarter's 公示 once its start date has come (404 before, and for a quarter a URL cannot name)."""
    if not publication.valid_quarter(year, quarter):
        raise Http404
    publicity = Publicity.objects.filter(year=year, quarter=quarter).first()
    if publicity is None or publicity.starts_on > publication.beijing_today(now):
        raise Http404
    return publicity


def publicity_rows(publicity: Publicity) -> list[WorkRow]:
    """The works of the 公示 list: the quarter's 入选 works (one query)."""
    return [work_row(n) for n in publication.selected_works(publicity.year, publicity.quarter)]


# --- the final list ------------------------------------------------------------------------------


def published_publicity(year: int, quarter: int) -> Publicity:
    if not publication.valid_quarter(year, quarter):
        raise Http404
    publicity = Publicity.objects.filter(year=year, quarter=quarter, published_at__isnull=False).first()
    if publicity is None:
        raise Http404
    return publicity


def result_nominations(year: int, quarter: int) -> list[Nomination]:
    works = (
        Nomination.objects.filter(year=year, quarter=quarter, state__in=publication.RESULT_STATES)
        .select_related("platform", "organisation")
        .prefetch_related(Prefetch("withdrawals", queryset=ResultWithdrawal.objects.order_by("-at", "-pk")))
    )
    return sorted(works, key=publication.work_order_key)


def result_rows(publicity: Publicity) -> list[WorkRow]:
    """The published list of a quarter, withdrawn works included (shown as 已撤销); two queries."""
    return [work_row(n) for n in result_nominations(publicity.year, publicity.quarter)]


def results_version(publicity: Publicity) -> str:
    """Changes whenever the published list does (a withdrawal): the key of the cached PDF."""
    stats = Nomination.objects.filter(
        year=publicity.year, quarter=publicity.quarter, state__in=publication.RESULT_STATES
    ).aggregate(n=Count("pk"), withdrawn=Count("pk", filter=Q(state=S.WITHDRAWN)), last=Max("updated_at"))
    last = stats["last"].timestamp() if stats["last"] else 0
    return f"{publicity.published_at.timestamp():.0f}:{stats['n']}:{stats['withdrawn']}:{last:.6f}"


def published_quarters() -> list[Publicity]:
    """Every published quarter, newest first, with how many works its list holds (one query)."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counts = (
        Nomination.objects.filter(
            year=OuterRef("year"), quarter=OuterRef("quarter"), state__in=publication.RESULT_STATES
        )
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Publicity.objects.filter(published_at__isnull=False)
        .annotate(work_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0))
        .order_by("-year", "-quarter")
    )


def current_publicities(now: datetime | None = None) -> list[Publicity]:
    """公示 that have started and are not published yet (shown on the results index)."""
    today = publication.beijing_today(now)
    return list(Publicity.objects.filter(published_at__isnull=True, starts_on__lte=today).order_by("-year", "-quarter"))
