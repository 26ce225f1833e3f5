"""Pieces shared by the account forms: image captcha, SMS code request, password pair.

Sending an SMS code ("获取验证码") works without JavaScript and better with it:

* Without JavaScript the page's form has a second submit button
  ``name="action" value="send_code"`` (with ``formnovalidate``). The view then
  calls :func:`handle_send_code`, which validates **only** the phone and the
  captcha fields of that form, sends the code and lets the view re-render the
  same bound form (typed values kept, passwords never re-rendered).
* With JavaScript (``static/js/sms.js``) the button posts the phone, the
  purpose and the captcha to ``accounts:sms_send`` (:class:`SmsSendForm`),
  which answers JSON, and counts down 60 seconds.

django-simple-captcha consumes a captcha when it is checked, so once a captcha
has been solved for a phone the session remembers it for ten minutes
(:func:`mark_captcha_solved`); a form built with :class:`SmsCodeRequestMixin`
drops its captcha field when the phone it was posted with carries that mark, so
the final submit does not ask again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.enums import SmsPurpose
from accounts.services import sms_codes
from accounts.services.auth import note_login_code_requested
from accounts.services.sms_codes import SmsThrottled
from accounts.sms import SmsDeliveryError
from common.validators import mask_phone, validate_mobile

CAPTCHA_OK_SESSION_KEY = "sms_captcha_ok"
CAPTCHA_OK_SECONDS = 600
# For these purposes the answer never reveals whether the phone has an account.
SILENT_PURPOSES = frozenset({SmsPurpose.LOGIN.value, SmsPurpose.RESET.value})
# These purposes need a logged-in user.
AUTHENTICATED_PURPOSES = frozenset({SmsPurpose.CHANGE_PHONE.value, SmsPurpose.ADD_MEMBER.value})


# --- captcha ---------------------------------------------------------------
class PortalCaptchaInput(CaptchaTextInput):
    """The captcha answer box with the image beside it (Bootstrap input group)."""

    template_name = "accounts/register_captcha_widget.html"

    def __init__(self, attrs=None, **kwargs):
        base = {
            "class": "form-control",
            "placeholder": gettext_lazy("请输入验证码"),
            "autocomplete": "off",
            "autocapitalize": "off",
            "spellcheck": "false",
            "maxlength": "8",
        }
        base.update(attrs or {})
        super().__init__(attrs=base, **kwargs)

    def get_context(self, name, value, attrs):
        """The hidden key input keeps only its id: placeholder, maxlength, required, autocomplete and
        aria-* (which Django and crispy give every subwidget) are not allowed on ``type=hidden``."""
        context = super().get_context(name, value, attrs)
        for subwidget in context["widget"]["subwidgets"]:
            if subwidget.get("type") == "hidden":
                subwidget["attrs"] = {key: val for key, val in subwidget["attrs"].items() if key == "id"}
        return context


def portal_captcha_field(**kwargs) -> CaptchaField:
    """A django-simple-captcha field with Chinese messages."""
    return CaptchaField(
        label=kwargs.pop("label", gettext_lazy("图形验证码")),
        widget=PortalCaptchaInput(),
        error_messages={
            "required": gettext_lazy("请输入图形验证码。"),
            "incomplete": gettext_lazy("请输入图形验证码。"),
            "invalid": gettext_lazy("图形验证码不正确，请重新输入。"),
        },
        **kwargs,
    )


def _solved_map(request) -> dict[str, float]:
    session = getattr(request, "session", None)
    if session is None:
        return {}
    now = time.time()
    return {p: t for p, t in (session.get(CAPTCHA_OK_SESSION_KEY) or {}).items() if t > now}


def mark_captcha_solved(request, phone: str) -> None:
    """Remember for ten minutes that this session solved a captcha for ``phone``."""
    if getattr(request, "session", None) is None or not phone:
        return
    solved = _solved_map(request)
    solved[phone] = time.time() + CAPTCHA_OK_SECONDS
    request.session[CAPTCHA_OK_SESSION_KEY] = solved


def captcha_solved(request, *phones: str | None) -> bool:
    """True when this session solved a captcha for one of ``phones`` in the last ten minutes."""
    solved = _solved_map(request)
    return any(p and p in solved for p in phones)


def forget_captcha_solved(request, *phones: str | None) -> None:
    if getattr(request, "session", None) is None:
        return
    solved = _solved_map(request)
    for phone in phones:
        solved.pop(phone or "", None)
    request.session[CAPTCHA_OK_SESSION_KEY] = solved


# --- common fields ---------------------------------------------------------
def mobile_field(label=None, **kwargs) -> forms.CharField:
    attrs = {
        "inputmode": "numeric",
        "autocomplete": "tel",
        "maxlength": "11",
        "placeholder": kwargs.pop("placeholder", gettext_lazy("请输入手机号")),
    }
    return forms.CharField(
        label=label or gettext_lazy("手机号"),
        max_length=11,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "required": gettext_lazy("请输入手机号。"),
            "max_length": gettext_lazy("请输入正确的11位手机号码。"),
        },
        **kwargs,
    )


def sms_code_field(label=None, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label or gettext_lazy("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": "6",
                "placeholder": gettext_lazy("请输入短信验证码"),
            }
        ),
        error_messages={
            "required": gettext_lazy("请输入短信验证码。"),
            "min_length": gettext_lazy("短信验证码为6位数字。"),
            "max_length": gettext_lazy("短信验证码为6位数字。"),
        },
        **kwargs,
    )


def agreement_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=gettext_lazy("阅读并接受协议"),
        error_messages={"required": gettext_lazy("请阅读并接受《用户须知》和《隐私保护》。")},
    )


def phone_in_use(phone: str) -> bool:
    """A phone that is some account's mobile or login name."""
    User = get_user_model()
    return User.objects.filter(Q(phone=phone) | Q(username__iexact=phone)).exists()


