"""Forms of the members page (A1b) and of the change of one's mobile."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import SmsPurpose
from common.validators import validate_mobile

from .common import (
    SmsCodeRequestMixin,
    check_phone_for_purpose,
    mobile_field,
    portal_captcha_field,
)
from .common import (
    sms_code_field as code_field,
)


class MemberAddForm(SmsCodeRequestMixin, forms.Form):
    """姓名 + 手机号, confirmed by a code sent to that mobile (purpose add-member)."""

    full_name = forms.CharField(
        label=gettext_lazy("姓名"),
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("请输入成员姓名")}),
        error_messages={"required": gettext_lazy("请输入成员姓名。")},
    )
    phone = mobile_field(gettext_lazy("手机号"), placeholder=gettext_lazy("请输入成员手机号"))
    captcha = portal_captcha_field()
    sms_code = code_field()

    def clean_phone(self) -> str:
        phone = validate_mobile(self.cleaned_data.get("phone", ""))
        check_phone_for_purpose(phone, SmsPurpose.ADD_MEMBER)
        return phone

    def clean(self):
        cleaned = super().clean()
        phone = cleaned.get("phone")
        if phone and self.verify_sms_code(phone, SmsPurpose.ADD_MEMBER, consume=False) and not self.errors:
            self.verify_sms_code(phone, SmsPurpose.ADD_MEMBER, consume=True)
        return cleaned


class MemberChoiceForm(forms.Form):
    """The member a removal or a hand-over applies to, named by its login name (never a database id)."""

    member = forms.CharField(max_length=150)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_member(self):
        username = self.cleaned_data["member"]
        member = self.organisation.members.filter(username=username, is_active=True).first()
        if member is None:
            raise ValidationError(_("该成员不存在或已被移除。"), code="missing")
        return member


class PhoneChangeForm(SmsCodeRequestMixin, forms.Form):
    """新手机号, with one code sent to the current mobile and one to the new one (purpose change-phone)."""

    sms_phone_field = "new_phone"
    sms_code_field = "new_code"

    new_phone = mobile_field(gettext_lazy("新手机号"), placeholder=gettext_lazy("请输入新手机号"))
    captcha = portal_captcha_field()
    old_code = code_field(gettext_lazy("原手机号验证码"))
    new_code = code_field(gettext_lazy("新手机号验证码"))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.phone:
            # No mobile yet (an institution registered with a landline): only the new number is confirmed.
            del self.fields["old_code"]

    def captcha_phones(self) -> list[str]:
        return [self.user.phone or "", self.posted_phone()]

    def clean_new_phone(self) -> str:
        phone = validate_mobile(self.cleaned_data.get("new_phone", ""))
        if phone == self.user.phone:
            raise ValidationError(_("新手机号与当前手机号相同。"), code="same")
        check_phone_for_purpose(phone, SmsPurpose.CHANGE_PHONE, self.user)
        return phone

    def clean(self):
        cleaned = super().clean()
        new_phone = cleaned.get("new_phone")
        purpose = SmsPurpose.CHANGE_PHONE
        old_ok = True
        if self.user.phone:
            old_ok = self.verify_sms_code(self.user.phone, purpose, field_name="old_code", consume=False)
        new_ok = bool(new_phone) and self.verify_sms_code(new_phone, purpose, field_name="new_code", consume=False)
        if old_ok and new_ok and not self.errors:
            if self.user.phone:
                self.verify_sms_code(self.user.phone, purpose, field_name="old_code", consume=True)
            self.verify_sms_code(new_phone, purpose, field_name="new_code", consume=True)
        return cleaned
