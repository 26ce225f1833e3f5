"""Registration forms: 经营单位用户注册 (MCT), 机构注册 and 个人注册 (NRTA)."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import crypto
from accounts.enums import InstitutionType, OrganisationKind, SmsPurpose
from accounts.models import Organisation
from common import regions
from common.validators import (
    MOBILE_RE,
    normalise_credit_code,
    validate_credit_code,
    validate_login_account,
    validate_mobile,
    validate_resident_id,
)

from .common import (
    PasswordPairMixin,
    SmsCodeRequestMixin,
    agreement_field,
    check_phone_for_purpose,
    confirm_password_field,
    mobile_field,
    password_field,
    portal_captcha_field,
    sms_code_field,
)

User = get_user_model()

# Landline: area code 0xx or 0xxx, optional hyphen, 7–8 digits, optional extension (010-86091625).
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def _text(label, required_message, *, max_length, placeholder=None, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.TextInput(attrs={"placeholder": placeholder or label}),
        error_messages={
            "required": required_message,
            "max_length": gettext_lazy("不能超过%(limit_value)d个字符（当前%(show_value)d个）。"),
        },
        **kwargs,
    )


def _credit_code_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("统一社会信用代码"),
        widget=forms.TextInput(
            attrs={
                "placeholder": gettext_lazy("请输入统一社会信用代码"),
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": gettext_lazy("请输入统一社会信用代码。")},
    )


def _email_field() -> forms.EmailField:
    return forms.EmailField(
        label=gettext_lazy("电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"placeholder": gettext_lazy("请输入电子邮箱"), "autocomplete": "email"}),
        error_messages={
            "required": gettext_lazy("请输入电子邮箱。"),
            "invalid": gettext_lazy("请输入正确的电子邮箱地址。"),
        },
    )


def _login_account_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("登录账号"),
        widget=forms.TextInput(
            attrs={
                "placeholder": gettext_lazy("请输入登录账号"),
                "autocomplete": "username",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
        help_text=gettext_lazy("账号必须是数字或大写字母或小写字母组成，长度4-30，不能是11位数字"),
        error_messages={"required": gettext_lazy("请输入登录账号。")},
    )


def credit_code_taken(code: str) -> bool:
    return Organisation.objects.filter(credit_code=code).exists()


def login_account_taken(account: str) -> bool:
    return User.objects.filter(Q(username__iexact=account) | Q(phone=account)).exists()


class ProvinceFromCreditCodeMixin:
    """The unit's province comes from characters 3–8 of its credit code.

    When the code does not determine it (``100000``, 新疆 vs 新疆生产建设兵团, an
    unknown division) a 所属省份 select appears, limited to the candidates when
    there are several, and is required only then.
    """

    credit_code_field = "credit_code"

    def setup_province(self) -> None:
        self.show_province = False
        field = self.fields["province"]
        if not self.is_bound:
            return
        raw = normalise_credit_code(self[self.credit_code_field].data or "")
        try:
            code = validate_credit_code(raw)
        except ValidationError:
            return
        candidates = regions.candidate_provinces(code)
        if len(candidates) == 1:
            return
        self.show_province = True
        field.required = True
        field.error_messages["required"] = _("该统一社会信用代码无法确定所属省份，请选择所属省份。")
        if candidates:
            field.choices = [("", _("请选择所属省份"))] + [(c, regions.name(c)) for c in candidates]

    def resolve_province(self) -> None:
        code = self.cleaned_data.get(self.credit_code_field)
        if not code or self.has_error("province"):
            return
        candidates = regions.candidate_provinces(code)
        if len(candidates) == 1:
            self.cleaned_data["province"] = candidates[0]
            return
        chosen = self.cleaned_data.get("province")
        if not chosen:
            self.add_error("province", _("该统一社会信用代码无法确定所属省份，请选择所属省份。"))
        elif candidates and chosen not in candidates:
            self.add_error("province", _("所选省份与统一社会信用代码不符。"))


def _province_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=gettext_lazy("所属省份"),
        required=False,
        choices=[("", gettext_lazy("请选择所属省份"))] + list(regions.REGION_CHOICES),
        help_text=gettext_lazy("所属省份决定由哪个省级部门审核本单位的申请。"),
        error_messages={"invalid_choice": gettext_lazy("请从列表中选择所属省份。")},
    )


class CreditCodeMixin:
    def clean_credit_code(self) -> str:
        code = validate_credit_code(self.cleaned_data.get("credit_code", ""))
        if credit_code_taken(code):
            raise ValidationError(_("该统一社会信用代码已注册。"), code="taken")
        return code


class LoginAccountMixin:
    def clean_login_account(self) -> str:
        account = validate_login_account(self.cleaned_data.get("login_account", ""))
        if login_account_taken(account):
            raise ValidationError(_("该登录账号已被使用，请换一个。"), code="taken")
        return account


class EnterpriseRegistrationForm(
    SmsCodeRequestMixin, PasswordPairMixin, ProvinceFromCreditCodeMixin, CreditCodeMixin, forms.Form
):
    """经营单位用户注册; the phone becomes the login name."""

    name = _text(
        gettext_lazy("企业名称"),
        gettext_lazy("请输入企业名称。"),
        max_length=200,
        placeholder=gettext_lazy("请输入企业名称"),
    )
    full_name = _text(
        gettext_lazy("登录人姓名"),
        gettext_lazy("请输入登录人姓名。"),
        max_length=50,
        placeholder=gettext_lazy("请输入登录人姓名"),
    )
    phone = mobile_field(
        gettext_lazy("登录人手机号"),
        placeholder=gettext_lazy("请输入登录人手机号"),
        help_text=gettext_lazy("建议使用经营单位法定代表人手机号"),
    )
    credit_code = _credit_code_field()
    province = _province_field()
    captcha = portal_captcha_field()
    sms_code = sms_code_field()
    password1 = password_field(gettext_lazy("密码"))
    password2 = confirm_password_field(gettext_lazy("确认密码"))
    agree = agreement_field()

    sms_purpose = SmsPurpose.REGISTER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_province()

    def clean_phone(self) -> str:
        phone = validate_mobile(self.cleaned_data.get("phone", ""))
        check_phone_for_purpose(phone, SmsPurpose.REGISTER)
        return phone

    def clean(self):
        cleaned = super().clean()
        self.resolve_province()
        phone = cleaned.get("phone")
        self.check_password_pair(User(username=phone or "", phone=phone, full_name=cleaned.get("full_name", "")))
        if phone:
            # Wrong tries count even while other fields are wrong; the code is
            # used up only when everything else is right.
            if self.verify_sms_code(phone, SmsPurpose.REGISTER, consume=False) and not self.errors:
                self.verify_sms_code(phone, SmsPurpose.REGISTER, consume=True)
        return cleaned


class InstitutionRegistrationForm(
    PasswordPairMixin, ProvinceFromCreditCodeMixin, CreditCodeMixin, LoginAccountMixin, forms.Form
):
    """机构注册 (NRTA); the login name is the chosen 登录账号."""

    name = _text(
        gettext_lazy("机构名称"),
        gettext_lazy("请输入机构名称。"),
        max_length=200,
        placeholder=gettext_lazy("请填写未注册的机构名称"),
    )
    institution_type = forms.ChoiceField(
        label=gettext_lazy("机构类型"),
        choices=InstitutionType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择机构类型。"),
            "invalid_choice": gettext_lazy("请选择机构类型。"),
        },
    )
    credit_code = _credit_code_field()
    province = _province_field()
    email = _email_field()
    contact_name = _text(
        gettext_lazy("联系人"),
        gettext_lazy("请输入联系人。"),
        max_length=50,
        placeholder=gettext_lazy("请输入联系人姓名"),
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("手机号或固定电话，如010-86091625"), "autocomplete": "tel"}
        ),
        error_messages={"required": gettext_lazy("请输入联系电话。")},
    )
    login_account = _login_account_field()
    password1 = password_field(gettext_lazy("登录密码"), placeholder=gettext_lazy("请输入登录密码"))
    password2 = confirm_password_field(gettext_lazy("确认密码"))
    captcha = portal_captcha_field()
    agree = agreement_field()

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.setup_province()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(kind=OrganisationKind.INSTITUTION, name__iexact=name).exists():
            raise ValidationError(_("该机构名称已注册。"), code="taken")
        return name

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"].strip().replace(" ", "").replace("－", "-")
        if not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
            raise ValidationError(_("请输入正确的联系电话（手机号或固定电话，如010-86091625）。"), code="phone")
        return value

    def clean(self):
        cleaned = super().clean()
        self.resolve_province()
        self.check_password_pair(
            User(
                username=cleaned.get("login_account") or "",
                email=cleaned.get("email", ""),
                full_name=cleaned.get("contact_name", ""),
            )
        )
        return cleaned


class IndividualRegistrationForm(SmsCodeRequestMixin, PasswordPairMixin, LoginAccountMixin, forms.Form):
    """个人注册 (NRTA). The resident ID number is personal information (PIPL):
    collected with a separate consent, stored encrypted, shown masked."""

    full_name = _text(
        gettext_lazy("姓名"), gettext_lazy("请输入姓名。"), max_length=50, placeholder=gettext_lazy("请输入真实姓名")
    )
    id_number = forms.CharField(
        label=gettext_lazy("身份证号"),
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("请输入18位居民身份证号"), "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("请输入身份证号。")},
    )
    phone = mobile_field(gettext_lazy("手机号"))
    captcha = portal_captcha_field()
    sms_code = sms_code_field()
    email = _email_field()
    login_account = _login_account_field()
    password1 = password_field(gettext_lazy("登录密码"), placeholder=gettext_lazy("请输入登录密码"))
    password2 = confirm_password_field(gettext_lazy("确认密码"))
    personal_info_consent = forms.BooleanField(
        label=gettext_lazy(
            "本人同意平台收集、加密存储并使用本人的姓名、身份证号、手机号和电子邮箱，仅用于身份核验和推优申报管理"
        ),
        error_messages={"required": gettext_lazy("请勾选同意收集和使用个人信息，否则无法注册。")},
    )
    agree = agreement_field()

    def clean_id_number(self) -> str:
        number = validate_resident_id(self.cleaned_data.get("id_number", ""))
        if User.objects.filter(id_number_digest=crypto.blind_index(number)).exists():
            raise ValidationError(_("该身份证号已注册。"), code="taken")
        return number

    def clean_phone(self) -> str:
        phone = validate_mobile(self.cleaned_data.get("phone", ""))
        check_phone_for_purpose(phone, SmsPurpose.REGISTER)
        return phone

    def clean(self):
        cleaned = super().clean()
        phone = cleaned.get("phone")
        self.check_password_pair(
            User(
                username=cleaned.get("login_account") or "",
                phone=phone,
                email=cleaned.get("email", ""),
                full_name=cleaned.get("full_name", ""),
            )
        )
        if phone:
            if self.verify_sms_code(phone, SmsPurpose.REGISTER, consume=False) and not self.errors:
                self.verify_sms_code(phone, SmsPurpose.REGISTER, consume=True)
        return cleaned