def phone_has_active_account(phone: str) -> bool:
    User = get_user_model()
    return User.objects.filter(phone=phone, is_active=True, cancelled_at__isnull=True).exists()


def check_phone_for_purpose(phone: str, purpose: str, user=None) -> None:
    """Purpose-specific rule for the phone a code goes to; raises ``ValidationError``.

    register / add-member: the phone must be free; change-phone: the user's own
    phone or a free one; login / reset: no rule here (never reveal whether the
    phone is registered).
    """
    if purpose == SmsPurpose.REGISTER:
        if phone_in_use(phone):
            raise ValidationError(_("该手机号已注册，请直接登录。"), code="taken")
    elif purpose == SmsPurpose.ADD_MEMBER:
        from accounts.services.members import phone_free_for_member

        if not phone_free_for_member(phone):
            raise ValidationError(_("该手机号已被其他账号使用。"), code="taken")
    elif purpose == SmsPurpose.CHANGE_PHONE:
        own = getattr(user, "phone", None)
        if phone != own and phone_in_use(phone):
            raise ValidationError(_("该手机号已被其他账号使用。"), code="taken")


class PasswordPairMixin:
    """``password1`` + ``password2``; checked by Django's validators against the future user."""

    password_field = "password1"
    confirm_field = "password2"

    def check_password_pair(self, user) -> None:
        password = self.cleaned_data.get(self.password_field)
        confirm = self.cleaned_data.get(self.confirm_field)
        if password:
            try:
                validate_password(password, user=user)
            except ValidationError as exc:
                self.add_error(self.password_field, exc)
                return
        if password and confirm and password != confirm:
            self.add_error(self.confirm_field, _("两次输入的密码不一致。"))


def password_field(label=None, placeholder=None) -> forms.CharField:
    return forms.CharField(
        label=label or gettext_lazy("密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "placeholder": placeholder or gettext_lazy("请输入密码")}
        ),
        help_text=gettext_lazy("密码必须是数字、大写字母、小写字母，长度10-20"),
        error_messages={"required": gettext_lazy("请输入密码。")},
    )


def confirm_password_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or gettext_lazy("确认密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "placeholder": gettext_lazy("请再次输入密码")}
        ),
        error_messages={"required": gettext_lazy("请再次输入密码。")},
    )


