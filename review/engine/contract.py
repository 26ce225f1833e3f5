"""The contract a programme implements to put its applications through review.

`filings` and `awards` each declare their kinds (in their ``workflow.py``,
loaded from ``AppConfig.ready``) and register them with
:func:`review.engine.register`; `review` never imports them. A kind is data:

* :class:`Transition` — from which states, to which state, **which roles** may
  do it, its label, whether a comment or a reason is required, and an optional
  **guard** that runs inside the row lock and refuses with a reason the user
  reads (a quota, "all experts have scored").
* :class:`Kind` — the model, the authority, the transitions, the queues of the
  reviewers' site with their labels, the state groups, how a reviewer's rows
  are scoped, what else a step changes (``apply``), its side effects, its
  history labels, and its certificate provider (``review.certificates``).

Nothing here is read by string key: a typo is an ``AttributeError`` or a
``TypeError`` at import time, not a silently disabled scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Model, Q, QuerySet

from ..enums import Role

if TYPE_CHECKING:  # pragma: no cover
    from ..certificates.contract import CertificateProvider


class _System:
    """The actor of scheduled transitions (closing a round at its deadline, publishing).

    Not a user: it has no rights of its own and can perform only transitions
    whose ``roles`` include ``Role.SYSTEM``; the review record names it 系统.
    """

    pk = None
    is_authenticated = False
    is_active = True
    organisation_id = None
    staff_profile_or_none = None

    def get_full_name(self) -> str:
        return "系统"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Any = _System()


@dataclass(frozen=True)
class Step:
    """What a guard and ``apply`` learn about the step being performed."""

    transition: Transition
    actor: Any  # a User, or SYSTEM
    role: str  # the actor's Role value
    comment: str
    reason: str  # the structured reason's key ("" when the transition has none)


# A guard refuses by raising review.engine.Refused("…why…"); it may lock further rows.
Guard = Callable[[Model, Step], None]


@dataclass(frozen=True)
class Transition:
    name: str  # "submit", "accept", "approve", …
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]  # Role values that may perform it (Role.SYSTEM for scheduled steps)
    label: Any  # lazy translated label, e.g. 受理
    comment_required: bool = False
    # Structured reasons ((key, label), …) of which one must be given, e.g. 不推荐's categories.
    reasons: tuple[tuple[str, Any], ...] = ()
    # Message when the object is no longer in a source state (a lost race or a
    # forbidden step), e.g. "审批中的数据不可撤回".
    refused_message: Any = None
    guard: Guard | None = None

    def __post_init__(self) -> None:
        if not self.roles:
            raise TypeError(f"transition {self.name!r} names no role")
        unknown = set(self.roles) - set(Role.values)
        if unknown:
            raise TypeError(f"transition {self.name!r}: unknown roles {sorted(unknown)}")

    @property
    def is_review(self) -> bool:
        """Performed by officials or ministry staff (a reviewer's action on the staff site)."""
        return bool({Role.REVIEWER, Role.MINISTRY} & set(self.roles))


@dataclass(frozen=True)
class Queue:
    """One queue of the reviewers' site: its key in URLs, its label and its states."""

    key: str  # "pending", "in_review", "done"
    label: Any
    states: tuple[str, ...]


class SideEffects(Protocol):
    def __call__(self, obj: Model, transition: Transition, actor: Any, comment: str) -> Iterable[tuple[str, dict]]:
        """(topic, payload) pairs written to the outbox with the state change."""


def _no_apply(obj: Model, step: Step) -> list[str]:
    return []


@dataclass(frozen=True)
class Kind:
    key: str  # e.g. "filing.domestic"
    model: type[Model]
    label: Any
    authority: str  # accounts.enums.Authority value
    transitions: Mapping[str, Transition]
    # May this actor perform this transition on this object? (role already matched)
    can_act: Callable[[Any, Model, Transition], bool]
    # Rows of this kind the reviewer may see (scoped by authority and province).
    reviewer_queryset: Callable[[Any], QuerySet]
    # The reviewers' site: queues in display order.
    queues: tuple[Queue, ...] = ()
    # Q selecting this kind's rows on a model shared with other kinds (the 类型 filter,
    # the certificate sweep); None when the model holds this kind only.
    discriminator: Q | None = None
    # States in which an object holds its certificate (the sweep issues what is missing).
    approved_states: tuple[str, ...] = ()
    # How each step reads in the history the applicant sees ({transition name: label}).
    history_labels: Mapping[str, Any] = field(default_factory=dict)
    # Extra changes made with a step (reference number, timestamps, …): returns the
    # extra field names to save. Runs inside the row lock, after the guard.
    apply: Callable[[Model, Step], list[str]] = _no_apply
    side_effects: SideEffects | None = None
    # The certificate provider (numbers, template, wording, public details), if any.
    certificate: CertificateProvider | None = None
    # For a kind whose approval changes another object's certificate page (a change
    # request of a programme): that object.
    certificate_subject: Callable[[Model], Model | None] | None = None

    def __post_init__(self) -> None:
        for name, transition in self.transitions.items():
            if name != transition.name:
                raise TypeError(f"kind {self.key!r}: transition {transition.name!r} filed under {name!r}")
        states = self.states()
        for queue in self.queues:
            stray = set(queue.states) - states
            if stray:
                raise TypeError(f"kind {self.key!r}: queue {queue.key!r} names unknown states {sorted(stray)}")
        stray = set(self.approved_states) - states
        if stray:
            raise TypeError(f"kind {self.key!r}: approved_states names unknown states {sorted(stray)}")
        stray = set(self.history_labels) - set(self.transitions)
        if stray:
            raise TypeError(f"kind {self.key!r}: history labels for unknown transitions {sorted(stray)}")

    def states(self) -> set[str]:
        """Every state named by a transition of this kind."""
        found: set[str] = set()
        for t in self.transitions.values():
            found.update(t.sources)
            found.add(t.target)
        return found

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]

    def objects(self) -> QuerySet:
        """Every object of this kind (all states, unscoped) – for the sweep and system jobs."""
        qs = self.model._default_manager.all()
        return qs.filter(self.discriminator) if self.discriminator is not None else qs


def transitions(*items: Transition) -> dict[str, Transition]:
    """``{name: transition}`` in declaration order; a name declared twice raises."""
    result: dict[str, Transition] = {}
    for t in items:
        if t.name in result:
            raise TypeError(f"transition {t.name!r} declared twice")
        result[t.name] = t
    return result
