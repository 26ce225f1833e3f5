"""Reviewer accounts (A6): officials, ministry staff and experts, and staff actions on units.

Staff are created by ministry staff of the same authority or by a superuser
(or by the ``create_staff`` command, ``actor=None``: an operator on the
server), never self-registered. Ministry staff need a verified second factor
(TOTP) when ``STAFF_OTP_REQUIRED_FOR_MINISTRY`` is on (production).
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import audit
from accounts.enums import Authority, OrganisationKind, StaffLevel
from accounts.models import Organisation, StaffProfile
from accounts.services.licences import resolve_region
from common import regions
from common.validators import validate_mobile

# Staff login names: letters, digits and . _ - (e.g. "mct-hunan"), 4–30 characters.
STAFF_USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{3,29}$")


@dataclass
class StaffCreated:
    user: object
    password: str
    generated: bool


def _profile(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.staff_profile_or_none


def is_ministry_staff(user, authority: str | None = None) -> bool:
    profile = _profile(user)
    return bool(
        profile and profile.level == StaffLevel.MINISTRY and (authority is None or profile.authority == authority)
    )


# The reviewer accounts ministry staff manage themselves (ministry accounts are the system administrator's):
# MCT's ministry its provincial officials; NRTA's its provincial officials and the experts.
MANAGED_LEVELS = {
    Authority.MCT: (StaffLevel.PROVINCE,),
    Authority.NRTA: (StaffLevel.PROVINCE, StaffLevel.EXPERT),
}

# Which programme's authority a unit belongs to: 经营单位 file with MCT; 机构 and 个人 nominate to NRTA.
UNIT_KINDS = {
    Authority.MCT: (OrganisationKind.ENTERPRISE,),
    Authority.NRTA: (OrganisationKind.INSTITUTION, OrganisationKind.INDIVIDUAL),
}


def authority_of_unit(organisation: Organisation) -> str:
    for authority, kinds in UNIT_KINDS.items():
        if organisation.kind in kinds:
            return authority
    return ""


def managed_levels(actor, authority: str | None = None) -> tuple[str, ...]:
    """Levels of the accounts ``actor`` may create and disable (in ``authority``; a superuser: all)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return ()
    if actor.is_superuser:
        return tuple(StaffLevel.values)
    profile = _profile(actor)
    if profile is None or profile.level != StaffLevel.MINISTRY:
        return ()
    if authority is not None and profile.authority != authority:
        return ()
    return MANAGED_LEVELS.get(profile.authority, ())


def can_create_staff(actor, authority: str, level: str | None = None) -> bool:
    if actor is None:
        return False
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    if not (actor.is_active and is_ministry_staff(actor, authority)):
        return False
    return level is None or level in managed_levels(actor, authority)


def can_manage_account(actor, profile: StaffProfile) -> bool:
    """``actor`` may disable or re-enable the reviewer account of ``profile`` (never their own)."""
    if profile is None or actor is None or profile.user_id == getattr(actor, "pk", None):
        return False
    return profile.level in managed_levels(actor, profile.authority)


