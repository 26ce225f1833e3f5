"""Read queries of the NRTA recommendation, always scoped to who asks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from review.engine import history as engine_history
from review.models import ReviewRecord

from . import calendar, rules
from .enums import REVIEWED_STATES, TO_SUBMIT_STATES, UNDER_REVIEW_STATES, PlatformStatus
from .models import Nomination, Platform, Project

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
