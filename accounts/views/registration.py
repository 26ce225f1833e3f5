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


@never_cache
@sensitive_post_parameters(*SECRET_POST)
@require_http_methods(["GET", "POST"])
def register_enterprise_view(request):
    if response := _already_logged_in(request):
        return response
    tab = "enterprise"
    form = EnterpriseRegistrationForm(request.POST or None, request=request)
    if request.method == "POST":
        if request.POST.get("action") == "send_code":
            return _send_code(request, form, tab, SmsPurpose.REGISTER)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.register_enterprise(
                    name=data["name"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    credit_code=data["credit_code"],
                    province=data["province"],
                    password=data["password1"],
                    request=request,
                )
            except services.RegistrationConflict as exc:
                return _conflict(request, form, tab, exc)
            messages.success(
                request, _("注册成功，登录账号为手机号%(phone)s，请使用手机号和密码登录。") % {"phone": user.username}
            )
            return redirect("accounts:login")
    return _page(request, tab, form)


@never_cache
@sensitive_post_parameters(*SECRET_POST)
@require_http_methods(["GET", "POST"])
def register_institution_view(request):
    if response := _already_logged_in(request):
        return response
    tab = "institution"
    form = InstitutionRegistrationForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_institution(
                name=data["name"],
                institution_type=data["institution_type"],
                credit_code=data["credit_code"],
                province=data["province"],
                email=data["email"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                login_account=data["login_account"],
                password=data["password1"],
                request=request,
            )
        except services.RegistrationConflict as exc:
            return _conflict(request, form, tab, exc)
        messages.success(
            request, _("注册成功，登录账号为%(account)s，请使用登录账号和密码登录。") % {"account": user.username}
        )
        return redirect("accounts:login")
    return _page(request, tab, form)


@never_cache
@sensitive_post_parameters(*SECRET_POST, "id_number")
@require_http_methods(["GET", "POST"])
def register_individual_view(request):
    if response := _already_logged_in(request):
        return response
    tab = "individual"
    form = IndividualRegistrationForm(request.POST or None, request=request)
    if request.method == "POST":
        if request.POST.get("action") == "send_code":
            return _send_code(request, form, tab, SmsPurpose.REGISTER)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.register_individual(
                    full_name=data["full_name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    email=data["email"],
                    login_account=data["login_account"],
                    password=data["password1"],
                    request=request,
                )
            except services.RegistrationConflict as exc:
                return _conflict(request, form, tab, exc)
            messages.success(
                request, _("注册成功，登录账号为%(account)s，请使用登录账号和密码登录。") % {"account": user.username}
            )
            return redirect("accounts:login")
    return _page(request, tab, form)
