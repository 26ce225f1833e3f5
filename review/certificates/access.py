"""Who may see, download and change the status of which certificates."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.enums import StaffLevel

from ..engine import all_kinds
from ..models import Certificate
from .lookup import kind_of


def _profile(user: Any):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.staff_profile_or_none


def visible_certificates(user: Any) -> QuerySet[Certificate]:
    """Certificates ``user`` may see and download.

    A unit's members: the unit's own. Ministry staff: every certificate of their
    authority's kinds. Provincial officials: those of their authority's kinds in
    their province. Anyone else (experts, anonymous): none.
    """
    qs = Certificate.objects.all()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    profile = _profile(user)
    if profile is None:
        return qs.filter(organisation_id=user.organisation_id) if user.organisation_id else qs.none()
    if profile.level not in (StaffLevel.PROVINCE, StaffLevel.MINISTRY):
        return qs.none()
    kinds = [k.key for k in all_kinds() if k.authority == profile.authority]
    qs = qs.filter(kind__in=kinds)
    if profile.level == StaffLevel.PROVINCE:
        qs = qs.filter(province=profile.province)
    return qs


def can_view_certificate(user: Any, certificate: Certificate) -> bool:
    """Holder's members, staff whose scope covers it, or reviewers whose queue holds its subject."""
    if visible_certificates(user).filter(pk=certificate.pk).exists():
        return True
    profile = _profile(user)
    kind = kind_of(certificate)
    if profile is None or kind is None or profile.level not in (StaffLevel.PROVINCE, StaffLevel.MINISTRY):
        return False
    return kind.reviewer_queryset(user).filter(pk=certificate.object_id).exists()


def can_change_status(user: Any, certificate: Certificate) -> bool:
    """暂扣 / 恢复 / 注销 / 失效: ministry staff of the certificate's authority, and provincial
    officials of that authority for the certificates of their province."""
    profile = _profile(user)
    kind = kind_of(certificate)
    if profile is None or kind is None or profile.authority != kind.authority:
        return False
    if profile.level == StaffLevel.MINISTRY:
        return True
    return (
        profile.level == StaffLevel.PROVINCE and bool(certificate.province) and profile.province == certificate.province
    )


can_revoke = can_change_status