# --- SMS code request -------------------------------------------------------
class SmsCodeRequestMixin:
    """For a form with a phone field, a captcha field and an SMS code field.

    Class attributes name the fields (override when yours differ):
    ``sms_phone_field`` ("phone"), ``captcha_field_name`` ("captcha"),
    ``sms_code_field`` ("sms_code"). Build the form with ``request=request``.

    When the posted phone carries the session's "captcha solved" mark the
    captcha field is removed and ``captcha_verified`` is True; templates show
    "图形验证码已验证" instead of the image.
    """

    sms_phone_field = "phone"
    captcha_field_name = "captcha"
    sms_code_field = "sms_code"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.captcha_verified = False
        if self.is_bound and self.captcha_field_name in self.fields and captcha_solved(request, *self.captcha_phones()):
            self.drop_captcha()

    def posted_phone(self) -> str:
        return (self[self.sms_phone_field].data or "").strip() if self.sms_phone_field in self.fields else ""

    def captcha_phones(self) -> list[str]:
        """Phones whose "captcha solved" mark lets this form skip its captcha."""
        return [self.posted_phone()]

    def drop_captcha(self) -> None:
        self.fields.pop(self.captcha_field_name, None)
        self.captcha_verified = True

    def verify_sms_code(self, phone: str, purpose: str, *, field_name: str | None = None, consume: bool = True) -> bool:
        """Check the typed code for ``phone``/``purpose``; put the message next to the field."""
        name = field_name or self.sms_code_field
        code = self.cleaned_data.get(name)
        if not code or not phone:
            return False
        try:
            sms_codes.verify_code(phone, purpose, code, consume=consume)
        except sms_codes.CodeInvalid as exc:
            self.add_error(name, exc.message)
            return False
        return True


@dataclass
class SendCodeResult:
    ok: bool
    message: str = ""
    status: int = 200
    errors: dict[str, list[str]] = field(default_factory=dict)
    retry_after: int = 0

    def as_json(self) -> dict:
        data = {"ok": self.ok, "message": self.message}
        if self.errors:
            data["errors"] = self.errors
        if self.retry_after:
            data["retry_after"] = self.retry_after
        return data


def _clean_one(form, name: str):
    """Clean a single field (its own ``clean_<name>`` included) into ``form.cleaned_data``."""
    bound = form[name]
    value = bound.data
    try:
        value = form.fields[name].clean(value)
        form.cleaned_data[name] = value
        hook = getattr(form, f"clean_{name}", None)
        if hook is not None:
            value = hook()
            form.cleaned_data[name] = value
        return value
    except ValidationError as exc:
        form.add_error(name, exc)
        return None


