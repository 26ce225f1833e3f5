"""Cache-backed rate limits whose correctness never rests on key expiry.

Counters live in keys named after the current time window and locks store the
moment they end, both read against the application clock. So a limit behaves
the same on the local-memory cache and on Redis, and expiry (TTL) only tidies
up.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def _window_key(key: str, window: int, now: float) -> str:
    return f"rl:{key}:{int(now // window)}"


def hit(key: str, window: int) -> int:
    """Count one event in the current ``window``-second window; returns the count so far."""
    wkey = _window_key(key, window, time.time())
    if cache.add(wkey, 1, window + 5):
        return 1
    try:
        return cache.incr(wkey)
    except ValueError:  # expired between add and incr
        cache.set(wkey, 1, window + 5)
        return 1


def count(key: str, window: int) -> int:
    return int(cache.get(_window_key(key, window, time.time())) or 0)


def reset(key: str, window: int) -> None:
    cache.delete(_window_key(key, window, time.time()))


def lock(key: str, seconds: int) -> None:
    cache.set(f"rl:lock:{key}", time.time() + seconds, seconds + 5)


def locked_for(key: str) -> int:
    """Seconds left on a lock, 0 when not locked."""
    until = cache.get(f"rl:lock:{key}")
    return max(0, int(until - time.time() + 0.999)) if until else 0


def unlock(key: str) -> None:
    cache.delete(f"rl:lock:{key}")


def cooldown(key: str, seconds: int) -> int:
    """Start a cool-down unless one is running: 0 when the action may go ahead now
    (and the cool-down starts), else the seconds still to wait."""
    ckey = f"rl:cool:{key}"
    now = time.time()
    if cache.add(ckey, now + seconds, seconds + 5):
        return 0
    until = cache.get(ckey) or 0
    if until <= now:
        cache.set(ckey, now + seconds, seconds + 5)
        return 0
    return int(until - now + 0.999)


def cooldown_left(key: str) -> int:
    """Seconds left on a running cool-down (0 when none); starts nothing."""
    until = cache.get(f"rl:cool:{key}") or 0
    return max(0, int(until - time.time() + 0.999)) if until > time.time() else 0
