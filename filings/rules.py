"""Who may do what with filings (permission predicates; querysets use the same rules)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from accounts.enums import Authority, OrganisationKind, StaffLevel

from .enums import FilingKind

IMPORT_BY_PROVINCE = "province"
IMPORT_BY_MINISTRY = "ministry"


def import_reviewer() -> str:
    """Who reviews import applications: the unit's provincial department (default) or the ministry."""
    value = getattr(settings, "FILINGS_IMPORT_REVIEWER", IMPORT_BY_PROVINCE)
    return IMPORT_BY_MINISTRY if value == IMPORT_BY_MINISTRY else IMPORT_BY_PROVINCE


def reviewed_by_ministry(kind: str) -> bool:
    return kind == FilingKind.IMPORT and import_reviewer() == IMPORT_BY_MINISTRY


def _mct_profile(user):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    profile = user.staff_profile_or_none
    if profile is None or profile.authority != Authority.MCT:
        return None
    return profile


def is_member(user, obj) -> bool:
    """An applicant of the unit that owns ``obj`` (a Filing or ChangeRequest)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
        and user.staff_profile_or_none is None
        and user.organisation_id == obj.organisation_id
    )


def is_applicant(user) -> bool:
    """A member of an internet culture business unit (经营单位): only they file MCT programmes;
    NRTA institutions and individuals have no MCT pages."""
    return (
        getattr(user, "is_authenticated", False)
        and user.organisation_id is not None
        and user.staff_profile_or_none is None
        and user.organisation.kind == OrganisationKind.ENTERPRISE
    )


def reviewer_scope(user, *, kind_field: str = "kind", province_field: str = "province") -> Q | None:
    """Q limiting filings (or change requests) to what this official may review; None: nothing."""
    profile = _mct_profile(user)
    if profile is None:
        return None
    if profile.level == StaffLevel.MINISTRY:
        return Q()
    if profile.level != StaffLevel.PROVINCE or not profile.province:
        return None
    scope = Q(**{kind_field: FilingKind.DOMESTIC})
    if import_reviewer() == IMPORT_BY_PROVINCE:
        scope |= Q(**{kind_field: FilingKind.IMPORT})
    return scope & Q(**{province_field: profile.province})


def reviewer_may_see(user, kind: str, province: str) -> bool:
    profile = _mct_profile(user)
    if profile is None:
        return False
    if profile.level == StaffLevel.MINISTRY:
        return True
    if profile.level != StaffLevel.PROVINCE or not profile.province:
        return False
    if reviewed_by_ministry(kind):
        return False
    return profile.province == province
