from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.services.auth import login_ip_locked_for


class IpSprayBackend:
    """First backend: an address locked for password spraying gets no password checked on any login page.

    (The portal's login form says so itself before authenticating; this covers
    the others, e.g. /admin/login/.) Raising PermissionDenied stops
    ``authenticate`` at once. No ``get_user``: it never logs anyone in (and
    ``Client.force_login`` picks the first backend that has one).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and password is not None and login_ip_locked_for(request):
            raise PermissionDenied
        return None


class AccountBackend(ModelBackend):
    """Log in with a mobile number or a 登录账号 (case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        login = username.strip()
        user = User.objects.filter(Q(username__iexact=login) | Q(phone=login)).first()
        if user is None:
            User().set_password(password)  # same work for unknown accounts (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and user.cancelled_at is None

    def get_user(self, user_id):
        """The signed-in user with what every page asks of it (its staff profile, its unit) in one query."""
        User = get_user_model()
        try:
            user = User._default_manager.select_related("staff_profile", "organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
