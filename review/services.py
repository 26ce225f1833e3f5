"""The one function that changes the state of anything under review."""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from . import outbox
from .enums import Role
from .models import ReviewRecord
from .workflow import Kind, Transition, get_kind

logger = logging.getLogger(__name__)


class TransitionError(Exception):
    """A refused transition; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


class TransitionNotAllowed(TransitionError):
    """The object is not (any more) in a state this transition starts from."""


class NotPermitted(TransitionError):
    pass


class CommentRequired(TransitionError):
    pass


_AFTER_COMMIT: list = []


def after_transition(func):
    """Register ``func(obj, transition)`` to run after a transition commits
    (e.g. dropping cached verification pages). Failures are logged, never raised."""
    _AFTER_COMMIT.append(func)
    return func


def _run_after_commit(obj: Model, transition: Transition) -> None:
    for func in _AFTER_COMMIT:
        try:
            func(obj, transition)
        except Exception:
            logger.exception("after_transition hook %s failed", getattr(func, "__name__", func))


def role_of(user: User) -> str:
    profile = user.staff_profile_or_none if user is not None else None
    if profile is None:
        return Role.APPLICANT
    return {"province": Role.REVIEWER, "ministry": Role.MINISTRY, "expert": Role.EXPERT}[profile.level]


def role_matches(user: User, transition: Transition) -> bool:
    role = role_of(user)
    if transition.role == Role.REVIEWER:
        # Ministry staff may do whatever provincial reviewers may (national view).
        return role in (Role.REVIEWER, Role.MINISTRY)
    return role == transition.role


def available_transitions(user: User, obj: Model) -> list[Transition]:
    """Transitions this user may perform on this object now (for buttons and admin actions)."""
    kind = get_kind(obj.get_workflow_kind())
    return [t for t in kind.transitions_from(obj.state) if role_matches(user, t) and kind.can_act(user, obj, t)]


def perform(obj: Model, name: str, *, actor: User, comment: str = "") -> Model:
    """Perform transition ``name`` on ``obj`` as ``actor``.

    Inside one transaction: lock the row, check the transition against the
    state found there (not the one the caller saw) and the actor's right, save,
    write the review record and the outbox side effects. Raises TransitionError
    subclasses with a message for the user; returns the fresh object.
    """
    kind: Kind = get_kind(obj.get_workflow_kind())
    transition = kind.transitions.get(name)
    if transition is None:
        raise TransitionNotAllowed(_("不支持的操作。"))
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise CommentRequired(_("请填写意见（%(action)s时必须说明理由）。") % {"action": transition.label})

    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if locked.state not in transition.sources:
            raise TransitionNotAllowed(
                transition.refused_message or _("该申请已被其他审核人员处理，请刷新后查看最新状态。")
            )
        if not role_matches(actor, transition) or not kind.can_act(actor, locked, transition):
            raise NotPermitted(_("您无权执行此操作。"))
        from_state = locked.state
        locked.state = transition.target
        extra = kind.apply(locked, transition, actor, comment) or []
        locked.updated_at = timezone.now()
        locked.save(update_fields=sorted({"state", "updated_at", *extra}))
        ReviewRecord.objects.create(
            content_type=ContentType.objects.get_for_model(type(locked)),
            object_id=locked.pk,
            kind=kind.key,
            transition=transition.name,
            action_label=str(transition.label),
            from_state=from_state,
            to_state=transition.target,
            actor=actor,
            actor_name=actor.get_full_name() if actor else "",
            actor_role=role_of(actor) if actor else Role.SYSTEM,
            comment=comment,
        )
        if kind.side_effects is not None:
            for topic, payload in kind.side_effects(locked, transition, actor, comment):
                outbox.enqueue(topic, payload)
        transaction.on_commit(lambda: _run_after_commit(locked, transition))
    return locked


def history(obj: Model) -> list[ReviewRecord]:
    return list(
        ReviewRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).select_related("actor")
    )
