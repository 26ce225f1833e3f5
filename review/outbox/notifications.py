"""Notifications: in-site messages (消息), e-mail and SMS, carried by the outbox.

Kinds return ``("notify", notify_payload(...))`` from their ``side_effects``;
the payload is written to the outbox with the state change. The "notify"
handler resolves the recipients, creates one Message each and queues one
outbox event per e-mail and per SMS ("notify.email", "notify.sms"), all in
the dispatch transaction. So a retry never duplicates a Message (they roll
back with a failed attempt), and a gateway outage delays only the e-mail or
SMS concerned, which is retried on its own.

Payload::

    {"organisation_id": int | None, "user_ids": [int, …],
     "reviewers": {"authority": "mct", "province": "430000"} | None,
     "title": str, "body": str, "link": str,
     "sms_template": "notice" | None, "email": bool, "at": iso timestamp}
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.enums import StaffLevel
from accounts.models import User

from ..models import Message
from . import unread  # also connects the cache's invalidation signals (imported at app ready)
from .queue import enqueue
from .registry import handler

logger = logging.getLogger(__name__)

TOPIC = "notify"
EMAIL_TOPIC = "notify.email"
SMS_TOPIC = "notify.sms"


def notify_payload(
    *,
    title: Any,
    body: Any = "",
    link: str = "",
    organisation: Any = None,
    users: Iterable[Any] = (),
    reviewers: tuple[str, str | None] | dict | None = None,
    sms: bool = False,
    email: bool = True,
) -> dict[str, Any]:
    """Build a "notify" payload.

    ``organisation``: an Organisation or its id (all active members are told);
    ``users``: users or ids; ``reviewers``: ``(authority, province)`` or a dict
    with those keys – the provincial officials of that authority and province
    plus the ministry staff of that authority; ``sms``: also send the "notice"
    SMS template to recipients with a mobile number. Lazy strings are
    rendered now, in the active language.
    """
    if isinstance(reviewers, tuple | list):
        reviewers = {"authority": reviewers[0], "province": reviewers[1] or ""}
    return {
        "organisation_id": getattr(organisation, "pk", organisation),
        "user_ids": sorted({getattr(u, "pk", u) for u in users}),
        "reviewers": dict(reviewers) if reviewers else None,
        "title": str(title)[:200],
        "body": str(body or ""),
        "link": str(link or "")[:300],
        "sms_template": "notice" if sms else None,
        "email": bool(email),
        "at": timezone.now().isoformat(),
    }


def recipients(payload: dict[str, Any]) -> list[User]:
    """Active users a payload addresses, each once, in id order."""
    condition = Q()
    if payload.get("user_ids"):
        condition |= Q(pk__in=payload["user_ids"])
    if payload.get("organisation_id"):
        condition |= Q(organisation_id=payload["organisation_id"])
    reviewers = payload.get("reviewers")
    if reviewers and reviewers.get("authority"):
        authority = reviewers["authority"]
        condition |= Q(staff_profile__authority=authority, staff_profile__level=StaffLevel.MINISTRY)
        if reviewers.get("province"):
            condition |= Q(
                staff_profile__authority=authority,
                staff_profile__level=StaffLevel.PROVINCE,
                staff_profile__province=reviewers["province"],
            )
    if not condition:
        return []
    return list(User.objects.filter(condition, is_active=True, cancelled_at__isnull=True).distinct().order_by("pk"))


@handler(TOPIC)
def handle_notify(payload: dict[str, Any]) -> None:
    title = payload.get("title", "")[:200]
    body = payload.get("body", "")
    link = payload.get("link", "")[:300]
    users = recipients(payload)
    if not users:
        return
    since = parse_datetime(payload.get("at") or "") or (timezone.now() - dt.timedelta(days=1))
    # Defensive: never a second message for the same notice (e.g. a payload enqueued twice).
    already = set(
        Message.objects.filter(
            recipient__in=users, title=title, link=link, body=body, created_at__gte=since
        ).values_list("recipient_id", flat=True)
    )
    fresh = [u for u in users if u.pk not in already]
    Message.objects.bulk_create([Message(recipient=u, title=title, body=body, link=link) for u in fresh])
    unread.forget(u.pk for u in fresh)  # bulk_create sends no post_save
    for user in fresh:
        if payload.get("email") and user.email:
            # An e-mail subject may not hold a line break (a programme name can bring one): one line.
            subject = " ".join(title.split())
            enqueue(EMAIL_TOPIC, {"to": user.email, "subject": subject, "body": _email_body(body, link)})
        if payload.get("sms_template") and user.phone:
            enqueue(SMS_TOPIC, {"phone": user.phone, "template": payload["sms_template"], "params": {"title": title}})


@handler(EMAIL_TOPIC)
def handle_email(payload: dict[str, Any]) -> None:
    send_mail(payload["subject"], payload["body"], None, [payload["to"]], fail_silently=False)


@handler(SMS_TOPIC)
def handle_sms(payload: dict[str, Any]) -> None:
    from accounts.sms import send_sms

    template = settings.SMS_TEMPLATES.get(payload["template"], payload["template"])
    send_sms(payload["phone"], template, payload.get("params") or {})


def _email_body(body: str, link: str) -> str:
    parts = [body] if body else []
    if link:
        url = link if link.startswith(("http://", "https://")) else settings.SITE_URL + link
        parts.append(url)
    parts.append(str(settings.SMS_SIGNATURE))
    return "\n\n".join(parts)
