"""Read queries of the expert round: an expert's 评审任务 and one work of it.

An expert sees the works in 专家评议 of the quarters they are assigned to,
never another quarter's, never a work in another state, never a work with a
conflict of interest (found automatically, or declared by the expert). Anything
else is a 404, so that an address reveals nothing. The list costs a constant
number of queries (assignments, works, declarations, own scores, the count and
mean of the works already scored).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Avg, Count, FloatField, Q, QuerySet
from django.http import Http404
from django.utils.translation import pgettext_lazy

from .enums import NominationState
from .models import ConflictDeclaration, ExpertAssignment, Nomination, Score
from .rules_experts import automatic_conflict, is_nrta_expert

# What an expert's list shows of a work (no pledge, no applicant contacts).
WORK_FIELDS = (
    "public_id",
    "state",
    "year",
    "quarter",
    "kind",
    "bureau",
    "reference",
    "name",
    "work_type",
    "episodes",
    "episode_minutes",
    "total_minutes",
    "first_broadcast",
    "broadcast_end",
    "copyright_owner",
    "producer",
    "maker",
    "submitted_at",
    "organisation__name",
    "platform__name",
)

# The status of a work in an expert's list, and the tabs of the list.
TODO, DONE = "todo", "done"
STATUS_LABELS = {
    TODO: pgettext_lazy("expert task", "待评分"),
    DONE: pgettext_lazy("expert task", "已评分"),
}


@dataclass(frozen=True)
class PeerSummary:
    """What an expert may see of the others once their own score is in: how many, and the mean."""

    count: int
    mean: float | None


@dataclass
class Task:
    nomination: Nomination
    assignment: ExpertAssignment
    declaration: ConflictDeclaration | None
    score: Score | None
    peers: PeerSummary | None = None

    @property
    def declared(self) -> bool:
        """The expert has declared that there is no conflict (a declared conflict is no task)."""
        return self.declaration is not None and not self.declaration.has_conflict

    @property
    def status(self) -> str:
        return DONE if self.score is not None else TODO

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def step_label(self):
        if self.score is not None:
            return pgettext_lazy("expert task", "已评分")
        if self.declared:
            return pgettext_lazy("expert task", "已声明无利益冲突，待评分")
        return pgettext_lazy("expert task", "待声明利益冲突")

    @property
    def open(self) -> bool:
        """Scores may still change (the ranking of the work is not final)."""
        return self.nomination.state == NominationState.IN_EXPERT_REVIEW


def assignments_of(user) -> list[ExpertAssignment]:
    """The quarters this NRTA expert is assigned to (none for anyone else), newest first."""
    if not is_nrta_expert(user):
        return []
    return list(ExpertAssignment.objects.filter(expert=user).order_by("-year", "-quarter"))


def _works(assignments: list[ExpertAssignment]) -> QuerySet[Nomination]:
    quarters = reduce(or_, (Q(year=a.year, quarter=a.quarter) for a in assignments))
    return (
        Nomination.objects.filter(quarters, state=NominationState.IN_EXPERT_REVIEW)
        .select_related("organisation", "platform")
        .only(*WORK_FIELDS)
        .order_by("-year", "-quarter", "reference", "pk")
    )


def _peer_summaries(nomination_ids: list[int]) -> dict[int, PeerSummary]:
    if not nomination_ids:
        return {}
    rows = (
        Score.objects.filter(nomination_id__in=nomination_ids)
        .order_by()
        .values("nomination_id")
        .annotate(count=Count("pk"), mean=Avg("score", output_field=FloatField()))
    )
    return {row["nomination_id"]: PeerSummary(row["count"], row["mean"]) for row in rows}


def tasks_for(
    user,
    *,
    status: str | None = None,
    works: QuerySet[Nomination] | None = None,
    assignments: list[ExpertAssignment] | None = None,
) -> list[Task]:
    """评审任务: the expert's works in 专家评议, without any conflicted work (``status``: TODO or DONE).

    ``assignments``: the expert's, when the caller has them already (:func:`assignments_of`).
    """
    if assignments is None:
        assignments = assignments_of(user)
    if not assignments:
        return []
    by_quarter = {(a.year, a.quarter): a for a in assignments}
    ids = [a.pk for a in assignments]
    qs = works if works is not None else _works(assignments)
    declarations = {
        (d.assignment_id, d.nomination_id): d for d in ConflictDeclaration.objects.filter(assignment_id__in=ids)
    }
    scores = {(s.assignment_id, s.nomination_id): s for s in Score.objects.filter(assignment_id__in=ids)}
    tasks: list[Task] = []
    for nomination in qs:
        assignment = by_quarter.get((nomination.year, nomination.quarter))
        if assignment is None:  # pragma: no cover - the works are filtered by the same quarters
            continue
        declaration = declarations.get((assignment.pk, nomination.pk))
        if declaration is not None and declaration.has_conflict:
            continue
        if automatic_conflict(assignment.organisation_name, nomination):
            continue
        task = Task(nomination, assignment, declaration, scores.get((assignment.pk, nomination.pk)))
        if status is None or task.status == status:
            tasks.append(task)
    peers = _peer_summaries([t.nomination.pk for t in tasks if t.score is not None])
    for task in tasks:
        if task.score is not None:
            task.peers = peers.get(task.nomination.pk)
    return tasks


def task_for(user, public_id: str) -> Task:
    """One work of the expert's list, or 404 (another quarter, not in 专家评议, conflicted, not an expert)."""
    assignments = assignments_of(user)
    if not assignments or not isinstance(public_id, str) or len(public_id) > 32:
        raise Http404
    found = tasks_for(user, works=_works(assignments).filter(public_id=public_id), assignments=assignments)
    if not found:
        raise Http404
    return found[0]


def peer_summary(nomination: Nomination) -> PeerSummary:
    """Count and mean of a work's scores (shown to an expert only once their own score is in)."""
    return _peer_summaries([nomination.pk]).get(nomination.pk, PeerSummary(0, None))