def handle_send_code(
    request, form, purpose: str, *, phone: str | None = None, code_field: str | None = None
) -> SendCodeResult:
    """Validate only the phone and captcha of a bound ``form`` and send a code for ``purpose``.

    ``form`` names its fields with the :class:`SmsCodeRequestMixin` attributes
    (``sms_phone_field``, ``captcha_field_name``, ``sms_code_field``; defaults
    "phone", "captcha", "sms_code"). Its ``clean_<phone field>`` applies the
    form's own phone rule (e.g. "not yet registered"). Pass ``phone`` to send
    to a fixed number instead of the phone field (e.g. the user's old mobile)
    and ``code_field`` to put a sending error next to another code field.

    Afterwards the form's errors hold only the phone/captcha/code messages, so
    the view re-renders the same bound form: typed values stay, passwords are
    never re-rendered. On success the captcha field is dropped (the session
    remembers it was solved for that phone for ten minutes).

    For purposes "login" and "reset" the answer is the same whether or not the
    phone has an account; a code is sent only to an active account.

    Returns a :class:`SendCodeResult` (``ok``, ``message``, ``status`` 200 /
    400 / 429 / 503, ``errors`` by field name) that the JSON endpoint returns
    as it is and an HTML view turns into a message.

    Usage in a view (the login helper does the same with purpose "login")::

        form = MyForm(request.POST, request=request)
        if request.POST.get("action") == "send_code":
            result = handle_send_code(request, form, SmsPurpose.LOGIN)
            if result.ok:
                messages.success(request, result.message)
            return render(request, "...", {"form": form})
    """
    phone_name = getattr(form, "sms_phone_field", "phone")
    captcha_name = getattr(form, "captcha_field_name", "captcha")
    code_name = code_field or getattr(form, "sms_code_field", "sms_code")
    form.cleaned_data = {}
    form._errors = ErrorDict()

    if phone is None:
        phone = _clean_one(form, phone_name)
    captcha_phones = form.captcha_phones() if hasattr(form, "captcha_phones") else [phone]
    if phone and captcha_solved(request, phone, *captcha_phones):
        if captcha_name in form.fields:
            form.fields.pop(captcha_name)
            form.captcha_verified = True
    elif captcha_name in form.fields:
        _clean_one(form, captcha_name)
    elif not getattr(form, "captcha_verified", False):
        form.add_error(None, _("请先输入图形验证码。"))

    if form._errors:
        return SendCodeResult(
            ok=False,
            message=_("请修改以下问题后再获取验证码。"),
            status=400,
            errors={k: [str(m) for m in v] for k, v in form._errors.items()},
        )

    mark_captcha_solved(request, phone)
    if captcha_name in form.fields:
        form.fields.pop(captcha_name)
    form.captcha_verified = True

    ip = audit.client_ip(request)
    silent = purpose in SILENT_PURPOSES
    try:
        if silent and not phone_has_active_account(phone):
            # Same throttle as a real send, so the answer reveals nothing.
            sms_codes._check_throttle(phone, ip)
            audit.record("sms.suppressed", request=request, target=mask_phone(phone), purpose=purpose)
        else:
            sms_codes.issue_code(phone, purpose, ip=ip)
            audit.record("sms.sent", request=request, target=mask_phone(phone), purpose=purpose)
    except SmsThrottled as exc:
        if code_name in form.fields:
            form.add_error(code_name, exc.message)
        return SendCodeResult(
            ok=False, message=exc.message, status=429, retry_after=exc.retry_after, errors={code_name: [exc.message]}
        )
    except SmsDeliveryError:
        message = _("短信发送失败，请稍后再试。")
        if code_name in form.fields:
            form.add_error(code_name, message)
        return SendCodeResult(ok=False, message=message, status=503, errors={code_name: [message]})

    if purpose == SmsPurpose.LOGIN and getattr(request, "session", None) is not None:
        note_login_code_requested(request.session, phone)
    if silent:
        message = _("如该手机号已注册，验证码已发送，5分钟内有效。")
    else:
        message = _("验证码已发送，5分钟内有效。")
    return SendCodeResult(ok=True, message=message, retry_after=60)


class SmsSendForm(SmsCodeRequestMixin, forms.Form):
    """Input of the JSON endpoint ``accounts:sms_send`` (static/js/sms.js).

    ``target=old`` with purpose "change-phone" sends to the user's current mobile.
    """

    purpose = forms.ChoiceField(
        choices=SmsPurpose.choices,
        error_messages={
            "required": gettext_lazy("缺少验证码用途。"),
            "invalid_choice": gettext_lazy("验证码用途不正确。"),
        },
    )
    phone = mobile_field(required=False)
    target = forms.CharField(required=False)
    captcha = portal_captcha_field()

    @property
    def purpose_value(self) -> str:
        return (self.data.get("purpose") or "").strip()

    @property
    def user(self):
        return getattr(self.request, "user", None)

    def sends_to_own_phone(self) -> bool:
        return self.purpose_value == SmsPurpose.CHANGE_PHONE and self.data.get("target") == "old"

    def captcha_phones(self) -> list[str]:
        phones = [self.posted_phone()]
        if self.purpose_value == SmsPurpose.CHANGE_PHONE and self.user is not None and self.user.is_authenticated:
            phones.append(self.user.phone or "")
        return phones

    def clean_phone(self) -> str:
        if self.sends_to_own_phone():
            return self.user.phone or ""
        if not self.cleaned_data.get("phone"):
            raise ValidationError(_("请输入手机号。"), code="required")
        phone = validate_mobile(self.cleaned_data["phone"])
        purpose = self.purpose_value
        if purpose in SmsPurpose.values:
            check_phone_for_purpose(phone, purpose, self.user)
        return phone
