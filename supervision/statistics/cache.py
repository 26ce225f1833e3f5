"""The statistics' tables, cached per viewer scope and period, dropped by every review transition.

A national page aggregates the whole history (100,000 filings: the two percentile queries alone sort
every decided application); it is read far more often than the figures change. The tables are kept in
the cache under a key made of the programme, a *generation* number, the viewer's scope (authority,
level, province and the scope's own condition), the period, the 省份 filter and the language. Every
transition of any kind (提交, 受理, 通过, 推荐 … — what changes a figure) bumps the generation once it has
committed, so the next page is computed afresh; a time limit (``STATISTICS_CACHE_SECONDS``, default 10
minutes, 0: no cache) bounds anything changed outside the engine (a bulk import, a data fix).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import translation

from review.engine import transition_committed

logger = logging.getLogger(__name__)
GENERATION_KEY = "stats:generation"


def seconds() -> int:
    return int(getattr(settings, "STATISTICS_CACHE_SECONDS", 600))


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def bump() -> None:
    """A figure may have changed: every cached table is stale from now on."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, or nothing cached yet): start a new one
        cache.add(GENERATION_KEY, 2, timeout=None)


@receiver(transition_committed, dispatch_uid="supervision.statistics.cache")
def on_transition(sender, **kwargs) -> None:
    bump()


def cached_tables(programme: str, scope: object, parts: tuple, build: Callable[[], list]) -> list:
    """``build()``'s tables, from the cache when the same scope asked for the same period since the last
    transition. ``scope`` is anything whose ``repr`` identifies what the viewer may count (never shared
    between two scopes: the key includes it)."""
    timeout = seconds()
    if timeout <= 0:
        return build()
    raw = repr((programme, scope, parts, translation.get_language()))
    key = f"stats:{programme}:{generation()}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"
    tables = cache.get(key)
    if tables is None:
        tables = build()
        try:
            cache.set(key, tables, timeout)
        except Exception:  # noqa: BLE001 (a full or absent cache never costs the page)
            logger.warning("statistics tables not cached", exc_info=True)
    return tables
