"""SPEC §A3: login (password + image captcha, SMS code), lockout, logout,
session keep-alive, passwords (set after SMS login, change, e-mail reset),
profile and account cancellation. Thin: forms validate, services write."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.enums import OrganisationKind, SmsPurpose
from accounts.forms.auth import (
    CancelForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    SmsLoginForm,
    lockout_message,
)
from accounts.forms.common import forget_captcha_solved, handle_send_code
from accounts.services import auth as auth_services
from accounts.services.sms_codes import CodeInvalid
from common import regions
from common.validators import mask_email, mask_phone

SMS_BACKEND_PATH = "accounts.backends.AccountBackend"


# --- helpers ------------------------------------------------------------------
def _safe_url(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _next_url(request) -> str:
    """The ``next`` parameter if it stays on this site, else ""."""
    return _safe_url(request, request.POST.get("next") or request.GET.get("next"))


def _programme(request) -> str:
    value = request.POST.get("programme") or request.GET.get("programme") or ""
    return "nrta" if value == "nrta" else "mct"


def _login_query(request) -> str:
    params = {}
    if next_url := _next_url(request):
        params["next"] = next_url
    if _programme(request) == "nrta":
        params["programme"] = "nrta"
    return urlencode(params)


def _brands() -> dict[str, dict]:
    portal = settings.PORTAL
    return {
        "mct": {
            "key": "mct",
            "authority": _("中华人民共和国文化和旅游部"),
            "authority_en": "MINISTRY OF CULTURE AND TOURISM OF THE PEOPLE'S REPUBLIC OF CHINA",
            "system": _("全国文化市场技术监管与服务平台准入管理系统"),
            "tagline": _("国产网络演出剧（节）目备案 · 进口网络演出剧（节）目内容审查"),
            "support_title": _("平台客服"),
            "phones": portal["MCT_SUPPORT_PHONES"],
        },
        "nrta": {
            "key": "nrta",
            "authority": _("国家广播电视总局"),
            "authority_en": "NATIONAL RADIO AND TELEVISION ADMINISTRATION",
            "system": _("优秀网络视听作品推选活动申报系统"),
            "tagline": _("网络视听节目季度推优 · 机构类与个人类项目申报"),
            "support_title": _("技术支持"),
            "phones": portal["NRTA_SUPPORT_PHONES"],
        },
    }


def _login_context(request, **extra) -> dict:
    programme = _programme(request)
    brands = _brands()
    other = "mct" if programme == "nrta" else "nrta"
    query = _login_query(request)
    context = {
        "brand": brands[programme],
        "support": [brands[programme], brands[other]],
        "programme": programme,
        "next": _next_url(request),
        "login_query": f"?{query}" if query else "",
    }
    context.update(extra)
    return context


def _after_login_url(request) -> str:
    return _next_url(request) or reverse(settings.LOGIN_REDIRECT_URL)


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") in {"fetch", "XMLHttpRequest"} or (
        "application/json" in request.headers.get("Accept", "")
    )


# --- login by password ----------------------------------------------------------
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_after_login_url(request))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None, programme=_programme(request))
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        return redirect(_after_login_url(request))
    status = 429 if form.locked_out else 200
    return render(request, "accounts/login.html", _login_context(request, form=form, tab="password"), status=status)


def lockout_response(request, credentials, *args, **kwargs):
    """django-axes calls this when an account+IP is locked (5 failures in 15 minutes).

    axes 8 calls it as ``(request, original_response, credentials)``; older
    versions as ``(request, credentials)``.
    """
    if isinstance(credentials, HttpResponseBase) or credentials is None:
        credentials = args[0] if args else None
    typed = request.POST.get("username") or (credentials or {}).get("username") or ""
    form = LoginForm(request, initial={"username": typed}, programme=_programme(request))
    context = _login_context(request, form=form, tab="password", lockout=lockout_message())
    return render(request, "accounts/login.html", context, status=429)


# --- login by SMS code ------------------------------------------------------------
@sensitive_post_parameters("sms_code", "captcha_1")
@csrf_protect
@never_cache
def sms_login_view(request):
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_after_login_url(request))
    sent_message, retry_after = "", 0
    if request.method == "POST":
        form = SmsLoginForm(request.POST, request=request)
        if request.POST.get("action") == "send_code":
            result = handle_send_code(request, form, SmsPurpose.LOGIN)
            sent_message = result.message if result.ok else ""
            retry_after = result.retry_after
        elif form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                user = auth_services.user_for_login_code(phone, form.cleaned_data["sms_code"], request=request)
            except CodeInvalid as exc:
                form.add_error("sms_code", exc.message)
            else:
                auth_login(request, user, backend=SMS_BACKEND_PATH)
                forget_captcha_solved(request, phone)
                auth_services.mark_sms_login(request.session)
                query = urlencode({"next": next_url}) if (next_url := _next_url(request)) else ""
                return redirect(reverse("accounts:password_set") + (f"?{query}" if query else ""))
    else:
        form = SmsLoginForm(request=request)
    context = _login_context(request, form=form, tab="sms", sent_message=sent_message, retry_after=retry_after)
    return render(request, "accounts/login_sms.html", context)


# --- logout and session ---------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def logout_view(request):
    if request.method == "POST":
        if request.user.is_authenticated:
            auth_logout(request)  # audited by accounts.signals
            messages.success(request, _("您已安全退出。"))
        return redirect(settings.LOGOUT_REDIRECT_URL)
    if not request.user.is_authenticated:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "accounts/logout.html")


def _session_expires_in(request) -> int:
    now = int(time.time())
    session = request.session
    idle_left = settings.SESSION_IDLE_SECONDS - (now - int(session.get("last_seen", now)))
    absolute_left = settings.SESSION_ABSOLUTE_SECONDS - (now - int(session.get("auth_started", now)))
    return max(0, min(idle_left, absolute_left))


@never_cache
@require_http_methods(["GET", "POST"])
def keepalive_view(request):
    """延长登录: the session middleware has already refreshed ``last_seen``."""
    if not request.user.is_authenticated:
        if _wants_json(request):
            return JsonResponse({"ok": False, "login_url": reverse(settings.LOGIN_URL)}, status=401)
        return redirect(settings.LOGIN_URL)
    if request.method == "GET":  # e.g. ?next= after logging in again
        return redirect(settings.LOGIN_REDIRECT_URL)
    expires_in = _session_expires_in(request)
    if _wants_json(request):
        return JsonResponse({"ok": True, "expires_in": expires_in})
    messages.success(request, _("已延长登录。"))
    return redirect(_safe_url(request, request.META.get("HTTP_REFERER")) or reverse(settings.LOGIN_REDIRECT_URL))


# --- passwords ------------------------------------------------------------------------
@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@login_required
def password_set_view(request):
    """After a login by SMS code: set a new password without the old one (skippable)."""
    next_url = _next_url(request) or reverse(settings.LOGIN_REDIRECT_URL)
    if not auth_services.may_set_password_without_old(request.session):
        return redirect("accounts:password_change")
    form = NewPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        auth_services.change_password(
            request.user, form.cleaned_data["new_password1"], request=request, via="sms-login"
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("新密码已设置，下次可使用新密码登录。"))
        return redirect(next_url)
    return render(request, "accounts/password_set.html", {"form": form, "next": next_url})


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required
def password_change_view(request):
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        auth_services.change_password(request.user, form.cleaned_data["new_password1"], request=request)
        update_session_auth_hash(request, request.user)  # other sessions end, this one stays
        messages.success(request, _("密码已修改，其他设备上的登录已失效。"))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
def password_reset_view(request):
    """For accounts without a mobile: a one-time link to the registered 电子邮箱."""
    if request.method == "GET" and request.GET.get("sent"):
        return render(request, "accounts/password_reset_sent.html")
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            auth_services.request_password_reset(
                form.cleaned_data["username"], form.cleaned_data["email"], request=request
            )
        except auth_services.ResetThrottled as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            return redirect(reverse("accounts:password_reset") + "?sent=1")
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


class _PasswordResetConfirmView(PasswordResetConfirmView):
    """Django's single-use token check (the token moves from the URL to the
    session before the form is shown), with an opaque user reference instead
    of a database id and the password set through the service."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    title = gettext_lazy("设置新密码")

    def get_user(self, uidb64):
        return auth_services.user_from_reset_uid(uidb64)

    def form_valid(self, form):
        auth_services.reset_password(self.user, form.cleaned_data["new_password1"], request=self.request)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("密码已重置，请使用新密码登录。"))
        return HttpResponseRedirect(reverse(settings.LOGIN_URL))


