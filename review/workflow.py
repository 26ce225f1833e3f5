"""Declarations of the application kinds that go through review.

`filings` and `awards` each declare their kinds here at import time (in their
``workflow.py``, loaded from ``AppConfig.ready``); `review` never imports them.
A kind names its model, its states, its transitions (data: from which states,
to which state, by which role, with which label) and the callables that decide
who may act and what else changes with a transition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Transition:
    name: str  # "submit", "accept", "approve", …
    sources: tuple[str, ...]
    target: str
    role: str  # review.enums.Role value
    label: Any  # lazy translated label, e.g. 受理
    comment_required: bool = False
    # Message when the object is no longer in a source state (a lost race or a
    # forbidden step), e.g. "审批中的数据不可撤回".
    refused_message: Any = None


class SideEffects(Protocol):
    def __call__(self, obj: Model, transition: Transition, actor: Any, comment: str) -> Iterable[tuple[str, dict]]:
        """(topic, payload) pairs written to the outbox with the state change."""


@dataclass
class Kind:
    key: str  # e.g. "filing.domestic"
    model: type[Model]
    label: Any
    authority: str  # accounts.enums.Authority value
    transitions: dict[str, Transition]
    # May this actor perform this transition on this object? (role already matched)
    can_act: Callable[[Any, Model, Transition], bool]
    # Queryset of objects of this kind the reviewer may see (scoped by authority/province).
    reviewer_queryset: Callable[[Any], QuerySet]
    # Extra changes made with a transition (reference number, timestamps, applying a
    # change request); returns the extra field names to save.
    apply: Callable[[Model, Transition, Any, str], list[str]] = lambda obj, t, actor, comment: []
    side_effects: SideEffects | None = None
    # Returns the review.certificates.CertificateSpec of an approved object, or None
    # for kinds without certificates.
    certificate: Callable[[Model], Any] | None = None
    # Returns (label, value) rows of the live, current approved data shown on the
    # public verification page (personal data already masked).
    public_details: Callable[[Model], list[tuple[str, Any]]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def transitions_from(self, state: str, role: str | None = None) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources and (role is None or t.role == role)]


_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _REGISTRY[kind.key] = kind
    return kind


def get_kind(key: str) -> Kind:
    return _REGISTRY[key]


def kind_for(obj: Model) -> Kind:
    return _REGISTRY[obj.get_workflow_kind()]


def all_kinds() -> list[Kind]:
    return list(_REGISTRY.values())


def transitions(*items: Transition) -> dict[str, Transition]:
    return {t.name: t for t in items}
