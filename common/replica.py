"""Reads that may go to a PostgreSQL read replica (issue 10: the statistics pages), and the router.

``DATABASE_REPLICA_URL`` adds the database alias ``"replica"`` (portal/settings/base.py). Code that
reads aggregates which may lag a second behind the primary — the statistics tables, cached for minutes
anyway — runs under :func:`reads_from_replica`; inside it :class:`ReplicaRouter` sends every ORM read to
the replica. Everything else, and every write anywhere, uses ``default``: a page never reads its own
write from a replica that has not seen it yet.

A replica that does not answer is never a failed page: it is skipped for ``RETRY_SECONDS`` (per
process) and the reads go to ``default``, including when it dies in the middle of a page (the reads are
made again on ``default``). When no replica is configured nothing changes at all.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
RETRY_SECONDS = 30.0

_reading: ContextVar[bool] = ContextVar("reads_from_replica", default=False)
_down_until = 0.0  # time.monotonic() before which the replica is not tried again

F = TypeVar("F", bound=Callable[..., Any])


def configured() -> bool:
    return REPLICA in settings.DATABASES


def mark_down(reason: object = "") -> None:
    global _down_until
    _down_until = time.monotonic() + RETRY_SECONDS
    logger.warning("read replica unavailable (%s); reading from the primary for %.0f s", reason, RETRY_SECONDS)
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


def available() -> bool:
    """A replica is configured, not known to be down, and answers (a connection is made if none is open)."""
    if not configured() or time.monotonic() < _down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as exc:
        mark_down(exc)
        return False
    return True


def current_alias() -> str:
    """Where ORM reads go now: ``"replica"`` inside :func:`reads_from_replica` (replica up), else ``"default"``."""
    return REPLICA if _reading.get() else DEFAULT_DB_ALIAS


@contextmanager
def replica_reads() -> Iterator[bool]:
    """Send the ORM reads of the block to the replica if it is available; yields whether it is."""
    if not available():
        yield False
        return
    token = _reading.set(True)
    try:
        yield True
    finally:
        _reading.reset(token)


def reads_from_replica(func: F) -> F:
    """Run ``func`` with its reads on the replica; if the replica fails meanwhile, mark it down and run
    ``func`` again on the primary (``func`` must only read)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with replica_reads() as on_replica:
            if not on_replica:
                return func(*args, **kwargs)
            try:
                return func(*args, **kwargs)
            except (OperationalError, InterfaceError) as exc:
                failed = exc
        mark_down(failed)
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ReplicaRouter:
    """DATABASE_ROUTERS: reads inside :func:`reads_from_replica` go to the replica; writes and migrations
    always to ``default`` (a hot standby refuses writes anyway)."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading.get() else None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # the replica holds the primary's rows: an object read from either may point to one from the other
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
