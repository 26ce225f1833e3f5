"""Reads of guidance threads, always scoped to who asks (anything else is a 404)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.enums import StaffLevel

from . import rules
from .models import Attachment, Message, Thread


def own_threads(user) -> QuerySet[Thread]:
    if not rules.is_applicant(user):
        return Thread.objects.none()
    return Thread.objects.filter(organisation_id=user.organisation_id)


def official_threads(user) -> QuerySet[Thread]:
    profile = rules.official_profile(user)
    if profile is None:
        return Thread.objects.none()
    qs = Thread.objects.filter(authority=profile.authority)
    if profile.level != StaffLevel.MINISTRY:
        qs = qs.filter(province=profile.province)
    return qs


def my_list(user) -> QuerySet[Thread]:
    """我的咨询: the unit's threads, latest activity first (one query per page)."""
    return (
        own_threads(user).select_related("filing", "filing__application_version").order_by("-last_activity_at", "-pk")
    )


def _with_messages(qs: QuerySet[Thread]) -> QuerySet[Thread]:
    messages = Message.objects.prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    return qs.select_related("organisation", "filing", "filing__application_version").prefetch_related(
        Prefetch("messages", queryset=messages.order_by("at", "pk"))
    )


def own_thread(user, public_id: str) -> Thread:
    thread = _with_messages(own_threads(user)).filter(public_id=public_id).first()
    if thread is None:
        raise Http404
    return thread


def official_thread(user, public_id: str) -> Thread | None:
    return _with_messages(official_threads(user)).filter(public_id=public_id).first()


def downloadable_attachment(user, token: str) -> Attachment:
    """The attachment if ``user`` may see its thread (the unit's members; the officials in scope)."""
    attachment = Attachment.objects.select_related("message__thread").filter(token=token).first()
    if attachment is None:
        raise Http404
    thread = attachment.message.thread
    if rules.member_may_see(user, thread) or rules.official_may_see(user, thread):
        return attachment
    raise Http404
