"""Who may take part in the expert round (permission predicates of the 专家评议).

* An **expert** is a user with a ``StaffProfile`` of level 评审专家 and authority
  国家广播电视总局 (an MCT expert is not one of ours). Experts score only the
  quarters NRTA ministry staff assigned them to (``ExpertAssignment``).
* An **automatic conflict of interest**: the expert's organisation (as entered
  on the assignment) is, once normalised like work names (``awards.names``:
  full-width/half-width, case, spaces and punctuation ignored), the nominating
  unit's name, the work's 出品机构 or its 制作机构. Such a work is never shown to
  the expert and cannot be scored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.enums import Authority, StaffLevel

from .names import normalise_name

# What an expert's organisation is compared with, in this order: (label, accessor).
CONFLICT_FIELDS = (
    (_("申报单位"), lambda nomination: nomination.organisation.name),
    (_("出品机构"), lambda nomination: nomination.producer),
    (_("制作机构"), lambda nomination: nomination.maker),
)


def is_nrta_expert(user) -> bool:
    """An active NRTA expert account (评审专家 of 国家广播电视总局)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    profile = user.staff_profile_or_none
    return profile is not None and profile.level == StaffLevel.EXPERT and profile.authority == Authority.NRTA


def automatic_conflict(organisation_name: str, nomination) -> str | None:
    """The label of the first field of ``nomination`` naming the expert's organisation, else None.

    ``nomination.organisation`` must be loaded (select_related) to keep lists at constant queries.
    """
    own = normalise_name(organisation_name)
    if not own:
        return None
    for label, value in CONFLICT_FIELDS:
        if normalise_name(value(nomination)) == own:
            return str(label)
    return None
