"""绑定授权码: first enrolment of a reviewer's TOTP device needs a code issued by an administrator.

Without it, whoever holds a ministry account's password (phished, guessed,
shared) could bind their own authenticator first and own the second factor
too. So the set-up page asks, before it shows any secret, for a one-time code
that ministry staff of the same authority or a superuser issued for that very
account (on the superuser admin, or with ``manage.py issue_otp_enrolment_code``
on the server) and handed over out of band. Codes are 12 characters, stored
hashed, valid ``OTP_ENROLMENT_CODE_HOURS`` (72 h), single-use; issuing a new
one voids the earlier ones; wrong tries are limited (5 in 15 minutes).
Replacing a device needs no code: the current device proves the person.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import OtpEnrolmentCode
from accounts.services.staff import is_ministry_staff
from common import ratelimit

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
CODE_LENGTH = 12
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60


class EnrolmentRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, to the issuer; never stored
    expires_at: datetime


def _hours() -> int:
    return int(getattr(settings, "OTP_ENROLMENT_CODE_HOURS", 72))


def may_have_otp(user) -> bool:
    """Reviewers and superusers use a second factor."""
    return bool(user is not None and user.is_active and (user.is_superuser or user.is_reviewer))


def can_issue_enrolment_code(actor, user) -> bool:
    """A superuser, or ministry staff of the reviewer's own authority (not for themselves)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    profile = user.staff_profile_or_none
    return bool(profile is not None and actor.pk != user.pk and is_ministry_staff(actor, profile.authority))


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _format(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue_enrolment_code(actor, user, *, request=None, system: bool = False) -> IssuedCode:
    """Issue a new code for ``user`` (earlier unused ones stop working). Audited.

    ``system=True`` (with ``actor=None``) is the management command run by an
    operator on the server. Raises ``PermissionDenied``.
    """
    if not (system and actor is None) and not can_issue_enrolment_code(actor, user):
        raise PermissionDenied(_("只有部级工作人员或系统管理员可以签发动态口令绑定授权码。"))
    if not may_have_otp(user):
        raise PermissionDenied(_("该账号不使用动态口令。"))
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = timezone.now()
    expires_at = now + timedelta(hours=_hours())
    with transaction.atomic():
        OtpEnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
        OtpEnrolmentCode.objects.create(
            user=user,
            code_hash=make_password(code),
            issued_by=actor if actor is not None and actor.is_authenticated else None,
            created_at=now,
            expires_at=expires_at,
        )
    ratelimit.reset(_failures_key(user), FAILURE_WINDOW)
    audit.record(
        "otp.enrolment_code_issued",
        request=request,
        actor=actor if actor is not None and actor.is_authenticated else None,
        target=user.username,
        expires_at=expires_at.isoformat(),
        system=actor is None,
    )
    return IssuedCode(code=_format(code), expires_at=expires_at)


def _failures_key(user) -> str:
    return f"otp-enrol:fail:{user.pk}"


def check_enrolment_code(user, code: str, *, request=None) -> int:
    """The id of the valid code ``user`` typed. Raises ``EnrolmentRefused`` with a message for the field."""
    if ratelimit.count(_failures_key(user), FAILURE_WINDOW) >= MAX_FAILURES:
        raise EnrolmentRefused(_("授权码错误次数过多，请15分钟后再试。"))
    typed = normalise(code)
    record = (
        OtpEnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if record is not None and len(typed) == CODE_LENGTH and check_password(typed, record.code_hash):
        return record.pk
    ratelimit.hit(_failures_key(user), FAILURE_WINDOW)
    audit.record("otp.enrolment_code_failed", request=request, actor=user, target=user.username)
    raise EnrolmentRefused(_("授权码不正确或已失效，请核对或向管理员重新申请。"))


def code_still_valid(user, code_id: int | None) -> bool:
    if not code_id:
        return False
    return OtpEnrolmentCode.objects.filter(
        pk=code_id, user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def consume_enrolment_code(user, code_id: int) -> bool:
    """Mark the code used; False when it was used, voided or expired meanwhile (one device per code)."""
    updated = OtpEnrolmentCode.objects.filter(
        pk=code_id, user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).update(used_at=timezone.now())
    return updated == 1
