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
from django.urls import reverse
from django.utils.translation import gettext as _

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
    "captcha_0",
    "captcha_1",
}
STASH_KEY = "stashed_form"
KEEPALIVE_PATHS = ("/accounts/keepalive/",)


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
