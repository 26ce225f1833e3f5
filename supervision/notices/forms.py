"""Forms of 通知公告: the sign-up form and the officials' notice form on /staff/."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import NoticeKind
from .models import Notice, NoticeAttachment
from .services import check_attachment

PHONE_HELP = _("请填写 11 位手机号码或带区号的固定电话。")


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人。")})
    phone = forms.RegexField(
        label=_("联系电话"),
        regex=r"^(1\d{10}|0\d{2,3}-?\d{7,8})$",
        max_length=20,
        error_messages={"required": _("请填写联系电话。"), "invalid": PHONE_HELP},
    )
    attendees = forms.IntegerField(
        label=_("参加人数"),
        min_value=1,
        max_value=50,
        initial=1,
        error_messages={
            "required": _("请填写参加人数。"),
            "invalid": _("参加人数须为整数。"),
            "min_value": _("参加人数至少为 1。"),
            "max_value": _("参加人数不能超过 50。"),
        },
    )


AUDIENCE_ALL, AUDIENCE_PROGRAMME, AUDIENCE_PROVINCE = "all", "programme", "province"


class NoticeAdminForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = (
            "kind",
            "title",
            "body",
            "authority",
            "province",
            "publish_date",
            "end_date",
            "starts_at",
            "place",
            "online_link",
            "capacity",
            "signup_deadline",
        )

    def clean(self):
        data = super().clean()
        if data.get("authority") == "" and data.get("province"):
            self.add_error("province", _("面向全部用户的通知不能限定省份。"))
        if data.get("kind") == NoticeKind.TRAINING:
            if not data.get("capacity"):
                self.add_error("capacity", _("培训须填写名额。"))
            if not data.get("starts_at"):
                self.add_error("starts_at", _("培训须填写培训时间。"))
            if not data.get("place") and not data.get("online_link"):
                self.add_error("place", _("请填写培训地点或线上链接。"))
        end = data.get("end_date")
        if end and data.get("publish_date") and end < data["publish_date"]:
            self.add_error("end_date", _("截止日期不能早于发布日期。"))
        return data


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = NoticeAttachment
        fields = ("file",)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):
            try:
                self.instance.content_type = check_attachment(upload)
            except ValidationError:
                raise
            self.instance.original_name = upload.name[:255]
            self.instance.size = upload.size
        return upload
