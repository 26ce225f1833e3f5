"""Handlers of outbox topics: who carries out an event of a topic."""

from __future__ import annotations

from collections.abc import Callable

_HANDLERS: dict[str, Callable[[dict], None]] = {}


def handler(topic: str):
    """Register the function that carries out events of ``topic``; a topic handled twice raises."""

    def decorator(func: Callable[[dict], None]):
        if topic in _HANDLERS and _HANDLERS[topic] is not func:
            raise ValueError(f"outbox topic {topic!r} has a handler already")
        _HANDLERS[topic] = func
        return func

    return decorator


def handler_of(topic: str) -> Callable[[dict], None] | None:
    return _HANDLERS.get(topic)
