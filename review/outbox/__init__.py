"""Transactional outbox: side effects are rows written with the state change,
dispatched after commit and retried by a periodic job, so a broker outage
delays them and never loses them. Notifications (消息, e-mail, SMS) and the
message centre are its first users."""

from .dispatch import MAX_ATTEMPTS, dispatch_outbox, dispatch_pending
from .queue import enqueue
from .registry import handler, handler_of

__all__ = ["MAX_ATTEMPTS", "dispatch_outbox", "dispatch_pending", "enqueue", "handler", "handler_of"]
