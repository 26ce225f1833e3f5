"""Who may see and handle inspection cases: MCT provincial officials their province, MCT ministry staff all.

NRTA staff, experts and applicants have no inspection pages (日常巡查 is the culture departments' duty).
"""

from __future__ import annotations

from accounts.enums import Authority, StaffLevel


def official_profile(user):
    """The MCT staff profile of a provincial official or ministry staff member, else None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    profile = user.staff_profile_or_none
    if profile is None or profile.authority != Authority.MCT:
        return None
    if profile.level == StaffLevel.MINISTRY:
        return profile
    if profile.level == StaffLevel.PROVINCE and profile.province:
        return profile
    return None


def is_inspector(user) -> bool:
    return official_profile(user) is not None


def is_ministry(user) -> bool:
    profile = official_profile(user)
    return profile is not None and profile.level == StaffLevel.MINISTRY


def may_see(user, case) -> bool:
    profile = official_profile(user)
    if profile is None or case.authority != profile.authority:
        return False
    return profile.level == StaffLevel.MINISTRY or profile.province == case.province


def may_record_finding(user) -> bool:
    """Only provincial officials record patrol findings (of their own province)."""
    profile = official_profile(user)
    return profile is not None and profile.level == StaffLevel.PROVINCE
