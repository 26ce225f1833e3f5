"""Forms of the publication step: the public objection form (异议) and the staff forms of
公示 (发起公示, 异议处理, 撤销). Each validates its own input only; the rules are in
``awards.services.publication``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms.common import portal_captcha_field
from accounts.forms.registration import LANDLINE_RE
from common.validators import MOBILE_RE

from .enums import ObjectionStatus

REASON_MAX = 2000


def _text(label, required_message, *, max_length: int, required: bool = True, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "required": required_message,
            "max_length": _("最多 %(limit_value)d 个字（已输入 %(show_value)d 个）。"),
        },
    )


class ObjectionForm(forms.Form):
    """异议: 联系人, 联系电话 or 电子邮箱 (at least one), the work concerned, 异议理由, 图形验证码."""

    work = forms.ChoiceField(
        label=_("异议作品"),
        error_messages={
            "required": _("请选择您提出异议的作品。"),
            "invalid_choice": _("请选择公示名单中的作品。"),
        },
    )
    contact_name = _text(_("联系人"), _("请填写联系人。"), max_length=50, autocomplete="name")
    contact_phone = _text(
        _("联系电话"),
        "",
        max_length=30,
        required=False,
        autocomplete="tel",
        inputmode="tel",
        placeholder=_("手机号或固定电话，如010-86091625"),
    )
    contact_email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": _("例如 name@example.cn")}),
        error_messages={"invalid": _("请输入正确的电子邮箱地址。")},
    )
    reason = forms.CharField(
        label=_("异议理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请说明异议的具体事实和理由，可附相关作品的播出信息或版权信息。"),
        error_messages={
            "required": _("请填写异议理由。"),
            "max_length": _("异议理由最多 %(limit_value)d 个字（已输入 %(show_value)d 个）。"),
        },
    )
    captcha = portal_captcha_field()

    def __init__(self, *args, works=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].choices = [("", _("请选择作品"))] + [
            (row.public_id, f"{row.name}（{row.work_type}）") for row in works
        ]

    def clean_contact_name(self) -> str:
        value = self.cleaned_data["contact_name"].strip()
        if not value:
            raise forms.ValidationError(_("请填写联系人。"), code="required")
        return value

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"].strip().replace(" ", "").replace("－", "-")
        if value and not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
            raise forms.ValidationError(_("请输入正确的联系电话（手机号或固定电话，如010-86091625）。"), code="phone")
        return value

    def clean_reason(self) -> str:
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("请填写异议理由。"), code="required")
        return value

    def clean(self):
        data = super().clean()
        if "contact_phone" in self.errors or "contact_email" in self.errors:
            return data
        if not data.get("contact_phone") and not data.get("contact_email"):
            self.add_error("contact_phone", _("请填写联系电话或电子邮箱（至少一项），以便我们联系您。"))
        return data


class OpenPublicityForm(forms.Form):
    """发起公示: the quarter and the 公示's start and end dates."""

    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("请填写年度。"),
            "invalid": _("请填写正确的年度。"),
            "min_value": _("请填写正确的年度。"),
            "max_value": _("请填写正确的年度。"),
        },
    )
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        coerce=int,
        choices=[(q, _("第%(q)s季度") % {"q": q}) for q in (1, 2, 3, 4)],
        error_messages={"required": _("请选择季度。"), "invalid_choice": _("请选择季度。")},
    )
    starts_on = forms.DateField(
        label=_("公示开始日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写公示开始日期。"), "invalid": _("请按 年-月-日 格式填写日期。")},
    )
    ends_on = forms.DateField(
        label=_("公示结束日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("公示期含结束日期当天（北京时间 23:59:59 止）。"),
        error_messages={"required": _("请填写公示结束日期。"), "invalid": _("请按 年-月-日 格式填写日期。")},
    )


class DisposeObjectionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"),
        widget=forms.RadioSelect,
        choices=[
            (ObjectionStatus.ACCEPTED, ObjectionStatus.ACCEPTED.label),
            (ObjectionStatus.REJECTED, ObjectionStatus.REJECTED.label),
        ],
        error_messages={"required": _("请选择处理结果。"), "invalid_choice": _("请选择处理结果。")},
    )
    note = forms.CharField(
        label=_("处理意见"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("采纳异议的，该作品将取消入选，处理意见记入审核记录。"),
        error_messages={"required": _("请填写处理意见。")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("撤销理由将在公布名单中公开显示，该作品的推优证书同时注销。"),
        error_messages={"required": _("请填写撤销理由。")},
    )
