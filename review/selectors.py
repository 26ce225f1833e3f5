"""Reusable read queries of the review machinery (scopes, queues, inbox)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, IntegerField, Model, Q, QuerySet, Value, When

from accounts.enums import StaffLevel

from .models import Message
from .rules import staff_profile
from .workflow import Kind

# Queue keys in display order; a kind maps each to its states in
# ``Kind.extra["queues"]``.
QUEUE_KEYS = ("pending", "in_review", "done")


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


def queue_states(kinds: Iterable[Kind]) -> dict[str, list[str]]:
    """States per queue key, merged over ``kinds``."""
    merged: dict[str, list[str]] = {key: [] for key in QUEUE_KEYS}
    for kind in kinds:
        for key, states in (kind.extra.get("queues") or {}).items():
            bucket = merged.setdefault(key, [])
            bucket.extend(s for s in states if s not in bucket)
    return merged


def queue_counts(queryset: QuerySet, queues: dict[str, list[str]]) -> dict[str, int]:
    """Number of rows per queue, in one query."""
    aggregates = {key: Count("pk", filter=Q(state__in=states)) for key, states in queues.items() if states}
    if not aggregates:
        return {key: 0 for key in queues}
    counts = queryset.order_by().aggregate(**aggregates)
    return {key: counts.get(key) or 0 for key in queues}


# Message centre -------------------------------------------------------------


def inbox(user: Any) -> QuerySet[Message]:
    """The user's own messages, unread first, then newest first."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Message.objects.filter(recipient=user).order_by(unread_first, "-created_at", "-pk")


def unread_count(user: Any) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
