"""The expert round (专家评议): assigning experts to a quarter, conflict declarations, scores.

* NRTA ministry staff assign NRTA experts to a quarter (:func:`check_assignment`,
  :func:`save_assignment`), with the expert's organisation, which the automatic
  conflict check compares with each work (``awards.rules_experts``).
* Before scoring a work an expert declares a conflict of interest or explicitly
  declares none (:func:`declare`, recorded with its time, final). A declared
  conflict takes the work out of the expert's list; an automatic one hides it.
* :func:`save_score`: 0–100, at least one 推优标准, a comment; one score per
  expert and work, editable while the work is in 专家评议 (the ranking of the
  work is not final). The nomination row is locked, so a score never lands on a
  work that NRTA staff are marking 入选 / 未入选 at the same moment.

Every write is audited (``accounts.audit``). Refusals are :class:`ExpertError`
(``message`` for the user, ``field`` the form field it concerns).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import rules
from ..enums import Criterion, NominationState
from ..models import ConflictDeclaration, ExpertAssignment, Nomination, Score
from ..rules_experts import automatic_conflict, is_nrta_expert
from .errors import AwardError, NotPermitted

SCORE_MIN, SCORE_MAX = 0, 100
COMMENT_MAX = 2000
NOTE_MAX = 1000


class ExpertError(AwardError):
    """A refused step of the expert round."""


# --- assignments (NRTA ministry staff) ----------------------------------------------------


def check_assignment(
    *, year: int, quarter: int, expert: Any, organisation_name: str, instance: ExpertAssignment | None = None
) -> dict[str, str]:
    """Problems of an assignment, by field (empty when it may be saved)."""
    errors: dict[str, str] = {}
    if expert is not None and not is_nrta_expert(expert):
        errors["expert"] = _("只能分配国家广播电视总局的评审专家账号。")
    if not (organisation_name or "").strip():
        errors["organisation_name"] = _("请填写专家所在单位（用于自动识别利益冲突）。")
    if expert is not None and year and quarter and "expert" not in errors:
        taken = ExpertAssignment.objects.filter(year=year, quarter=quarter, expert=expert)
        if instance is not None and instance.pk:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["expert"] = _("该专家已分配到%(year)s年第%(quarter)s季度。") % {"year": year, "quarter": quarter}
    return errors


def save_assignment(actor, assignment: ExpertAssignment, *, created: bool, request=None) -> ExpertAssignment:
    """Save an assignment checked by :func:`check_assignment` (NRTA ministry staff only; audited)."""
    if not rules.is_nrta_ministry(actor):
        raise NotPermitted(_("只有国家广播电视总局工作人员可以分配评审专家。"))
    errors = check_assignment(
        year=assignment.year,
        quarter=assignment.quarter,
        expert=assignment.expert,
        organisation_name=assignment.organisation_name,
        instance=assignment,
    )
    if errors:
        field, message = next(iter(errors.items()))
        raise ExpertError(message, field=field)
    assignment.organisation_name = assignment.organisation_name.strip()
    if created:
        assignment.assigned_by = actor
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:  # the same expert assigned a moment ago by someone else
        raise ExpertError(
            _("该专家已分配到%(year)s年第%(quarter)s季度。") % {"year": assignment.year, "quarter": assignment.quarter},
            field="expert",
        )
    audit.record(
        "awards.expert_assigned" if created else "awards.expert_assignment_changed",
        request=request,
        actor=actor,
        target=f"{assignment.year}Q{assignment.quarter}",
        expert=assignment.expert.get_username(),
        organisation=assignment.organisation_name,
    )
    return assignment


def last_organisation(expert) -> str:
    """The organisation entered on the expert's latest assignment ("" if none), to prefill the next one."""
    row = ExpertAssignment.objects.filter(expert=expert).order_by("-year", "-quarter").values("organisation_name")
    first = row.first()
    return first["organisation_name"] if first else ""


# --- the expert's side ------------------------------------------------------------------------


