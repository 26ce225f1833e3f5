"""Sessions read from the cache and kept in the database (cached_db), that keep working while Redis is down.

Django's cached_db already survives a failing cache ``get`` and ``set`` on save, but not the ``set`` after a
database read nor ``delete``/``exists``: with Redis stopped, a signed-in 提交 was a 500
(tests/stack/test_stack_faults.py). Here every cache call that fails is logged and the database answers.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)


class _Tolerant:
    def __init__(self, cache):
        self._cache = cache

    def _call(self, name, *args, default=None):
        try:
            return getattr(self._cache, name)(*args)
        except Exception:
            logger.warning("session cache %s failed; the database answers", name, exc_info=True)
            return default

    def get(self, *args):
        return self._call("get", *args)

    def set(self, *args):
        return self._call("set", *args)

    def delete(self, *args):
        return self._call("delete", *args, default=False)

    def __contains__(self, key):
        return bool(self._call("__contains__", key, default=False))


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _Tolerant(self._cache)