password_reset_confirm_view = _PasswordResetConfirmView.as_view()


# --- profile and cancellation ---------------------------------------------------------
@never_cache
@login_required
def profile_view(request):
    user = request.user
    organisation = user.organisation
    context = {
        "profile_user": user,
        "organisation": organisation,
        "masked_phone": mask_phone(user.phone or ""),
        "masked_email": mask_email(user.email),
        "province_name": regions.name(organisation.province) if organisation and organisation.province else "",
        "is_individual": organisation is not None and organisation.kind == OrganisationKind.INDIVIDUAL,
        "is_enterprise": organisation is not None and organisation.kind == OrganisationKind.ENTERPRISE,
        "is_org_admin": user.is_org_admin,
        "staff_profile": user.staff_profile_or_none,
    }
    return render(request, "accounts/profile.html", context)


@sensitive_post_parameters("password")
@never_cache
@login_required
def cancel_view(request):
    refusal = auth_services.cancel_refusal(request.user)
    form = CancelForm(request.user, request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            auth_services.cancel_account(request.user, request=request, reason=form.cleaned_data["reason"])
        except auth_services.CancelRefused as exc:
            refusal = exc.message
        else:
            auth_logout(request)
            messages.success(request, _("账号已注销。单位的备案和申报记录仍由单位保留。"))
            return redirect(settings.LOGIN_URL)
    return render(request, "accounts/cancel.html", {"form": form, "refusal": refusal})
