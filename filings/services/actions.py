"""What the applicant may do with an application or change request now: the buttons of
受理状态, 查看 and 网络演出剧(节)目管理, and the checks of the services behind them.

撤回 is a transition of the engine: it is offered exactly when
``review.engine.available_transitions`` offers it to this user (state, role and
unit come from the kind's declaration, not from state names in templates).
作废 is one too (with a reason), offered only once a reference exists.
修改, 删除 and 变更 are not transitions; each has one predicate here, used by the
pages that show the button and by the service that carries it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from review.engine import available_transitions

from .. import rules
from ..enums import EDITABLE_STATES, FilingState
from ..models import ChangeRequest, Filing

Target = Filing | ChangeRequest


def may_edit(target: Target) -> bool:
    """修改 (and 提交): drafts and returned applications only — "提交后不能修改"."""
    return target.state in EDITABLE_STATES


def has_reference(target: Target) -> bool:
    """Submitted at least once: it has a 受理编号 (WY-湘-2026-000007, …-BG01) and is kept for good."""
    return bool(target.reference)


def may_delete(target: Target) -> bool:
    """删除: drafts never submitted only; once a reference exists the record is kept (作废 instead)."""
    return target.state == FilingState.DRAFT and not has_reference(target)


def may_start_change(filing: Filing) -> bool:
    """变更 (and 查看已备案节目): an approved programme with its current approved data."""
    return filing.state == FilingState.APPROVED and filing.current_version_id is not None


@dataclass(frozen=True)
class ApplicantActions:
    """The buttons of one application or change request for one user."""

    edit: bool = False  # 修改
    withdraw: bool = False  # 撤回 (the engine's "withdraw" transition)
    delete: bool = False  # 删除 (drafts never submitted)
    void: bool = False  # 作废 (the engine's "void" transition; anything with a reference)


NO_ACTIONS = ApplicantActions()


def applicant_actions(user: Any, target: Target | None) -> ApplicantActions:
    """The buttons ``user`` gets for ``target`` now (none for anyone but a member of its unit). No query."""
    if target is None or not rules.is_member(user, target):
        return NO_ACTIONS
    offered = {t.name for t in available_transitions(user, target)}
    return ApplicantActions(
        edit=may_edit(target),
        withdraw="withdraw" in offered,
        delete=may_delete(target),
        void="void" in offered and has_reference(target),
    )
