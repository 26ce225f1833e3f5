from django import forms
from django.utils.translation import gettext_lazy as _


class ActivationForm(forms.Form):
    """资质激活: the unit's account and password on the original platform (原平台账号和密码)."""

    account = forms.CharField(
        label=_("原平台账号"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("请输入原平台账号")}),
        error_messages={"required": _("请输入原平台账号。"), "max_length": _("原平台账号不能超过64个字符。")},
    )
    password = forms.CharField(
        label=_("原平台密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "placeholder": _("请输入原平台密码")}),
        error_messages={"required": _("请输入原平台密码。"), "max_length": _("原平台密码不能超过128个字符。")},
    )
