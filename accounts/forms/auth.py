"""Forms of SPEC §A3: login by password or SMS code, passwords, cancellation."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services.auth import (
    canonical_login_name,
    check_current_password,
    login_ip_locked_for,
    login_ip_locked_message,
    password_recheck_locked_message,
)
from common.validators import validate_mobile

from .common import (
    PasswordPairMixin,
    SmsCodeRequestMixin,
    confirm_password_field,
    mobile_field,
    portal_captcha_field,
    sms_code_field,
)
from .common import password_field as new_password_field


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("登录失败次数过多，账号已锁定%(minutes)s分钟，请稍后再试或使用验证码登录") % {"minutes": minutes}


class PortalBoundField(BoundField):
    """Adds Bootstrap's ``is-invalid`` to a widget whose field has errors."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.is_hidden:
            base = attrs.get("class") or widget.attrs.get("class", "")
            attrs["class"] = f"{base} is-invalid".strip()
        return attrs


class BootstrapMixin:
    """Bootstrap classes on the widgets (the captcha widget brings its own)."""

    bound_field_class = PortalBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(widget, forms.MultiWidget):
                widget.attrs.setdefault("class", "form-control")


class LoginForm(BootstrapMixin, forms.Form):
    """用户登录: 账号 (mobile or 登录账号) + 密码 + 图形验证码.

    Authentication goes through ``django.contrib.auth.authenticate`` with the
    request, so django-axes counts the failure; a wrong captcha stops before
    that and is not a login failure.
    """

    username = forms.CharField(
        label=gettext_lazy("账号"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "placeholder": gettext_lazy("请输入手机号码"),
                "autocomplete": "username",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": gettext_lazy("请输入手机号码或登录账号。"),
            "max_length": gettext_lazy("账号或密码不正确。"),
        },
    )
    password = forms.CharField(
        label=gettext_lazy("密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(
            attrs={"placeholder": gettext_lazy("请输入密码"), "autocomplete": "current-password"}
        ),
        error_messages={"required": gettext_lazy("请输入密码。")},
    )
    captcha = portal_captcha_field(label=gettext_lazy("验证码"))

    def __init__(self, request, *args, programme: str = "mct", **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user_cache = None
        self.locked_out = False
        if programme == "nrta":  # NRTA accounts are mostly 登录账号
            self.fields["username"].widget.attrs["placeholder"] = gettext_lazy("请输入登录账号或手机号码")

    def clean(self):
        cleaned = super().clean()
        if self._errors:  # a missing field or a wrong captcha: not a login attempt
            return cleaned
        locked_for = login_ip_locked_for(self.request)
        if locked_for:  # this address has tried too many accounts: no password is checked
            self.locked_out = True
            raise ValidationError(login_ip_locked_message(locked_for), code="ip_locked")
        login_name = canonical_login_name(cleaned["username"])
        user = authenticate(self.request, username=login_name, password=cleaned["password"])
        if user is not None:
            self.user_cache = user
            return cleaned
        if getattr(self.request, "axes_locked_out", False):
            self.locked_out = True
            raise ValidationError(lockout_message(), code="locked")
        failures = getattr(self.request, "axes_failures_since_start", 0) or 0
        left = settings.AXES_FAILURE_LIMIT - failures
        message = _("账号或密码不正确。")
        if 0 < left < settings.AXES_FAILURE_LIMIT:
            message = _("账号或密码不正确，再失败%(n)s次账号将被锁定。") % {"n": left}
        self.add_error("password", message)
        return cleaned

    def get_user(self):
        return self.user_cache


class SmsLoginForm(BootstrapMixin, SmsCodeRequestMixin, forms.Form):
    """验证码登录: 手机号 + 图形验证码 + 短信验证码 (purpose "login")."""

    phone = mobile_field(label=gettext_lazy("手机号码"), placeholder=gettext_lazy("请输入手机号码"))
    captcha = portal_captcha_field(label=gettext_lazy("验证码"))
    sms_code = sms_code_field()

    def clean_phone(self) -> str:
        return validate_mobile(self.cleaned_data.get("phone") or "")


class NewPasswordForm(BootstrapMixin, PasswordPairMixin, forms.Form):
    """New password twice, checked by Django's validators against the user."""

    password_field = "new_password1"
    confirm_field = "new_password2"

    new_password1 = new_password_field(label=gettext_lazy("新密码"), placeholder=gettext_lazy("请输入新密码"))
    new_password2 = confirm_password_field(label=gettext_lazy("确认新密码"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        self.check_password_pair(self.user)
        return cleaned


class PasswordChangeForm(NewPasswordForm):
    old_password = forms.CharField(
        label=gettext_lazy("原密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "placeholder": gettext_lazy("请输入原密码")}
        ),
        error_messages={"required": gettext_lazy("请输入原密码。")},
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        result = check_current_password(self.user, old, request=self.request)
        if result == "locked":
            raise ValidationError(password_recheck_locked_message(), code="password_locked")
        if result != "ok":
            raise ValidationError(_("原密码不正确，请重新输入。"), code="password_incorrect")
        return old

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and not self.has_error("new_password1") and self.user.check_password(new):
            self.add_error("new_password1", _("新密码不能与原密码相同。"))
        return cleaned


class PasswordResetRequestForm(BootstrapMixin, forms.Form):
    """For accounts without a mobile: 登录账号 + 电子邮箱 → one-time link by e-mail."""

    username = forms.CharField(
        label=gettext_lazy("登录账号"),
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("请输入登录账号"), "autocomplete": "username"}),
        error_messages={"required": gettext_lazy("请输入登录账号。")},
    )
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"placeholder": gettext_lazy("请输入注册时填写的电子邮箱"), "autocomplete": "email"}
        ),
        error_messages={
            "required": gettext_lazy("请输入电子邮箱。"),
            "invalid": gettext_lazy("请输入正确的电子邮箱地址。"),
        },
    )
    captcha = portal_captcha_field(label=gettext_lazy("验证码"))


class CancelForm(BootstrapMixin, forms.Form):
    """注销账号: the person confirms with their password."""

    reason = forms.CharField(
        label=gettext_lazy("注销原因"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": gettext_lazy("选填，不超过200字")}),
        error_messages={"max_length": gettext_lazy("注销原因不能超过200字。")},
    )
    password = forms.CharField(
        label=gettext_lazy("登录密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "placeholder": gettext_lazy("请输入登录密码以确认")}
        ),
        error_messages={"required": gettext_lazy("请输入登录密码。")},
    )

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        result = check_current_password(self.user, password, request=self.request)
        if result == "locked":
            raise ValidationError(password_recheck_locked_message(), code="password_locked")
        if result != "ok":
            raise ValidationError(_("登录密码不正确。"), code="password_incorrect")
        return password
