"""Reads of notices, always scoped to the visitor's audience (anything else is a 404)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.enums import StaffLevel
from supervision.guidance.rules import authority_of, is_applicant, official_profile

from .enums import NoticeState
from .models import Notice, NoticeAttachment, SignUp

HOME_COUNT = 5


def audience_filter(user) -> Q:
    """Whom a notice is meant for: everyone; a unit its programme and province; officials their scope."""
    everyone = Q(authority="")
    if is_applicant(user):
        org = user.organisation
        return everyone | Q(authority=authority_of(org), province__in=("", org.province))
    profile = official_profile(user)
    if profile is not None:
        if profile.level == StaffLevel.MINISTRY:
            return everyone | Q(authority=profile.authority)
        return everyone | Q(authority=profile.authority, province__in=("", profile.province))
    return everyone


def visible(user) -> QuerySet[Notice]:
    today = timezone.localdate()
    return Notice.objects.filter(
        audience_filter(user),
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        state=NoticeState.PUBLISHED,
        publish_date__lte=today,
    )


def home_notices(user) -> list[Notice]:
    """The latest five for the home page block (one query)."""
    return list(
        visible(user).only("public_id", "kind", "title", "publish_date").order_by("-publish_date", "-pk")[:HOME_COUNT]
    )


def notice_list(user, kind: str = "") -> QuerySet[Notice]:
    qs = visible(user).order_by("-publish_date", "-pk")
    return qs.filter(kind=kind) if kind else qs


def notice_detail(user, public_id: str) -> Notice:
    notice = (
        visible(user)
        .annotate(taken=Sum("signups__attendees", filter=Q(signups__cancelled_at__isnull=True)))
        .prefetch_related(Prefetch("attachments", queryset=NoticeAttachment.objects.order_by("pk")))
        .filter(public_id=public_id)
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def own_signup(user, notice: Notice) -> SignUp | None:
    if not is_applicant(user):
        return None
    return SignUp.objects.filter(notice=notice, organisation_id=user.organisation_id, cancelled_at__isnull=True).first()


def seats_taken(notice_id: int) -> int:
    return SignUp.objects.filter(notice_id=notice_id, cancelled_at__isnull=True).aggregate(n=Sum("attendees"))["n"] or 0


def downloadable_attachment(user, token: str) -> NoticeAttachment:
    attachment = NoticeAttachment.objects.filter(token=token, notice__in=visible(user)).first()
    if attachment is None:
        raise Http404
    return attachment


def managed(user) -> QuerySet[Notice]:
    """Notices an official may edit: a provincial official its province and authority; ministry its authority."""
    profile = official_profile(user)
    if profile is None:
        return Notice.objects.none()
    qs = Notice.objects.filter(issuer_authority=profile.authority)
    if profile.level != StaffLevel.MINISTRY:
        qs = qs.filter(authority=profile.authority, province=profile.province)
    return qs


def managed_signups(user) -> QuerySet[SignUp]:
    return SignUp.objects.filter(notice__in=managed(user)).select_related("notice", "organisation")
