"""The header's unread-message count, kept per user in Django's cache.

Every signed-in page shows the count; reading it from the cache spares a COUNT
on each of them. Each write that changes a user's unread messages (a new
Message, one marked read, all marked read, a deletion) drops that user's entry:
at once, and again after the transaction commits, so a page rendered between
the write and its commit cannot leave the old figure behind. Signals cover
``save``/``delete``; ``bulk_create`` and ``update`` call :func:`forget` themselves.
The TTL is a safety net only (a write outside these paths, e.g. raw SQL). The count is
taken at login, so even the first page after it runs no query for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..models import Message

TTL_SECONDS = 600
logger = logging.getLogger(__name__)


def _key(user_id: int) -> str:
    return f"outbox:unread:{user_id}"


def _cache_is_shared() -> bool:
    """Does every process that writes messages see this cache? Not on ``make run``'s embedded default: there the
    background loop (another process) sends the notifications, and each process has its own local-memory cache."""
    return not settings.BACKGROUND_LOOP_TASKS


def unread_count(user: Any) -> int:
    """The user's unread messages: from the cache, or counted once and cached."""
    if not _cache_is_shared():
        from .selectors import unread_count as count_unread

        return count_unread(user)
    key = _key(user.pk)
    try:
        count = cache.get(key)
    except Exception:  # Redis down: the database answers (the page must not fail for a number)
        count = None
    if count is None:
        from .selectors import unread_count as count_unread

        count = count_unread(user)
        try:
            cache.set(key, count, TTL_SECONDS)
        except Exception:
            logger.warning("unread count: cache unavailable, not kept")
    return count


def forget(user_ids: Iterable[int | None]) -> None:
    """Drop the cached counts of these users, now and after the surrounding transaction commits."""
    keys = sorted({_key(pk) for pk in user_ids if pk is not None})
    if not keys:
        return
    _drop(keys)
    transaction.on_commit(lambda: _drop(keys))


def _drop(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # Redis down: the entries expire by their TTL
        logger.warning("unread count: cache unavailable, entries left to expire")


@receiver(user_logged_in, dispatch_uid="outbox-unread-login")
def _count_at_login(sender, request, user, **kwargs) -> None:
    """Counted once at login, so the first page after it is as cheap as the next ones."""
    unread_count(user)


@receiver(post_save, sender=Message, dispatch_uid="outbox-unread-save")
@receiver(post_delete, sender=Message, dispatch_uid="outbox-unread-delete")
def _message_changed(sender, instance: Message, **kwargs) -> None:
    forget([instance.recipient_id])
