"""Login, password and account-cancellation services (SPEC §A3).

Views call these; they never change a user themselves. Every function takes
the actor explicitly and writes an audit record for what it changes.
"""

from __future__ import annotations

import secrets
import time

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, crypto
from accounts.enums import SmsPurpose
from accounts.models import Organisation
from accounts.services import sms_codes
from common import ratelimit

# Password-reset e-mails: at most this many requests per IP address per hour.
RESET_REQUESTS_PER_IP_PER_HOUR = 5
# After a login by SMS code the user may set a new password without the old one
# for this long (the "forgotten password" path).
SMS_LOGIN_PASSWORD_SET_SECONDS = 15 * 60
SMS_LOGIN_SESSION_KEY = "sms_login_at"
_RESET_UID_PREFIX = "pwreset:"


class ResetThrottled(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CancelRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- look-ups ---------------------------------------------------------------
def _active_users():
    return get_user_model().objects.filter(is_active=True, cancelled_at__isnull=True)


def canonical_login_name(login: str) -> str:
    """The name failed logins are counted under.

    A person may type their mobile number or their 登录账号 in any case; all of
    them count against the one account, so the lockout cannot be dodged by
    switching between them. Unknown names are counted as typed (lower-case).
    """
    login = (login or "").strip()
    user = get_user_model().objects.filter(Q(username__iexact=login) | Q(phone=login)).only("username").first()
    return user.username if user is not None else login.lower()


# --- password spraying: failures per client address across accounts -----------
def _spray_key(ip: str) -> str:
    return f"login:ip:{ip}"


def _spray_window() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def login_ip_locked_for(request) -> int:
    """Seconds this client address may not try passwords any more (0 when it may).

    django-axes locks an account+address pair after 5 failures; this is the
    second limit, for one address trying many accounts (``LOGIN_FAILURES_PER_IP``
    failures in 15 minutes lock the address's password logins for 15 minutes).
    """
    ip = audit.client_ip(request)
    return ratelimit.locked_for(_spray_key(ip)) if ip else 0


def count_login_failure(request) -> None:
    """Count one failed password login against the client address (every login path: a signal)."""
    ip = audit.client_ip(request)
    if not ip or ratelimit.locked_for(_spray_key(ip)):
        return
    if ratelimit.hit(_spray_key(ip), _spray_window()) >= settings.LOGIN_FAILURES_PER_IP:
        ratelimit.lock(_spray_key(ip), _spray_window())
        ratelimit.reset(_spray_key(ip), _spray_window())
        audit.record("login.ip_locked", request=request, actor=None, target=ip)


def login_ip_locked_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return _("当前网络登录失败次数过多，请%(minutes)s分钟后再试或使用验证码登录。") % {"minutes": minutes}


def user_for_phone(phone: str):
    """The active account that logs in with this mobile number, or None."""
    return _active_users().filter(phone=phone).first()


# --- login by SMS code ------------------------------------------------------
# Phones this browser session asked a login code for, with the time.
LOGIN_CODE_SESSION_KEY = "sms_login_requested"


def login_code_failed_message() -> str:
    """The one answer to a wrong login code, whether or not the phone has an account."""
    return _("短信验证码不正确或已失效，请重新获取。")


def note_login_code_requested(session, phone: str) -> None:
    """Remember that this session asked for a login code for ``phone`` (sent or, for an
    unknown phone, silently not sent: the answer was the same)."""
    now = int(time.time())
    ttl = settings.SMS_CODE_TTL_SECONDS
    requested = {p: t for p, t in (session.get(LOGIN_CODE_SESSION_KEY) or {}).items() if now - int(t) <= ttl}
    requested[phone] = now
    session[LOGIN_CODE_SESSION_KEY] = requested


def _forget_login_code(session, phone: str) -> None:
    requested = dict(session.get(LOGIN_CODE_SESSION_KEY) or {})
    if requested.pop(phone, None) is not None:
        session[LOGIN_CODE_SESSION_KEY] = requested


def user_for_login_code(phone: str, code: str, *, request) -> object:
    """Check a login code and return the account. Raises ``CodeInvalid``.

    Whether the phone has an account never shows: an unknown phone, a wrong, used
    or replaced code and too many tries all get one message. Only a session that
    itself asked for a code for this phone (within the code's lifetime) has its
    guesses checked and counted against the code's tries: posts from anywhere
    else touch no code, so nobody can use up a real user's attempts. What the
    messages still tell ("get a code first", "expired") comes from this
    session's own request, the same for any phone.
    """
    session = request.session
    requested_at = (session.get(LOGIN_CODE_SESSION_KEY) or {}).get(phone)
    if requested_at is None:
        audit.record("login.sms_failed", request=request, actor=None, target=phone, reason="not_requested")
        raise sms_codes.CodeInvalid(_("请先获取短信验证码。"))
    if int(time.time()) - int(requested_at) > settings.SMS_CODE_TTL_SECONDS:
        _forget_login_code(session, phone)
        audit.record("login.sms_failed", request=request, actor=None, target=phone, reason="expired")
        raise sms_codes.CodeInvalid(_("短信验证码已过期，请重新获取。"))
    user = user_for_phone(phone)
    if user is None:
        audit.record("login.sms_failed", request=request, actor=None, target=phone, reason="unknown")
        raise sms_codes.CodeInvalid(login_code_failed_message())
    try:
        sms_codes.verify_code(phone, SmsPurpose.LOGIN, code)
    except sms_codes.CodeInvalid:
        audit.record("login.sms_failed", request=request, actor=None, target=phone, reason="code")
        raise sms_codes.CodeInvalid(login_code_failed_message()) from None
    _forget_login_code(session, phone)
    return user


def mark_sms_login(session) -> None:
    session[SMS_LOGIN_SESSION_KEY] = int(time.time())


def may_set_password_without_old(session) -> bool:
    at = session.get(SMS_LOGIN_SESSION_KEY)
    return bool(at) and int(time.time()) - int(at) <= SMS_LOGIN_PASSWORD_SET_SECONDS


# --- passwords --------------------------------------------------------------
def password_recheck_locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("密码错误次数过多，请%(minutes)s分钟后再试。") % {"minutes": minutes}


def check_current_password(user, password: str, *, request=None) -> str:
    """Re-check a logged-in user's password (password change, cancellation).

    Returns "ok", "wrong" or "locked". Wrong answers are counted like failed
    logins (5 in 15 minutes), so a stolen session cannot be used to guess
    the password.
    """
    key = f"pwcheck:fail:{user.pk}"
    limit = settings.AXES_FAILURE_LIMIT
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if ratelimit.count(key, window) >= limit:
        return "locked"
    if user.check_password(password):
        return "ok"
    failures = ratelimit.hit(key, window)
    audit.record("password.check_failed", request=request, actor=user, target=user.username)
    return "locked" if failures >= limit else "wrong"


def change_password(user, new_password: str, *, request=None, via: str = "change") -> None:
    """Set a new password (validated by the form). Other sessions end because
    the session auth hash changes; the view keeps the current one."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    if request is not None and hasattr(request, "session"):
        request.session.pop(SMS_LOGIN_SESSION_KEY, None)
    audit.record("password.changed", request=request, actor=user, target=user.username, via=via)


def reset_uid(user) -> str:
    """An opaque reference to the user for the reset link (no database id in the URL)."""
    return crypto.encrypt(f"{_RESET_UID_PREFIX}{user.pk}")


def user_from_reset_uid(uid: str):
    try:
        value = crypto.decrypt(uid)
    except (InvalidToken, ValueError, TypeError):
        return None
    if not value.startswith(_RESET_UID_PREFIX):
        return None
    pk = value.removeprefix(_RESET_UID_PREFIX)
    if not pk.isdigit():
        return None
    return _active_users().filter(pk=int(pk)).first()


def request_password_reset(login: str, email: str, *, request=None) -> bool:
    """E-mail a one-time reset link if 登录账号 and 电子邮箱 belong to one active account.

    Returns whether a mail was sent; callers must not tell the user (the page
    says the same either way). Raises ``ResetThrottled`` past the hourly limit per IP.
    """
    ip = audit.client_ip(request) or "unknown"
    if ratelimit.hit(f"pwreset:ip:{ip}", 3600) > RESET_REQUESTS_PER_IP_PER_HOUR:
        raise ResetThrottled(_("重置密码请求过于频繁，请一小时后再试。"))
    login, email = (login or "").strip(), (email or "").strip()
    user = (
        _active_users()
        .filter(Q(username__iexact=login) | Q(phone=login), email__iexact=email)
        .exclude(email="")
        .first()
    )
    audit.record("password.reset_requested", request=request, actor=None, target=login[:200], matched=user is not None)
    if user is None or not user.has_usable_password():
        return False
    link = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": reset_uid(user), "token": default_token_generator.make_token(user)},
    )
    context = {
        "user": user,
        "link": link,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "PORTAL": settings.PORTAL,
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    body = render_to_string("registration/password_reset_email.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def reset_password(user, new_password: str, *, request=None) -> None:
    """Set the password from a reset link; the token becomes invalid because the hash changes."""
    change_password(user, new_password, request=request, via="email-link")


# --- cancellation -----------------------------------------------------------
def cancel_refusal(user) -> str:
    """Why this person cannot cancel their account now ("" when they can)."""
    if user.is_reviewer or user.is_staff or user.is_superuser:
        return _("审核人员和管理员账号由部级工作人员管理，不能自行注销。")
    organisation = user.organisation
    if (
        organisation is not None
        and organisation.administrator_id == user.pk
        and _active_users().filter(organisation=organisation).exclude(pk=user.pk).exists()
    ):
        return _("您是单位管理员，请先在成员管理中将管理员身份移交给其他成员，再注销账号。")
    return ""


def cancel_account(user, *, request=None, reason: str = "") -> None:
    """注销: the person can no longer log in; their mobile, 登录账号 and ID number
    are freed so they can register again. The unit and its records stay.
    Raises ``CancelRefused``."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.organisation_id is not None:  # members are added/transferred under this lock too
            Organisation.objects.select_for_update().filter(pk=user.organisation_id).first()
        if user.cancelled_at is not None:
            return
        refusal = cancel_refusal(user)
        if refusal:
            raise CancelRefused(refusal)
        organisation = user.organisation
        old_username = user.username
        user.username = f"cancelled-{secrets.token_hex(8)}"
        user.phone = None
        user.id_number_encrypted = ""
        user.id_number_digest = None
        user.is_active = False
        user.cancelled_at = timezone.now()
        user.set_unusable_password()
        user.save(
            update_fields=[
                "username",
                "phone",
                "id_number_encrypted",
                "id_number_digest",
                "is_active",
                "cancelled_at",
                "password",
            ]
        )
        audit.record(
            "account.cancelled",
            request=request,
            actor=user,
            target=old_username,
            organisation=organisation.name if organisation else "",
            reason=reason[:200],
        )
