"""The applicant's side of a nomination: 保存 (a draft, no rules beyond types), 申报, 删除.

申报 goes through ``review.engine.perform`` ("submit", or "submit_to_nrta" for a
central unit's nomination to 国家广播电视总局, which skips provincial review);
this module adds the rules only the applicant's side has (validation.py) and
turns refusals into messages.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import audit
from review.engine import ReviewError, perform

from .. import bureaus, rules
from ..enums import NominationState
from ..models import Nomination, Project
from ..names import normalise_name
from ..uploads import check_pledge
from . import validation
from .errors import AwardError, Incomplete, NotEditable, NotPermitted

# The fields of the 登记表 an applicant edits (the pledge is a file, handled apart).
FORM_FIELDS = (
    "bureau",
    "name",
    "work_type",
    "episodes",
    "episode_minutes",
    "total_minutes",
    "first_broadcast",
    "broadcast_end",
    "platform",
    "copyright_owner",
    "producer",
    "maker",
)
SUBMIT = "submit"
SUBMIT_TO_NRTA = "submit_to_nrta"
SUBMIT_TRANSITIONS = (SUBMIT, SUBMIT_TO_NRTA)


def submit_transition_for(nomination: Nomination) -> str:
    """申报 to a provincial bureau (→ 待初审) or, for central units, to 国家广播电视总局 (→ 已推荐)."""
    return SUBMIT_TO_NRTA if nomination.bureau == bureaus.NRTA_BUREAU else SUBMIT


def _store_pledge(nomination: Nomination, upload: UploadedFile) -> str:
    """Check the pledge by content and store it; returns the name of the file it replaces ("" if none)."""
    checked = check_pledge(upload)  # ValidationError for the form
    old = nomination.pledge.name if nomination.pledge else ""
    nomination.pledge.save(checked.name, upload, save=False)
    nomination.pledge_name = checked.name
    nomination.pledge_size = checked.size
    return old


def _delete_file_after_commit(name: str) -> None:
    if not name:
        return
    storage = Nomination._meta.get_field("pledge").storage
    transaction.on_commit(lambda: storage.delete(name))


def save_draft(
    actor,
    *,
    values: dict[str, Any],
    project: Project | None = None,
    nomination: Nomination | None = None,
    pledge: UploadedFile | None = None,
) -> Nomination:
    """保存: create a draft for ``project`` or update ``nomination`` (草稿 / 退回修改) with the form's values.

    No rule beyond the types the form checked: a half-filled form is kept as it is.
    """
    unknown = set(values) - set(FORM_FIELDS)
    if unknown:
        raise ValueError(f"not fields of the 登记表: {sorted(unknown)}")
    with transaction.atomic():
        if nomination is None:
            if project is None:
                raise ValueError("save_draft needs a project or a nomination")
            if not rules.may_nominate_to(actor, project):
                raise NotPermitted(_("您无权申报该项目。"))
            closed = validation.project_closed_reason(project)
            if closed:
                raise AwardError(closed)
            nomination = Nomination(
                project=project,
                year=project.year,
                quarter=project.quarter,
                kind=project.kind,
                organisation_id=actor.organisation_id,
                created_by=actor,
                state=NominationState.DRAFT,
            )
            replaced = ""
        else:
            nomination = Nomination.objects.select_for_update().select_related("project").get(pk=nomination.pk)
            if not rules.is_member(actor, nomination):
                raise NotPermitted(_("您无权修改该申报。"))
            if not nomination.is_editable:
                raise NotEditable(_("申报后不能修改。"))
            replaced = ""
        for name, value in values.items():
            setattr(nomination, name, value)
        nomination.normalised_name = normalise_name(nomination.name)
        if pledge is not None:
            replaced = _store_pledge(nomination, pledge)
        nomination.save()
        _delete_file_after_commit(replaced)
    return nomination


def submit(actor, nomination: Nomination) -> Nomination:
    """申报: every rule of validation.py, then 草稿/退回修改 → 待初审 (or 已推荐 for central units)."""
    if not rules.is_member(actor, nomination):
        raise NotPermitted(_("您无权申报该作品。"))
    if not nomination.is_editable:
        raise NotEditable(_("申报后不能修改。"))
    nomination = (
        Nomination.objects.select_related("project", "platform", "organisation").filter(pk=nomination.pk).first()
    )
    found = validation.problems(nomination)
    if found:
        raise Incomplete(_("登记表有以下问题，请修改后再申报："), found)
    try:
        result = perform(nomination, submit_transition_for(nomination), actor=actor)
    except ReviewError as exc:
        raise AwardError(exc.message, field=exc.field) from exc
    except IntegrityError as exc:  # a concurrent 申报 of the same work won the race
        other = validation.duplicate_of(nomination)
        message = validation.duplicate_message(nomination, other) if other else _("申报失败，请刷新后重试。")
        raise AwardError(message, field="name") from exc
    audit.record("awards.submitted", actor=actor, target=result.public_id, reference=result.reference)
    return result


def delete_draft(actor, nomination: Nomination) -> None:
    """删除: drafts never submitted only (a returned nomination keeps its reference and history)."""
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().filter(pk=nomination.pk).first()
        if locked is None or not rules.is_member(actor, locked):
            raise NotPermitted(_("您无权删除该申报。"))
        if locked.state != NominationState.DRAFT or locked.ref_seq is not None:
            raise NotEditable(_("只能删除未申报过的草稿。"))
        name = locked.pledge.name if locked.pledge else ""
        locked.delete()
        _delete_file_after_commit(name)
    audit.record("awards.draft_deleted", actor=actor, target=nomination.public_id)
