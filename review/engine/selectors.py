"""Reusable read queries of the engine: reviewer scopes and queues."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Model, Q, QuerySet

from accounts.enums import StaffLevel

from .contract import Kind, Queue
from .rules import staff_profile


def scope_for_reviewer(
    queryset: QuerySet, user: Any, *, authority: str, province_field: str | None = "province"
) -> QuerySet:
    """Restrict ``queryset`` to what ``user`` may review for ``authority``.

    Ministry staff of the authority see all of it; a provincial official sees
    the rows whose ``province_field`` is their province; anyone else nothing.
    Kinds use this to build ``reviewer_queryset``.
    """
    profile = staff_profile(user)
    if profile is None or profile.authority != authority:
        return queryset.none()
    if profile.level == StaffLevel.MINISTRY:
        return queryset
    if profile.level == StaffLevel.PROVINCE and profile.province and province_field:
        return queryset.filter(**{province_field: profile.province})
    return queryset.none()


def reviewer_queryset(user: Any, kinds: Iterable[Kind], model: type[Model]) -> QuerySet:
    """Union (OR) of the kinds' reviewer querysets for ``user``; all kinds share ``model``."""
    result = None
    for kind in kinds:
        qs = kind.reviewer_queryset(user)
        result = qs if result is None else (result | qs)
    if result is None:
        return model._default_manager.none()
    return result


def queues_of(kinds: Iterable[Kind]) -> list[Queue]:
    """The kinds' queues merged by key, in the order first declared (states united, first label kept)."""
    merged: dict[str, Queue] = {}
    for kind in kinds:
        for queue in kind.queues:
            known = merged.get(queue.key)
            if known is None:
                merged[queue.key] = queue
            else:
                states = known.states + tuple(s for s in queue.states if s not in known.states)
                merged[queue.key] = Queue(known.key, known.label, states)
    return list(merged.values())


def queue_counts(queryset: QuerySet, queues: Iterable[Queue]) -> dict[str, int]:
    """Number of rows per queue, in one query."""
    queues = list(queues)
    aggregates = {q.key: Count("pk", filter=Q(state__in=q.states)) for q in queues if q.states}
    if not aggregates:
        return {q.key: 0 for q in queues}
    counts = queryset.order_by().aggregate(**aggregates)
    return {q.key: counts.get(q.key) or 0 for q in queues}
