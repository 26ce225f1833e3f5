"""Session lifetime: 30 minutes idle, 12 hours absolute.

A form posted after expiry is not lost: its non-secret fields are kept in the
new anonymous session, the user logs in again and comes back to the form,
which is filled in again (``templates/includes/restore_form.html``).
(Logout everywhere on password change is Django's session auth hash.)
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts.services.staff import staff_needs_otp

SECRET_FIELDS = {
    "csrfmiddlewaretoken",
    "password",
    "password1",
    "password2",
    "old_password",
    "new_password1",
    "new_password2",
    "sms_code",
    "old_code",
    "new_code",
    "code",
    "enrolment_code",
    "captcha_0",
    "captcha_1",
}
STASH_KEY = "stashed_form"
KEEPALIVE_PATHS = ("/accounts/keepalive/",)
SESSION_TOUCH_SECONDS = 60  # the idle timeout is measured to the minute


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("auth_started", now)
            last = session.get("last_seen", now)
            if now - last > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                return self._expire(request)
            # Written at most once a minute (and by 延长登录): a session UPDATE on every page would cost
            # three queries and make one user's parallel requests queue on the same row.
            if now - last >= SESSION_TOUCH_SECONDS or "last_seen" not in session or request.path in KEEPALIVE_PATHS:
                session["last_seen"] = now
        return self.get_response(request)

    def _expire(self, request):
        stash = None
        if request.method == "POST":
            stash = {
                "user": request.user.pk,  # refilled only for the same person
                "path": request.path,
                "data": {k: request.POST.getlist(k) for k in request.POST if k not in SECRET_FIELDS},
            }
        logout(request)
        if stash:
            request.session[STASH_KEY] = stash
        messages.warning(request, _("您长时间未操作，登录已过期，请重新登录。"))
        target = request.path if request.method == "POST" else request.get_full_path()
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': target})}")


class StaffSecondFactorMiddleware:
    """The ministry's second factor guards every request of a session that owes it.

    When ``accounts.services.staff.staff_needs_otp`` says so (ministry staff with
    ``STAFF_OTP_REQUIRED_FOR_MINISTRY`` on, not yet verified in this session),
    every request is sent to 动态口令验证 (which leads to the set-up page when no
    device is bound yet), whatever it asks for: the reviewers' site, certificate
    PDFs and the zip of all certificates, uploaded files, messages, pages. Only
    the OTP pages themselves, logout, static files and the health probe pass.
    """

    EXEMPT_NAMES = ("accounts:otp_verify", "accounts:otp_setup", "accounts:otp_enrol", "accounts:logout", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths: frozenset[str] | None = None

    def _exempt(self, request) -> bool:
        if self._exempt_paths is None:
            paths = {reverse(name) for name in self.EXEMPT_NAMES}
            try:
                paths.add(reverse("staff:logout"))
            except NoReverseMatch:  # pragma: no cover - the reviewers' site is always installed
                pass
            self._exempt_paths = frozenset(paths)
        path = request.path_info
        return path in self._exempt_paths or bool(settings.STATIC_URL and path.startswith(settings.STATIC_URL))

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._exempt(request) and staff_needs_otp(user):
            target = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
            verify = reverse("accounts:otp_verify")
            return redirect(f"{verify}?{urlencode({'next': target})}")
        return self.get_response(request)
