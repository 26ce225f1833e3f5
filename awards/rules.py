"""Who may do what in the NRTA recommendation (permission predicates; querysets use the same rules)."""

from __future__ import annotations

from django.db.models import Q

from accounts.enums import Authority, OrganisationKind, StaffLevel

from .enums import ProjectKind

# Which project kind each kind of unit nominates to: individuals 个人类; institutions
# and MCT enterprise units (one account for both programmes, SPEC §A2) 机构类.
PROJECT_KIND_FOR = {
    OrganisationKind.INSTITUTION: ProjectKind.INSTITUTION,
    OrganisationKind.ENTERPRISE: ProjectKind.INSTITUTION,
    OrganisationKind.INDIVIDUAL: ProjectKind.INDIVIDUAL,
}


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_applicant(user) -> bool:
    """A member of a unit (institution, individual or enterprise), not staff: may nominate works."""
    return (
        _active(user)
        and user.organisation_id is not None
        and user.staff_profile_or_none is None
        and user.organisation.kind in PROJECT_KIND_FOR
    )


def project_kind_for(user) -> str | None:
    """机构类 or 个人类 for this applicant, None for anyone else."""
    if not is_applicant(user):
        return None
    return PROJECT_KIND_FOR[user.organisation.kind]


def may_nominate_to(user, project) -> bool:
    return project_kind_for(user) == project.kind


def is_member(user, nomination) -> bool:
    """An applicant of the unit that owns ``nomination``."""
    return is_applicant(user) and user.organisation_id == nomination.organisation_id


def may_choose_nrta(organisation) -> bool:
    """Only units NRTA staff marked 中央直属单位 send their works to 国家广播电视总局 directly."""
    return bool(organisation is not None and organisation.is_central)


def _nrta_profile(user):
    if not _active(user):
        return None
    profile = user.staff_profile_or_none
    if profile is None or profile.authority != Authority.NRTA:
        return None
    return profile


def is_nrta_ministry(user) -> bool:
    """NRTA ministry staff: set up projects and maintain the platform list."""
    profile = _nrta_profile(user)
    return profile is not None and profile.level == StaffLevel.MINISTRY


def is_nrta_reviewer(user) -> bool:
    """NRTA provincial officials and ministry staff (may look at projects on /staff/)."""
    profile = _nrta_profile(user)
    return profile is not None and profile.level in (StaffLevel.PROVINCE, StaffLevel.MINISTRY)


def reviewer_scope(user, *, province_field: str = "province", bureau_field: str = "bureau") -> Q | None:
    """Q limiting nominations to what this NRTA official may review; None: nothing.

    Ministry staff: everything. Provincial officials: nominations to their own
    bureau (the province is set from the bureau at 申报), never central ones.
    """
    profile = _nrta_profile(user)
    if profile is None:
        return None
    if profile.level == StaffLevel.MINISTRY:
        return Q()
    if profile.level != StaffLevel.PROVINCE or not profile.province:
        return None
    return Q(**{province_field: profile.province}) & Q(**{bureau_field: profile.province})


def reviewer_may_see(user, nomination) -> bool:
    profile = _nrta_profile(user)
    if profile is None:
        return False
    if profile.level == StaffLevel.MINISTRY:
        return True
    return (
        profile.level == StaffLevel.PROVINCE
        and bool(profile.province)
        and nomination.province == profile.province
        and nomination.bureau == profile.province
    )
