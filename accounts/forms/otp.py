from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """A six-digit TOTP token from the user's authenticator app (动态口令)."""

    # Named "code" so that the session-expiry stash and axes treat it as a secret.
    code = forms.CharField(
        label=_("动态口令"),
        max_length=6,
        min_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("动态口令为6位数字。"))],
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": "6",
                "placeholder": _("请输入6位动态口令"),
            }
        ),
        error_messages={
            "required": _("请输入动态口令。"),
            "min_length": _("动态口令为6位数字。"),
            "max_length": _("动态口令为6位数字。"),
        },
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class EnrolmentCodeForm(forms.Form):
    """绑定授权码 issued by the administrator, asked before the first device is bound."""

    # Listed in the session-expiry stash's secret fields and never re-rendered.
    enrolment_code = forms.CharField(
        label=_("绑定授权码"),
        max_length=20,
        help_text=_("由部级工作人员或系统管理员签发，形如 ABCD-EFGH-JKLM，72小时内有效，只能使用一次。"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "maxlength": "20",
                "placeholder": _("请输入绑定授权码"),
            }
        ),
        error_messages={
            "required": _("请输入绑定授权码。"),
            "max_length": _("授权码不正确或已失效，请核对或向管理员重新申请。"),
        },
    )
