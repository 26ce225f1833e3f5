import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit
from .services.auth import count_login_failure


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session["auth_started"] = now
        request.session["last_seen"] = now
    audit.record("login.success", request=request, actor=user, target=user.username)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the account name: never the password.
    audit.record("login.failed", request=request, actor=None, target=str(credentials.get("username", ""))[:200])
    if request is not None:
        count_login_failure(request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("logout", request=request, actor=user, target=user.username)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit.record("login.locked", request=request, actor=None, target=str(username or "")[:200])
