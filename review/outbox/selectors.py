"""Reads of the message centre."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from ..models import Message


def inbox(user: Any) -> QuerySet[Message]:
    """The user's own messages, unread first, then newest first."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Message.objects.filter(recipient=user).order_by(unread_first, "-created_at", "-pk")


def unread_count(user: Any) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def can_open_message(user: Any, message) -> bool:
    return bool(user is not None and user.is_authenticated and message.recipient_id == user.pk)
