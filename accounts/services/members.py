"""Members of a unit (A1b) and change of one's own mobile.

Every function takes the acting user, re-reads the organisation row under
``select_for_update`` and checks the actor's right against what it finds (not
what the caller saw), then writes an audit record. A removed member's records
stay with the unit: the account is detached from it and deactivated.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import audit, rules
from accounts.enums import OrganisationKind
from accounts.models import Organisation, User
from common.validators import mask_phone


class MemberError(Exception):
    """A rule of the members page was broken; ``message`` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _removed_account(phone: str) -> User | None:
    """An account detached from its unit by removal (inactive, no unit, not staff, not cancelled)."""
    return User.objects.filter(
        phone=phone, organisation__isnull=True, is_active=False, cancelled_at__isnull=True, staff_profile__isnull=True
    ).first()


def phone_free_for_member(phone: str) -> bool:
    """The phone is unused, or belongs to a member who was removed from a unit."""
    if not User.objects.filter(Q(phone=phone) | Q(username__iexact=phone)).exists():
        return True
    return _removed_account(phone) is not None


def _locked_org(actor) -> Organisation:
    if not rules.is_unit_member(actor):
        raise PermissionDenied
    org = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    if org.administrator_id != actor.pk or org.kind == OrganisationKind.INDIVIDUAL:
        raise PermissionDenied
    return org


def add_member(actor: User, *, full_name: str, phone: str, request=None) -> User:
    """Add a member (its mobile already confirmed by an SMS code).

    The member's login name is the phone and its password is unusable until
    they log in with an SMS code (验证码登录) and set one.
    """
    with transaction.atomic():
        org = _locked_org(actor)
        member = _removed_account(phone)
        if member is None and User.objects.filter(Q(phone=phone) | Q(username__iexact=phone)).exists():
            raise MemberError(_("该手机号已被其他账号使用。"))
        try:
            with transaction.atomic():
                if member is None:
                    member = User(username=phone, phone=phone)
                member.full_name = full_name
                member.organisation = org
                member.is_active = True
                member.set_unusable_password()
                member.save()
        except IntegrityError:
            raise MemberError(_("该手机号已被其他账号使用。"))
    audit.record(
        "member.add", request=request, actor=actor, target=org.name, member=member.username, phone=mask_phone(phone)
    )
    return member


def remove_member(actor: User, member: User, *, request=None) -> None:
    """Detach ``member`` from the actor's unit and deactivate the account; its records stay with the unit."""
    with transaction.atomic():
        org = _locked_org(actor)
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.organisation_id != org.pk:
            raise PermissionDenied
        if member.pk == actor.pk:
            raise MemberError(_("不能移除自己。"))
        if member.pk == org.administrator_id:
            raise MemberError(_("不能移除单位管理员。"))
        member.organisation = None
        member.is_active = False
        member.save(update_fields=["organisation", "is_active"])
    audit.record("member.remove", request=request, actor=actor, target=org.name, member=member.username)


def transfer_administrator(actor: User, member: User, *, request=None) -> None:
    """Hand the administrator role of the actor's unit to another active member."""
    with transaction.atomic():
        org = _locked_org(actor)
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.organisation_id != org.pk:
            raise PermissionDenied
        if member.pk == actor.pk:
            raise MemberError(_("您已是单位管理员。"))
        if not member.is_active:
            raise MemberError(_("该成员账号已停用，不能设为管理员。"))
        org.administrator = member
        org.save(update_fields=["administrator"])
    audit.record(
        "member.transfer_admin", request=request, actor=actor, target=org.name, new_administrator=member.username
    )


def change_phone(actor: User, new_phone: str, *, request=None) -> User:
    """Change the actor's own mobile (both numbers already confirmed by SMS codes).

    The login name follows when it was the old phone.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        old_phone = user.phone
        if User.objects.filter(Q(phone=new_phone) | Q(username__iexact=new_phone)).exclude(pk=user.pk).exists():
            raise MemberError(_("该手机号已被其他账号使用。"))
        fields = ["phone"]
        user.phone = new_phone
        if old_phone and user.username == old_phone:
            user.username = new_phone
            fields.append("username")
        try:
            with transaction.atomic():
                user.save(update_fields=fields)
        except IntegrityError:
            raise MemberError(_("该手机号已被其他账号使用。"))
    audit.record(
        "account.phone_change",
        request=request,
        actor=user,
        target=user.username,
        old=mask_phone(old_phone or ""),
        new=mask_phone(new_phone),
    )
    actor.phone = user.phone
    actor.username = user.username
    return user
