"""A1/A2: 经营单位用户注册, 机构注册, 个人注册."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.enums import SmsPurpose
from accounts.forms.common import handle_send_code
from accounts.forms.registration import (
    EnterpriseRegistrationForm,
    IndividualRegistrationForm,
    InstitutionRegistrationForm,
)
from accounts.services import registration as services

SECRET_POST = ("password1", "password2", "sms_code", "captcha_1")


def _already_logged_in(request):
    if request.user.is_authenticated:
        messages.info(request, _("您已登录，如需注册新账号请先退出。"))
        return redirect("home")
    return None


TEMPLATES = {
    "enterprise": "accounts/register_enterprise.html",
    "institution": "accounts/register_institution.html",
    "individual": "accounts/register_individual.html",
}


def _page(request, tab, form, **extra):
    return render(request, TEMPLATES[tab], {"form": form, "tab": tab, **extra})


def _send_code(request, form, tab, purpose):
    result = handle_send_code(request, form, purpose)
    if result.ok:
        messages.success(request, result.message)
    return _page(request, tab, form, code_sent=result.ok, retry_after=result.retry_after)


def _conflict(request, form, tab, exc):
    form.add_error(None, exc.message)
    return _page(request, tab, form)


def _register(request, tab, form_class, register, fields, success_message, *, sms: bool):
    """The registration flow shared by the three pages: 获取验证码 (when the page has an
    SMS code), validation, the service call with the form's fields, the success message."""
    if response := _already_logged_in(request):
        return response
    form = form_class(request.POST or None, request=request)
    if request.method == "POST":
        if sms and request.POST.get("action") == "send_code":
            return _send_code(request, form, tab, SmsPurpose.REGISTER)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = register(**{name: data[name] for name in fields}, password=data["password1"], request=request)
            except services.RegistrationConflict as exc:
                return _conflict(request, form, tab, exc)
            messages.success(request, success_message % {"account": user.username})
            return redirect("accounts:login")
    return _page(request, tab, form)


@never_cache
@sensitive_post_parameters(*SECRET_POST)
@require_http_methods(["GET", "POST"])
def register_enterprise_view(request):
    return _register(
        request,
        "enterprise",
        EnterpriseRegistrationForm,
        services.register_enterprise,
        ("name", "full_name", "phone", "credit_code", "province"),
        _("注册成功，登录账号为手机号%(account)s，请使用手机号和密码登录。"),
        sms=True,
    )


@never_cache
@sensitive_post_parameters(*SECRET_POST)
@require_http_methods(["GET", "POST"])
def register_institution_view(request):
    return _register(
        request,
        "institution",
        InstitutionRegistrationForm,
        services.register_institution,
        (
            "name",
            "institution_type",
            "credit_code",
            "province",
            "email",
            "contact_name",
            "contact_phone",
            "login_account",
        ),
        _("注册成功，登录账号为%(account)s，请使用登录账号和密码登录。"),
        sms=False,
    )


@never_cache
@sensitive_post_parameters(*SECRET_POST, "id_number")
@require_http_methods(["GET", "POST"])
def register_individual_view(request):
    return _register(
        request,
        "individual",
        IndividualRegistrationForm,
        services.register_individual,
        ("full_name", "id_number", "phone", "email", "login_account"),
        _("注册成功，登录账号为%(account)s，请使用登录账号和密码登录。"),
        sms=True,
    )
