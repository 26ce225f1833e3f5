"""变更 of an approved programme: a change request with its own copy of the data.

The programme keeps showing its current approved version until the change
is approved (``workflow.apply_change`` then points the programme at the new
version). Parts not ticked stay equal to the approved data.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import audit

from .. import rules
from ..enums import OPEN_STATES, ChangePart, FilingState
from ..models import ChangeRequest, Filing
from .actions import may_start_change
from .editing import editing
from .errors import FilingError, NotEditable, NotPermitted
from .versions import copy_version, revert_section


def clean_parts(parts) -> list[str]:
    wanted = set(parts or [])
    return [part for part in ChangePart.values if part in wanted]


def open_change(filing: Filing) -> ChangeRequest | None:
    return filing.changes.filter(state__in=list(OPEN_STATES)).first()


def start_change(actor, filing: Filing, parts) -> ChangeRequest:
    """变更: a draft change request whose data starts as a copy of the current approved data."""
    parts = clean_parts(parts)
    if not parts:
        raise FilingError(_("请至少勾选一项变更内容。"))
    try:
        with transaction.atomic():
            locked = Filing.objects.select_for_update().filter(pk=filing.pk).first()
            if locked is None or not rules.is_member(actor, locked):
                raise NotPermitted(_("您无权变更此节目。"))
            if not may_start_change(locked):
                raise NotEditable(_("只有已通过的网络演出剧(节)目可以变更。"))
            if open_change(locked) is not None:
                raise FilingError(_("该节目已有未完成的变更申请，请在受理状态中查看。"))
            base = locked.current_version
            version = copy_version(base, actor=actor)
            change = ChangeRequest.objects.create(
                filing=locked,
                organisation_id=locked.organisation_id,
                province=locked.province,
                created_by=actor,
                parts=parts,
                base_version=base,
                version=version,
                state=FilingState.DRAFT,
            )
    except IntegrityError:  # a concurrent 变更 of the same programme
        raise FilingError(_("该节目已有未完成的变更申请，请在受理状态中查看。"))
    audit.record("filings.change_started", actor=actor, target=change.public_id, filing=filing.public_id)
    return change


def set_parts(actor, change: ChangeRequest, parts) -> ChangeRequest:
    """Tick or untick 变更项; an unticked part goes back to the approved data."""
    parts = clean_parts(parts)
    with editing(actor, change) as (locked, version):
        removed = [part for part in locked.parts if part not in parts]
        for part in removed:
            revert_section(version, locked.base_version, part)
        locked.parts = parts
        locked.save(update_fields=["parts"])
    change.parts = parts
    return change
