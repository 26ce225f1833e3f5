"""The verification page's cache lookup in one Redis round trip (issue 11: /verify/<token>/ at ≥ 0.7×
a bare "hello").

A cache hit of the public page needs two things from the cache: the page and the visitor's count in
the rate-limit window. ``lookup`` reads the first and counts the second with one pipeline of GET,
SET NX and INCR — on the very keys and values ``cache.get`` and ``common.ratelimit.hit`` use, so
either path sees the other's entries — through one client per thread (Django's backend builds a new
client object for every call). Any other cache backend gets the two ordinary calls.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from common import ratelimit

RATE_WINDOW = 60  # seconds: the verify limit is per address and minute

_local = threading.local()


def _client(backend: RedisCache):
    """A redis client on the backend's own connection pool, kept per thread (and per backend)."""
    client = getattr(_local, "client", None)
    if client is None or _local.backend is not backend:
        client = backend._cache._lib.Redis(connection_pool=backend._cache._get_connection_pool(write=True))
        _local.client, _local.backend = client, backend
    return client


def lookup(page_key: str, rate_key: str) -> tuple[object | None, int]:
    """``(cache.get(page_key), ratelimit.hit(rate_key, RATE_WINDOW))``, in one round trip on Redis."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return backend.get(page_key), ratelimit.hit(rate_key, RATE_WINDOW)
    window_key = backend.make_and_validate_key(ratelimit._window_key(rate_key, RATE_WINDOW, time.time()))
    pipe = _client(backend).pipeline(transaction=False)
    pipe.get(backend.make_and_validate_key(page_key))
    pipe.set(window_key, 0, nx=True, ex=RATE_WINDOW + 5)  # ratelimit.hit's add(…, 1) is this SET NX + INCR
    pipe.incr(window_key)
    raw, _created, count = pipe.execute()
    return (backend._cache._serializer.loads(raw) if raw is not None else None), int(count)
