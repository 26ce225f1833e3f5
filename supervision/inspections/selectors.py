"""Reads of inspection cases, always scoped to who asks (anything else is a 404)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.enums import StaffLevel

from . import rules
from .enums import CaseKind, CaseStatus
from .models import CaseEvent, Evidence, InspectionCase


def visible_cases(user) -> QuerySet[InspectionCase]:
    profile = rules.official_profile(user)
    if profile is None:
        return InspectionCase.objects.none()
    qs = InspectionCase.objects.filter(authority=profile.authority)
    if profile.level != StaffLevel.MINISTRY:
        qs = qs.filter(province=profile.province)
    return qs


def case_list(user) -> QuerySet[InspectionCase]:
    """The list's rows: one query per page (the filing's reference and state come along)."""
    return visible_cases(user).select_related("filing").order_by("-found_on", "-pk")


def case_detail(user, public_id: str) -> InspectionCase | None:
    events = CaseEvent.objects.order_by("at", "pk")
    return (
        visible_cases(user)
        .select_related("filing", "filing__organisation", "organisation", "created_by")
        .prefetch_related(
            Prefetch("events", queryset=events), Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
        )
        .filter(public_id=public_id)
        .first()
    )


def downloadable_evidence(user, token: str) -> Evidence:
    evidence = Evidence.objects.select_related("case").filter(token=token).first()
    if evidence is None or not rules.may_see(user, evidence.case):
        raise Http404
    return evidence


def counts(user) -> dict[str, int]:
    """Open cases by status and by kind for the /staff/ index card (one aggregate query)."""
    qs = visible_cases(user).order_by()
    aggregates = {s: Count("pk", filter=Q(status=s)) for s in CaseStatus.values}
    aggregates |= {f"open_{k}": Count("pk", filter=Q(kind=k) & ~Q(status=CaseStatus.HANDLED)) for k in CaseKind.values}
    return qs.aggregate(**aggregates)
