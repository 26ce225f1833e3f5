"""Self-registration of applicants: 经营单位 (MCT), 机构 and 个人 (NRTA).

Each function creates the organisation and its administrator in one
transaction and writes a "register" audit record. The forms have already
checked every rule; the database constraints (unique phone, login name, credit
code, institution name, ID digest) catch the rare race between two identical
submissions, which surfaces as :class:`RegistrationConflict`.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.enums import OrganisationKind
from accounts.models import Organisation, User
from common import regions
from common.validators import MOBILE_RE, mask_phone


class RegistrationConflict(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _conflict() -> RegistrationConflict:
    return RegistrationConflict(
        _("注册信息刚刚已被使用（手机号、登录账号、统一社会信用代码或名称），请检查后重新提交。")
    )


def _create_with_administrator(org_fields: dict, user: User, password: str) -> tuple[Organisation, User]:
    """Create the organisation and its first member, who becomes its administrator
    (one transaction; a duplicate caught by a unique constraint is a conflict)."""
    try:
        with transaction.atomic():
            org = Organisation.objects.create(**org_fields)
            user.organisation = org
            user.set_password(password)
            user.save()
            org.administrator = user
            org.save(update_fields=["administrator"])
    except IntegrityError:
        raise _conflict()
    return org, user


def register_enterprise(
    *, name: str, full_name: str, phone: str, credit_code: str, province: str, password: str, request=None
) -> User:
    """经营单位用户注册: the unit, and its administrator whose login name is the phone."""
    org, user = _create_with_administrator(
        {"kind": OrganisationKind.ENTERPRISE, "name": name, "credit_code": credit_code, "province": province},
        User(username=phone, phone=phone, full_name=full_name),
        password,
    )
    audit.record(
        "register",
        request=request,
        actor=user,
        target=org.name,
        kind=org.kind,
        credit_code=credit_code,
        province=province,
        phone=mask_phone(phone),
    )
    return user


def register_institution(
    *,
    name: str,
    institution_type: str,
    credit_code: str,
    province: str,
    email: str,
    contact_name: str,
    contact_phone: str,
    login_account: str,
    password: str,
    request=None,
) -> User:
    """机构注册: the institution, and its administrator whose login name is the 登录账号.

    The contact phone becomes the account's mobile (usable for 验证码登录) only
    when it is a mobile number not used by another account.
    """
    phone = None
    if MOBILE_RE.match(contact_phone) and not User.objects.filter(phone=contact_phone).exists():
        phone = contact_phone
    org, user = _create_with_administrator(
        {
            "kind": OrganisationKind.INSTITUTION,
            "name": name,
            "institution_type": institution_type,
            "credit_code": credit_code,
            "province": province,
            "email": email,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
        },
        User(username=login_account, phone=phone, email=email, full_name=contact_name),
        password,
    )
    audit.record(
        "register",
        request=request,
        actor=user,
        target=org.name,
        kind=org.kind,
        credit_code=credit_code,
        province=province,
        account=login_account,
    )
    return user


def province_from_resident_id(number: str) -> str:
    """The province of the household registration (first two digits), when in the region table."""
    code = (number or "")[:2] + "0000"
    return code if regions.get(code) else ""


def register_individual(
    *, full_name: str, id_number: str, phone: str, email: str, login_account: str, password: str, request=None
) -> User:
    """个人注册: an individual's own organisation record, with the person as administrator.

    The resident ID number is stored encrypted with a blind index for
    uniqueness; the consent to collect it is timestamped.
    """
    user = User(
        username=login_account,
        phone=phone,
        email=email,
        full_name=full_name,
        personal_info_consent_at=timezone.now(),
    )
    user.set_id_number(id_number)
    org, user = _create_with_administrator(
        {
            "kind": OrganisationKind.INDIVIDUAL,
            "name": full_name,
            "email": email,
            "contact_name": full_name,
            "contact_phone": phone,
            "province": province_from_resident_id(id_number),
        },
        user,
        password,
    )
    audit.record(
        "register",
        request=request,
        actor=user,
        target=login_account,
        kind=org.kind,
        account=login_account,
        phone=mask_phone(phone),
        personal_info_consent=True,
    )
    return user
