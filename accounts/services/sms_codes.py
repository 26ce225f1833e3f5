"""One-time SMS verification codes: issue, throttle, verify.

Codes are six digits, stored hashed, valid ``SMS_CODE_TTL_SECONDS``, allow
``SMS_CODE_MAX_ATTEMPTS`` wrong tries, are single-use and bound to a purpose.
Sending is throttled per phone (one per 60 s, 10 a day) and per IP (20 an hour).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import sms
from accounts.models import SmsCode
from common import ratelimit


class SmsThrottled(Exception):
    def __init__(self, message: str, retry_after: int = 0):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class CodeInvalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _check_throttle(phone: str, ip: str | None) -> None:
    """Refuse a send over any limit; only a send that passes them all is counted.

    Every limit is first only read (the address's hourly count, the phone's
    cool-down and daily count); a refusal, by the address limit above all,
    starts no cool-down and counts nothing against the phone, so someone over
    their own limit cannot keep a victim's phone waiting or use up its day.
    """
    ip_key = f"sms:ip:{ip}"
    phone_key = f"sms:{phone}"
    day_key = f"sms:day:{phone}:{timezone.localdate().isoformat()}"
    if ip and ratelimit.count(ip_key, 3600) >= settings.SMS_THROTTLE_IP_PER_HOUR:
        raise SmsThrottled(_("当前网络获取验证码次数过多，请稍后再试。"), 3600)
    wait = ratelimit.cooldown_left(phone_key)
    if wait:
        raise SmsThrottled(_("验证码发送过于频繁，请%(s)s秒后再试。") % {"s": wait}, wait)
    if ratelimit.count(day_key, 86400) >= settings.SMS_THROTTLE_PHONE_PER_DAY:
        raise SmsThrottled(_("该手机号今日获取验证码次数已达上限，请明天再试。"), 86400)
    # All clear: count it. The cool-down is started atomically (a parallel request may have won).
    wait = ratelimit.cooldown(phone_key, settings.SMS_THROTTLE_PHONE_SECONDS)
    if wait:
        raise SmsThrottled(_("验证码发送过于频繁，请%(s)s秒后再试。") % {"s": wait}, wait)
    ratelimit.hit(day_key, 86400)
    if ip:
        ratelimit.hit(ip_key, 3600)


def issue_code(phone: str, purpose: str, *, ip: str | None = None) -> None:
    """Generate, store (hashed) and send a code. Raises ``SmsThrottled``."""
    _check_throttle(phone, ip)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        # A new code replaces any earlier unused one for the same purpose.
        SmsCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(used_at=now)
        SmsCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=make_password(code),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
            ip=ip,
        )
    minutes = str(settings.SMS_CODE_TTL_SECONDS // 60)
    sms.send_sms(phone, settings.SMS_TEMPLATES[purpose], {"code": code, "minutes": minutes})


def verify_code(phone: str, purpose: str, code: str, *, consume: bool = True) -> None:
    """Check a code for this phone and purpose. Raises ``CodeInvalid`` with a message for the field."""
    error = _check_and_count(phone, purpose, (code or "").strip(), consume)
    if error:
        raise CodeInvalid(error)


def _check_and_count(phone: str, purpose: str, code: str, consume: bool) -> str:
    """Returns an error message or "" (the counter update must commit, so no raising inside)."""
    now = timezone.now()
    with transaction.atomic():
        record = (
            SmsCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if record is None:
            return _("请先获取短信验证码。")
        if record.expires_at <= now:
            return _("短信验证码已过期，请重新获取。")
        if record.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            return _("短信验证码错误次数过多，请重新获取。")
        if len(code) != 6 or not code.isdigit() or not check_password(code, record.code_hash):
            SmsCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
            left = settings.SMS_CODE_MAX_ATTEMPTS - record.attempts - 1
            if left <= 0:
                return _("短信验证码错误次数过多，请重新获取。")
            return _("短信验证码不正确，还可尝试%(n)s次。") % {"n": left}
        if consume:
            SmsCode.objects.filter(pk=record.pk).update(used_at=now)
    return ""


def purge_expired(days: int = 7) -> int:
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _unused = SmsCode.objects.filter(created_at__lt=cutoff).delete()
    return deleted
