"""The one function that changes the state of anything under review."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import Role
from ..models import ReviewRecord
from ..outbox import enqueue
from .contract import SYSTEM, Kind, Step, Transition
from .errors import CommentRequired, NotPermitted, TransitionNotAllowed
from .registry import get_kind
from .signals import transition_committed

logger = logging.getLogger(__name__)

# The role each staff level acts in (a unit's members are applicants).
LEVEL_ROLES = {"province": Role.REVIEWER, "ministry": Role.MINISTRY, "expert": Role.EXPERT}


def role_of(user: Any) -> str:
    if user is SYSTEM:
        return Role.SYSTEM
    profile = user.staff_profile_or_none if user is not None else None
    if profile is None:
        return Role.APPLICANT
    return LEVEL_ROLES[profile.level]


def role_matches(user: Any, transition: Transition) -> bool:
    return role_of(user) in transition.roles


def available_transitions(user: Any, obj: Model) -> list[Transition]:
    """Transitions this user may perform on this object now (for buttons and admin actions).

    Guards are not run here (they may lock rows); a guard's refusal is the answer to the click.
    """
    kind = get_kind(obj.get_workflow_kind())
    return [t for t in kind.transitions_from(obj.state) if role_matches(user, t) and _may_act(kind, user, obj, t)]


def _may_act(kind: Kind, actor: Any, obj: Model, transition: Transition) -> bool:
    """The kind's own check; the system actor has none (its transitions name Role.SYSTEM, nobody else's)."""
    return actor is SYSTEM or kind.can_act(actor, obj, transition)


def _send_committed(obj: Model, kind: Kind, transition: Transition, actor: Any) -> None:
    for receiver, result in transition_committed.send_robust(
        sender=kind.model, obj=obj, kind=kind, transition=transition, actor=actor
    ):
        if isinstance(result, Exception):
            logger.error(
                "transition_committed receiver %s failed",
                getattr(receiver, "__qualname__", receiver),
                exc_info=(type(result), result, result.__traceback__),
            )


def perform(obj: Model, name: str, *, actor: Any, comment: str = "", reason: str = "") -> Model:
    """Perform transition ``name`` on ``obj`` as ``actor`` (a user, or ``SYSTEM``).

    Inside one transaction: lock the row, check the transition against the
    state found there (not the one the caller saw), the actor's role and right,
    the comment and reason, then the transition's guard; apply the kind's
    changes, save, write the review record and the outbox side effects. After
    commit, ``transition_committed`` is sent. Raises ``ReviewError`` subclasses
    whose message is for the user; returns the fresh object.
    """
    kind: Kind = get_kind(obj.get_workflow_kind())
    transition = kind.transitions.get(name)
    if transition is None:
        raise TransitionNotAllowed(_("不支持的操作。"))
    comment = (comment or "").strip()
    reason = (reason or "").strip()
    if transition.comment_required and not comment:
        raise CommentRequired(
            _("请填写意见（%(action)s时必须说明理由）。") % {"action": transition.label}, field="comment"
        )
    if transition.reasons:
        if reason not in dict(transition.reasons):
            raise CommentRequired(_("请选择%(action)s的原因。") % {"action": transition.label}, field="reason")
    else:
        reason = ""
    role = role_of(actor)

    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if locked.state not in transition.sources:
            raise TransitionNotAllowed(
                transition.refused_message or _("该申请已被其他审核人员处理，请刷新后查看最新状态。")
            )
        if role not in transition.roles or not _may_act(kind, actor, locked, transition):
            raise NotPermitted(_("您无权执行此操作。"))
        step = Step(transition=transition, actor=actor, role=role, comment=comment, reason=reason)
        if transition.guard is not None:
            transition.guard(locked, step)  # raises Refused with the programme's reason
        from_state = locked.state
        locked.state = transition.target
        extra = kind.apply(locked, step) or []
        locked.updated_at = timezone.now()
        locked.save(update_fields=sorted({"state", "updated_at", *extra}))
        user = None if actor is SYSTEM else actor
        ReviewRecord.objects.create(
            content_type=ContentType.objects.get_for_model(type(locked)),
            object_id=locked.pk,
            kind=kind.key,
            transition=transition.name,
            action_label=str(transition.label),
            from_state=from_state,
            to_state=transition.target,
            actor=user,
            actor_name=actor.get_full_name() if actor is not None else "",
            actor_role=role,
            comment=comment,
            reason=reason,
        )
        if kind.side_effects is not None:
            for topic, payload in kind.side_effects(locked, transition, actor, comment):
                enqueue(topic, payload)
        transaction.on_commit(lambda: _send_committed(locked, kind, transition, actor))
    return locked


def history(obj: Model) -> list[ReviewRecord]:
    return list(
        ReviewRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).select_related("actor")
    )
