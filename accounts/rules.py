"""Who may do what with accounts (permission predicates; no queries beyond the user's own unit)."""

from __future__ import annotations

from accounts.enums import OrganisationKind


def is_unit_member(user) -> bool:
    """A logged-in, active member of an organisation."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.organisation_id is not None)


def can_view_members(user) -> bool:
    return is_unit_member(user)


def can_manage_members(user) -> bool:
    """Only the unit's administrator adds, removes members and hands over the role.

    An individual's record has exactly one member, so it has nothing to manage.
    """
    if not is_unit_member(user):
        return False
    org = user.organisation
    return org.administrator_id == user.pk and org.kind != OrganisationKind.INDIVIDUAL


def can_manage_member(user, member) -> bool:
    """``user`` may remove ``member`` or hand it the administrator role."""
    return (
        can_manage_members(user)
        and member is not None
        and member.pk != user.pk
        and member.organisation_id == user.organisation_id
        and member.is_active
    )


def can_change_phone(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_request_code_for(user, purpose: str) -> bool:
    """Purposes that need a logged-in user (the JSON endpoint checks this)."""
    if purpose == "add-member":
        return can_manage_members(user)
    if purpose == "change-phone":
        return can_change_phone(user)
    return True
