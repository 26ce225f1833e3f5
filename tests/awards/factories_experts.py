"""Helpers of the expert-round and ranking tests: experts, assignments, works in 专家评议, scores."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from awards.enums import NominationState, ProjectKind
from awards.models import ConflictDeclaration, ExpertAssignment, Nomination, Score
from tests.factories import StaffFactory

from .factories import QUARTER, YEAR, InstitutionFactory, PlatformFactory, ProjectFactory, applicant, make_nomination
from .factories import set_state as _set_state

_SEQ = itertools.count(1)


def nrta_expert(**kwargs):
    return StaffFactory(profile__authority="nrta", profile__level="expert", **kwargs)


def mct_expert(**kwargs):
    return StaffFactory(profile__authority="mct", profile__level="expert", **kwargs)


def assign(expert, *, year: int = YEAR, quarter: int = QUARTER, organisation_name: str = "中国传媒大学"):
    return ExpertAssignment.objects.create(
        year=year, quarter=quarter, expert=expert, organisation_name=organisation_name
    )


def in_review(
    project=None, *, name: str | None = None, unit=None, state: str = NominationState.IN_EXPERT_REVIEW, **overrides
):
    """A complete nomination of a fresh unit (or ``unit``) put in 专家评议 (or ``state``)."""
    seq = next(_SEQ)
    project = project or ProjectFactory()
    unit = unit or InstitutionFactory(name=f"示例网络视听机构{seq}", province="430000")
    first = project.window_start + timedelta(days=seq % 60)
    values = {
        "name": name or f"山河新歌第{seq}部",
        "first_broadcast": first,
        "broadcast_end": first + timedelta(days=20),
        **overrides,
    }
    nomination = make_nomination(applicant(unit), project, pledge=False, **values)
    return _set_state(nomination, state)


def move_to_quarter(nomination, year: int, quarter: int):
    """The same work as if nominated to another quarter's project (drafts can only go to open ones)."""
    other = ProjectFactory(year=year, quarter=quarter, kind=nomination.kind)
    Nomination.objects.filter(pk=nomination.pk).update(project=other, year=year, quarter=quarter)
    nomination.refresh_from_db()
    return nomination


def declare(assignment, nomination, *, conflict: bool = False, note: str = ""):
    return ConflictDeclaration.objects.create(
        assignment=assignment, nomination=nomination, has_conflict=conflict, note=note
    )


def score(assignment, nomination, value: int, *, criteria=("thought",), comment: str = "", declared: bool = True):
    """A score (with the declaration of no conflict before it, as the service requires)."""
    if declared:
        ConflictDeclaration.objects.get_or_create(
            assignment=assignment, nomination=nomination, defaults={"has_conflict": False}
        )
    return Score.objects.create(
        assignment=assignment, nomination=nomination, score=value, criteria=list(criteria), comment=comment
    )


def scored_by_panel(nomination, values, *, year: int = YEAR, quarter: int = QUARTER, panel=None):
    """One score per value, each from a different assigned expert (``panel`` reuses assignments)."""
    panel = list(panel or [])
    while len(panel) < len(values):
        panel.append(assign(nrta_expert(), year=year, quarter=quarter))
    for assignment, value in zip(panel, values, strict=False):
        score(assignment, nomination, value)
    return panel


def bulk_quarter(
    works: int, experts: int, *, project=None, base_score: int = 60, start: int = 1
) -> list[ExpertAssignment]:
    """``works`` nominations in 专家评议 and ``experts`` scores each, written with bulk_create.

    Work ``i`` (numbered from ``start``) gets ``(base_score + (i - 1) * 7 + e * 3) % 101`` from expert ``e``;
    the panel is the quarter's first ``experts`` assignments, created when missing.
    """
    project = project or ProjectFactory(kind=ProjectKind.INSTITUTION)
    platform = PlatformFactory(name="芒果TV")
    unit = InstitutionFactory(province="430000")
    now = timezone.now()
    nominations = [
        Nomination(
            project=project,
            year=project.year,
            quarter=project.quarter,
            kind=project.kind,
            organisation=unit,
            state=NominationState.IN_EXPERT_REVIEW,
            bureau="430000",
            province="430000",
            name=f"批量作品{i:05d}",
            normalised_name=f"批量作品{i:05d}",
            work_type="documentary",
            platform=platform,
            first_broadcast=project.window_start,
            broadcast_end=project.window_end,
            producer="批量示例机构",
            maker="批量制作公司",
            reference=f"TY-湘-{project.year}Q{project.quarter}-{i:05d}",
            ref_seq=i,
            submitted_at=now - timedelta(minutes=i),
            decided_at=now,
        )
        for i in range(start, start + works)
    ]
    Nomination.objects.bulk_create(nominations, batch_size=500)
    ids = list(
        Nomination.objects.filter(project=project, ref_seq__gte=start).order_by("ref_seq").values_list("pk", flat=True)
    )
    quarter = ExpertAssignment.objects.filter(year=project.year, quarter=project.quarter).order_by("pk")
    have = quarter.count()
    ExpertAssignment.objects.bulk_create(
        ExpertAssignment(
            year=project.year, quarter=project.quarter, expert=nrta_expert(), organisation_name=f"专家单位{e}"
        )
        for e in range(have, experts)
    )
    panel = list(quarter[:experts])
    declarations, scores = [], []
    for w, pk in enumerate(ids, start=start - 1):
        for e, assignment in enumerate(panel):
            declarations.append(ConflictDeclaration(assignment=assignment, nomination_id=pk, has_conflict=False))
            scores.append(
                Score(
                    assignment=assignment,
                    nomination_id=pk,
                    score=(base_score + w * 7 + e * 3) % 101,
                    criteria=["thought"],
                )
            )
    ConflictDeclaration.objects.bulk_create(declarations, batch_size=2000)
    Score.objects.bulk_create(scores, batch_size=2000)
    return panel