def _locked_work(expert, nomination: Nomination) -> tuple[ExpertAssignment, Nomination]:
    """The work locked for this step, and the expert's assignment to its quarter; refuses otherwise."""
    if not is_nrta_expert(expert):
        raise NotPermitted(_("只有国家广播电视总局评审专家可以评议作品。"))
    locked = Nomination.objects.select_for_update().select_related("organisation").get(pk=nomination.pk)
    assignment = ExpertAssignment.objects.filter(expert=expert, year=locked.year, quarter=locked.quarter).first()
    if assignment is None:
        raise NotPermitted(_("您未被分配评议该季度的作品。"))
    if locked.state != NominationState.IN_EXPERT_REVIEW:
        raise ExpertError(_("该作品不在专家评议阶段，不能评分。"))
    conflict = automatic_conflict(assignment.organisation_name, locked)
    if conflict:
        raise ExpertError(_("您所在单位与该作品的%(field)s相同，存在利益冲突，不能评议。") % {"field": conflict})
    return assignment, locked


def declare(expert, nomination: Nomination, *, has_conflict: bool, note: str = "", request=None) -> ConflictDeclaration:
    """声明: a conflict of interest (the work leaves the expert's list) or explicitly none (final)."""
    note = (note or "").strip()
    if has_conflict and not note:
        raise ExpertError(_("请说明利益冲突的情况。"), field="note")
    if len(note) > NOTE_MAX:
        raise ExpertError(_("说明不能超过%(max)s个字符。") % {"max": NOTE_MAX}, field="note")
    with transaction.atomic():
        assignment, locked = _locked_work(expert, nomination)
        if ConflictDeclaration.objects.filter(assignment=assignment, nomination=locked).exists():
            raise ExpertError(_("您已对该作品作出利益冲突声明，不能重复声明。"))
        declaration = ConflictDeclaration.objects.create(
            assignment=assignment, nomination=locked, has_conflict=has_conflict, note=note, at=timezone.now()
        )
    audit.record(
        "awards.expert_declared",
        request=request,
        actor=expert,
        target=locked.reference,
        has_conflict=has_conflict,
    )
    return declaration


def _clean_criteria(criteria: Iterable[str]) -> list[str]:
    chosen = set(criteria or ())
    # In the notice's order, unknown keys dropped.
    return [value for value in Criterion.values if value in chosen]


def save_score(
    expert, nomination: Nomination, *, score: int, criteria: Iterable[str], comment: str, request=None
) -> Score:
    """评分: create or change the expert's score of a work in 专家评议 (after declaring no conflict)."""
    comment = (comment or "").strip()
    chosen = _clean_criteria(criteria)
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        raise ExpertError(_("评分须为 0 至 100 之间的整数。"), field="score")
    if not chosen:
        raise ExpertError(_("请至少勾选一项该作品符合的推优标准。"), field="criteria")
    if not comment:
        raise ExpertError(_("请填写评语。"), field="comment")
    if len(comment) > COMMENT_MAX:
        raise ExpertError(_("评语不能超过%(max)s个字符。") % {"max": COMMENT_MAX}, field="comment")
    with transaction.atomic():
        assignment, locked = _locked_work(expert, nomination)
        declaration = ConflictDeclaration.objects.filter(assignment=assignment, nomination=locked).first()
        if declaration is None:
            raise ExpertError(_("评分前请先声明您与该作品是否存在利益冲突。"), field="declaration")
        if declaration.has_conflict:
            raise ExpertError(_("您已声明与该作品存在利益冲突，不能评分。"))
        existing = Score.objects.filter(assignment=assignment, nomination=locked).first()
        values = {"score": score, "criteria": chosen, "comment": comment, "at": timezone.now()}
        if existing is None:
            result = Score.objects.create(assignment=assignment, nomination=locked, **values)
        else:
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save(update_fields=list(values))
            result = existing
    audit.record(
        "awards.expert_scored" if existing is None else "awards.expert_score_changed",
        request=request,
        actor=expert,
        target=locked.reference,
        score=score,
    )
    return result
