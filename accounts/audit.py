"""Audit records of security events (网络安全法 §21: kept at least 6 months)."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.conf import settings

from .models import AuditEvent

# portal/logging.py sends these lines to the security log file as well (kept ≥ 6 months).
security_logger = logging.getLogger("portal.security")


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind the reverse proxy (settings.BEHIND_PROXY) the real address is the last
    # hop it appended; without one the header is the client's own word and ignored.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.BEHIND_PROXY else ""
    if forwarded:
        hop = forwarded.split(",")[-1].strip()
        # Only an address is kept (a forged "evil" would be a 500 on PostgreSQL's inet column).
        if _is_ip(hop):
            return hop
    return request.META.get("REMOTE_ADDR") or None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def record(action: str, *, request=None, actor=None, target: str = "", **detail: Any) -> AuditEvent:
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    event = AuditEvent.objects.create(
        action=action, actor=actor, ip=client_ip(request), target=str(target)[:200], detail=detail
    )
    security_logger.info(
        "%s",
        action,
        extra={"action": action, "actor_id": event.actor_id, "ip": event.ip, "target": event.target},
    )
    return event
