"""提交, 撤回 and 删除 of applications and change requests (the applicant's side of the workflow).

State changes go through ``review.engine.perform``; these functions add
the checks that only make sense for the applicant (every section complete,
the unit allowed to file) and turn refusals into messages.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Organisation
from review.engine import ReviewError, perform

from .. import diff, rules
from ..models import ChangeRequest, Filing, FilingVersion
from . import validation
from .actions import may_delete, may_edit
from .editing import Target, block_reason, kind_of, refresh_completion, version_id_of
from .errors import Blocked, FilingError, Incomplete, NotEditable, NotPermitted
from .versions import delete_material_rows


def submission_problems(target: Target) -> list[validation.Problem]:
    version = FilingVersion.objects.select_related("filler", "manager").get(pk=version_id_of(target))
    found = validation.problems(version, kind_of(target), target.organisation_id)
    if isinstance(target, ChangeRequest):
        if not target.parts:
            found.insert(0, validation.Problem("parts", "", _("变更项"), _("请至少勾选一项变更内容。")))
        elif not diff.has_changes(target.base_version, version):
            found.insert(0, validation.Problem("parts", "", _("变更项"), _("未发现任何变更内容，请修改后再提交。")))
    return found


def submit(actor, target: Target) -> Target:
    """提交: every section must be complete; then 草稿/退回修改 → 待受理."""
    if not rules.is_member(actor, target):
        raise NotPermitted(_("您无权提交此申请。"))
    if not may_edit(target):
        raise NotEditable(_("提交后不能修改。"))
    if isinstance(target, Filing):
        reason = block_reason(Organisation.objects.select_related("licence").get(pk=target.organisation_id))
        if reason:
            raise Blocked(reason)
    found = submission_problems(target)
    if found:
        raise Incomplete(_("申请信息不完整，请修改以下问题后再提交。"), found)
    try:
        result = perform(target, "submit", actor=actor)
    except ReviewError as exc:
        raise FilingError(exc.message) from exc
    audit.record("filings.submitted", actor=actor, target=result.public_id)
    return result


def withdraw(actor, target: Target) -> Target:
    """撤回: only while 待受理 (nobody has started reviewing); it returns to 草稿."""
    if not rules.is_member(actor, target):
        raise NotPermitted(_("您无权撤回此申请。"))
    if may_edit(target):  # a draft or returned application was never (or is no longer) submitted
        raise FilingError(_("该申请尚未提交，无需撤回。"))
    try:
        return perform(target, "withdraw", actor=actor)
    except ReviewError as exc:
        raise FilingError(exc.message) from exc


def void(actor, target: Target, reason: str) -> Target:
    """作废: the application or change keeps its reference and record (who, when, why) and is read-only."""
    if not rules.is_member(actor, target):
        raise NotPermitted(_("您无权作废此申请。"))
    reason = (reason or "").strip()
    if not reason:
        raise FilingError(_("请填写作废原因。"))
    try:
        result = perform(target, "void", actor=actor, comment=reason)
    except ReviewError as exc:
        raise FilingError(exc.message) from exc
    audit.record("filings.voided", actor=actor, target=result.public_id, reference=result.reference)
    return result


def delete_draft(actor, target: Target) -> None:
    """删除: drafts only; their files go too unless another version still uses them."""
    with transaction.atomic():
        locked = type(target).objects.select_for_update().filter(pk=target.pk).first()
        if locked is None or not rules.is_member(actor, locked):
            raise NotPermitted(_("您无权删除此申请。"))
        if not may_delete(locked):
            if locked.reference:
                raise NotEditable(_("已有受理编号的申请不能删除，可以作废（保留记录）。"))
            raise NotEditable(_("只能删除草稿。"))
        if isinstance(locked, Filing):
            versions = FilingVersion.objects.filter(filing=locked)
            from ..models import Material

            delete_material_rows(Material.objects.filter(version__in=versions))
            reference = locked.reference
            Filing.objects.filter(pk=locked.pk).update(application_version=None, current_version=None)
            locked.delete()
        else:
            version = locked.version
            reference = locked.filing.reference
            delete_material_rows(version.materials.all())
            locked.delete()
            version.delete()
    audit.record("filings.deleted", actor=actor, target=target.public_id, reference=reference)


__all__ = ["submit", "withdraw", "void", "delete_draft", "submission_problems", "refresh_completion"]
