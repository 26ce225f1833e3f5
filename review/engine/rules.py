"""Who may do what in the shared review machinery (permission predicates only)."""

from __future__ import annotations

from typing import Any

from accounts.enums import StaffLevel

# Staff levels that work review queues (experts score elsewhere).
REVIEW_LEVELS = (StaffLevel.PROVINCE, StaffLevel.MINISTRY)


def staff_profile(user: Any):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.staff_profile_or_none


def can_use_reviewer_site(user: Any) -> bool:
    """May this user open the reviewers' admin site at /staff/?"""
    return bool(user is not None and user.is_active and user.is_authenticated and user.is_reviewer)


def is_queue_worker(user: Any) -> bool:
    """Provincial official or ministry staff (not an expert, not an applicant)."""
    profile = staff_profile(user)
    return profile is not None and profile.level in REVIEW_LEVELS


def is_ministry(user: Any, authority: str | None = None) -> bool:
    profile = staff_profile(user)
    return (
        profile is not None
        and profile.level == StaffLevel.MINISTRY
        and (authority is None or profile.authority == authority)
    )


def can_review_authority(user: Any, authority: str) -> bool:
    """Does this user work queues of ``authority`` (MCT or NRTA) at all?"""
    profile = staff_profile(user)
    return profile is not None and profile.level in REVIEW_LEVELS and profile.authority == authority


def may_review(user: Any, *, authority: str, province: str | None) -> bool:
    """May this user act on an object of ``authority`` reviewed in ``province``?

    Ministry staff: everything of their authority. Provincial officials: their
    own province only. Kinds use this in their ``can_act``.
    """
    profile = staff_profile(user)
    if profile is None or profile.authority != authority:
        return False
    if profile.level == StaffLevel.MINISTRY:
        return True
    return profile.level == StaffLevel.PROVINCE and bool(province) and profile.province == province
