"""Who may do what with guidance threads (permission predicates; the selectors use the same scope)."""

from __future__ import annotations

from accounts.enums import Authority, OrganisationKind, StaffLevel


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_applicant(user) -> bool:
    """A member of an applicant unit (not an official) whose unit has a province to ask."""
    return (
        _active(user)
        and user.organisation_id is not None
        and user.staff_profile_or_none is None
        and bool(user.organisation.province)
    )


def authority_of(organisation) -> str:
    """Enterprise units (经营单位) ask the culture department (MCT); NRTA institutions and individuals
    their provincial 广播电视局."""
    return Authority.MCT if organisation.kind == OrganisationKind.ENTERPRISE else Authority.NRTA


def official_profile(user):
    """The staff profile of a provincial official or ministry staff member, else None."""
    if not _active(user):
        return None
    profile = user.staff_profile_or_none
    if profile is None or profile.level not in (StaffLevel.PROVINCE, StaffLevel.MINISTRY):
        return None
    return profile


def is_official(user) -> bool:
    return official_profile(user) is not None


def official_may_see(user, thread) -> bool:
    profile = official_profile(user)
    if profile is None or profile.authority != thread.authority:
        return False
    return profile.level == StaffLevel.MINISTRY or profile.province == thread.province


def member_may_see(user, thread) -> bool:
    return is_applicant(user) and user.organisation_id == thread.organisation_id
