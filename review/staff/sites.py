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
from django.contrib.admin import widgets as admin_widgets
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.services import staff

from ..engine import rules
from . import titles

# Links shown on the index page by apps above review (e.g. supervision's statistics): callables taking the
# request and returning a list of {"url", "text"} the user may open (review imports none of them).
INDEX_LINKS: list = []


def register_index_link(func):
    INDEX_LINKS.append(func)
    return func


def _staff_needs_otp(user) -> bool:
    return bool(staff.staff_needs_otp(user))


class LabelledSplitDateTime(admin_widgets.AdminSplitDateTime):
    """Django's date + time pair, each box named (日期 / 时间) inside the field's fieldset: Django's own
    prints "日期：" as bare text, so neither box has a label (axe-core: label, critical)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(
            context["widget"]["subwidgets"], (context["date_label"], context["time_label"]), strict=True
        ):
            subwidget["attrs"].setdefault("aria-label", str(label).rstrip(":：").strip())
        return context


class ReviewerAdminSite(admin.AdminSite):
    site_header = _("审核工作台")
    site_title = _("审核工作台")
    index_title = _("审核队列")
    site_url = "/"
    enable_nav_sidebar = False
    index_template = "review/admin/index.html"

    def has_permission(self, request) -> bool:
        return rules.can_use_reviewer_site(request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        for model_admin in self._registry.values():
            override = model_admin.formfield_overrides.get(models.DateTimeField, {})
            if override.get("widget") is admin_widgets.AdminSplitDateTime:
                override["widget"] = LabelledSplitDateTime

    def each_context(self, request):
        context = super().each_context(request)
        context["is_reviewer_site"] = True
        return context

    def get_app_list(self, request, app_label=None):
        """Built when a page shows it (the index pages): ``each_context`` asks for it on every page, for
        a nav sidebar this site does not have, and it costs every registered admin's permission checks
        (issue 11: a few ms of each queue and detail page)."""
        return SimpleLazyObject(lambda: admin.AdminSite.get_app_list(self, request, app_label))

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
            return titles.localise(inner(request, *args, **kwargs))

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
        links = [link for func in INDEX_LINKS for link in func(request)]
        context = {"review_queues": queues, "staff_links": links, **(extra_context or {})}
        return super().index(request, context)


reviewer_site = ReviewerAdminSite(name="staff")


def reviewer_change_url(obj) -> str:
    """Address of an application's review page on the reviewers' site (rows are addressed by public id)."""
    opts = obj._meta
    return reverse(f"{reviewer_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.public_id])
