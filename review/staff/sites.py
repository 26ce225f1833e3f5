"""The reviewers' admin site at /staff/ (the superuser admin stays at /admin/).

Officials and ministry staff sign in through the portal's own login (SMS
codes, lockout, second factor); this site only checks that the signed-in user
is a reviewer and, when ``accounts.services.staff.staff_needs_otp`` says so,
sends them to verify their second factor first.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.services import staff

from ..engine import rules


def _staff_needs_otp(user) -> bool:
    return bool(staff.staff_needs_otp(user))


class ReviewerAdminSite(admin.AdminSite):
    site_header = _("审核工作台")
    site_title = _("审核工作台")
    index_title = _("审核队列")
    site_url = "/"
    enable_nav_sidebar = False
    index_template = "review/admin/index.html"

    def has_permission(self, request) -> bool:
        return rules.can_use_reviewer_site(request.user)

    def each_context(self, request):
        context = super().each_context(request)
        context["is_reviewer_site"] = True
        return context

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            match = getattr(request, "resolver_match", None)
            if (
                (match is None or match.url_name != "logout")
                and self.has_permission(request)
                and _staff_needs_otp(request.user)
            ):
                target = reverse("accounts:otp_verify") + "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
            return inner(request, *args, **kwargs)

        if not cacheable:
            wrapper = never_cache(wrapper)
        wrapper.admin_site = self
        return wrapper

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Send people to the portal's login; a signed-in non-reviewer gets a clear refusal."""
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse(f"{self.name}:index", current_app=self.name)
        if request.user.is_authenticated and self.has_permission(request):
            return HttpResponseRedirect(next_url)
        if not request.user.is_authenticated:
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": next_url}))
        context = {**self.each_context(request), "title": _("无权访问审核工作台"), **(extra_context or {})}
        request.current_app = self.name
        return TemplateResponse(request, "review/admin/no_permission.html", context, status=403)

    def index(self, request, extra_context=None):
        queues = []
        for model_admin in self._registry.values():
            summary = getattr(model_admin, "queue_summary", None)
            if summary is not None and model_admin.has_module_permission(request):
                queues.append(summary(request))
        context = {"review_queues": queues, **(extra_context or {})}
        return super().index(request, context)


reviewer_site = ReviewerAdminSite(name="staff")


def reviewer_change_url(obj) -> str:
    """Address of an application's review page on the reviewers' site (rows are addressed by public id)."""
    opts = obj._meta
    return reverse(f"{reviewer_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.public_id])