def generate_password(length: int = 14) -> str:
    """A random password that meets the portal's rule (digits, upper and lower case, 10–20)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if re.search(r"\d", password) and re.search(r"[A-Z]", password) and re.search(r"[a-z]", password):
            return password


def create_staff(
    actor,
    username: str,
    full_name: str,
    authority: str,
    level: str,
    province: str = "",
    email: str = "",
    phone: str = "",
    *,
    password: str | None = None,
    request=None,
    system: bool = False,
) -> StaffCreated:
    """Create a reviewer account with its profile. Raises ``PermissionDenied`` or ``ValidationError``.

    ``system=True`` (with ``actor=None``) is the management command run by an
    operator on the server.
    """
    if not (system and actor is None) and not can_create_staff(actor, authority):
        raise PermissionDenied(_("只有部级工作人员或系统管理员可以创建审核人员账号。"))
    if not (system and actor is None) and level in StaffLevel.values and not can_create_staff(actor, authority, level):
        raise PermissionDenied(_("您无权创建该级别的账号。"))

    User = get_user_model()
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    email = (email or "").strip()
    phone = (phone or "").strip()
    province = (province or "").strip()

    if not STAFF_USERNAME_RE.match(username):
        errors["username"] = [_("登录账号只能由字母、数字和 . _ - 组成，长度4-30位。")]
    elif username.isdigit():
        errors["username"] = [_("登录账号不能是纯数字（以免与手机号混淆）。")]
    elif User.objects.filter(Q(username__iexact=username) | Q(phone=username)).exists():
        errors["username"] = [_("该登录账号已存在。")]
    if not full_name:
        errors["full_name"] = [_("请输入姓名。")]
    elif len(full_name) > 50:
        errors["full_name"] = [_("姓名不能超过50个字符。")]
    if authority not in Authority.values:
        errors["authority"] = [_("主管部门不正确。")]
    if level not in StaffLevel.values:
        errors["level"] = [_("级别不正确。")]
    if level == StaffLevel.PROVINCE:
        code = resolve_region(province)
        if code is None:
            errors["province"] = [_("省级审核人员须选择省份。") if not province else _("省份无法识别。")]
        province = code or ""
    elif province:
        code = resolve_region(province)
        if code is None:
            errors["province"] = [_("省份无法识别。")]
        province = code or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("请输入正确的电子邮箱。")]
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
        else:
            if User.objects.filter(Q(phone=phone) | Q(username=phone)).exists():
                errors["phone"] = [_("该手机号已被其他账号使用。")]
    user = User(username=username, full_name=full_name, email=email, phone=phone or None)
    generated = password is None
    if password is None:
        password = generate_password()
    elif "username" not in errors:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        user.set_password(password)
        user.save()
        StaffProfile.objects.create(
            user=user,
            authority=authority,
            level=level,
            province=province,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
    audit.record(
        "staff.created",
        request=request,
        actor=actor,
        target=username,
        authority=authority,
        level=level,
        province=province,
    )
    return StaffCreated(user=user, password=password, generated=generated)


def set_staff_active(actor, profile: StaffProfile, active: bool, *, reason: str = "", request=None) -> bool:
    """Disable (or re-enable) a reviewer account; a disabled account is signed out at its next request. Audited.

    Returns False when nothing changed.
    """
    if not can_manage_account(actor, profile):
        raise PermissionDenied(_("您无权停用或启用该账号。"))
    reason = (reason or "").strip()
    if not active and not reason:
        raise ValidationError({"reason": [_("请填写停用原因。")]})
    if len(reason) > 200:
        raise ValidationError({"reason": [_("原因不能超过200个字符。")]})
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=profile.user_id)
        if user.is_active == active:
            return False
        user.is_active = active
        user.save(update_fields=["is_active"])
    profile.user.is_active = active
    audit.record(
        "staff.enabled" if active else "staff.disabled",
        request=request,
        actor=actor,
        target=user.username,
        authority=profile.authority,
        level=profile.level,
        province=profile.province,
        reason=reason,
    )
    return True


# --- second factor ------------------------------------------------------------------


def staff_otp_required(user) -> bool:
    """A second factor is required for this user (ministry staff, when the setting is on)."""
    return bool(getattr(settings, "STAFF_OTP_REQUIRED_FOR_MINISTRY", False)) and is_ministry_staff(user)


def staff_needs_otp(user) -> bool:
    """True when the user must still pass TOTP verification in this session before staff work."""
    if not staff_otp_required(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


# --- staff actions on units -----------------------------------------------------------


def can_reassign_province(actor, organisation: Organisation) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    profile = _profile(actor)
    if profile is None or profile.authority != authority_of_unit(organisation):
        return False  # MCT staff move 经营单位, NRTA staff 机构 and 个人
    if profile.level == StaffLevel.MINISTRY:
        return True
    return profile.level == StaffLevel.PROVINCE and profile.province == organisation.province


def reassign_province(actor, organisation: Organisation, province: str, *, reason: str = "", request=None) -> bool:
    """Move a unit to another province: its applications submitted from now on go to that province's
    reviewers (those with a reference keep the province they were filed in). Audited.

    Returns False when nothing changed.
    """
    if not can_reassign_province(actor, organisation):
        raise PermissionDenied(_("您无权调整该单位的所属省份。"))
    code = resolve_region(province)
    if code is None:
        raise ValidationError({"province": [_("省份无法识别。")]})
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        old = org.province
        if old == code:
            return False
        org.province = code
        org.save(update_fields=["province"])
    organisation.province = code
    audit.record(
        "organisation.province_changed",
        request=request,
        actor=actor,
        target=organisation.name,
        organisation=organisation.pk,
        **{"from": old, "to": code},
        from_name=regions.name(old),
        to_name=regions.name(code),
        **({"reason": reason.strip()[:200]} if reason and reason.strip() else {}),
    )
    return True


def can_mark_central(actor) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return actor.is_superuser or is_ministry_staff(actor, Authority.NRTA)


def set_central_unit(actor, organisation: Organisation, is_central: bool, *, request=None) -> bool:
    """Mark (or unmark) a unit as 中央直属单位 (may nominate directly to NRTA). Audited."""
    if not can_mark_central(actor):
        raise PermissionDenied(_("只有国家广播电视总局工作人员可以设置中央直属单位。"))
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if org.is_central == is_central:
            return False
        org.is_central = is_central
        org.save(update_fields=["is_central"])
    organisation.is_central = is_central
    audit.record(
        "organisation.central_changed",
        request=request,
        actor=actor,
        target=organisation.name,
        organisation=organisation.pk,
        is_central=is_central,
    )
    return True
