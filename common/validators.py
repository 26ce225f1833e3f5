"""Field validators shared by every app (credit code, resident ID, mobile, login account)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric, uscc

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LOGIN_ACCOUNT_RE = re.compile(r"^[A-Za-z0-9]{4,30}$")
USCC_ALPHABET = set("0123456789ABCDEFGHJKLMNPQRTUWXY")


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def validate_credit_code(value: str) -> str:
    """GB 32100-2015 unified social credit code: 18 characters and a correct check character."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="length")
    if any(c not in USCC_ALPHABET for c in code):
        raise ValidationError(_("统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）。"), code="alphabet")
    try:
        uscc.validate(code)
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对后重新输入。"), code="checksum") from None
    except stdnum_exc.ValidationError:
        raise ValidationError(_("统一社会信用代码格式不正确。"), code="format") from None
    return code


def validate_mobile(value: str) -> str:
    phone = (value or "").strip()
    if not MOBILE_RE.match(phone):
        raise ValidationError(_("请输入正确的11位手机号码。"), code="mobile")
    return phone


def validate_resident_id(value: str) -> str:
    """GB 11643 citizen identity number (18 characters, check digit)."""
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise ValidationError(_("身份证号应为18位。"), code="length")
    try:
        ric.validate(number)
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(_("身份证号校验位不正确，请核对后重新输入。"), code="checksum") from None
    except stdnum_exc.ValidationError:
        raise ValidationError(_("身份证号格式不正确。"), code="format") from None
    return number


def validate_login_account(value: str) -> str:
    account = (value or "").strip()
    if not LOGIN_ACCOUNT_RE.match(account):
        raise ValidationError(_("登录账号只能由字母和数字组成，长度4-30位。"), code="format")
    if account.isdigit() and len(account) == 11:
        raise ValidationError(_("登录账号不能是11位数字（以免与手机号混淆）。"), code="phone_like")
    return account


def mask_resident_id(number: str) -> str:
    if not number or len(number) < 8:
        return "*" * len(number or "")
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    if not phone or len(phone) < 7:
        return phone or ""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_email(email: str) -> str:
    if not email or "@" not in email:
        return email or ""
    local, domain = email.split("@", 1)
    return (local[:1] or "") + "***@" + domain
