"""Forms of 行政指导 (applicant pages and the officials' thread page)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import Category, MessageKind
from .services import MAX_ATTACHMENTS, check_attachment

ACCEPT = ".pdf,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("每次最多上传 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS})
        errors = []
        for upload in files:
            super().clean(upload, initial)
            try:
                check_attachment(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


class FilingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        version = obj.current_version or obj.application_version
        name = version.name if version else ""
        return f"{obj.reference} {name}".strip()


class AskForm(forms.Form):
    subject = forms.CharField(label=_("咨询主题"), max_length=100, error_messages={"required": _("请填写咨询主题。")})
    category = forms.ChoiceField(
        label=_("咨询类别"),
        choices=[("", _("请选择")), *Category.choices],
        error_messages={"required": _("请选择咨询类别。"), "invalid_choice": _("请选择咨询类别。")},
    )
    filing = FilingChoiceField(
        label=_("相关节目（选填）"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("不关联节目"),
        error_messages={"invalid_choice": _("请选择本单位的节目。")},
    )
    text = forms.CharField(
        label=_("咨询内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写咨询内容。"), "max_length": _("咨询内容不能超过5000字。")},
    )
    attachments = AttachmentsField(label=_("附件（选填，pdf、jpg、png，最多5个）"))

    def __init__(self, *args, filings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filing"].queryset = filings
        if filings is None:
            del self.fields["filing"]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("补充说明"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写补充说明。"), "max_length": _("内容不能超过5000字。")},
    )
    attachments = AttachmentsField(label=_("附件（选填，pdf、jpg、png，最多5个）"))


class OfficialForm(forms.Form):
    """答复 / 要求补充 / 关闭 on the reviewers' site: the button pressed is the action."""

    ACTIONS = (MessageKind.ANSWER, MessageKind.ASK_BACK, MessageKind.CLOSE)

    action = forms.ChoiceField(choices=[(k.value, k.label) for k in ACTIONS], widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("答复内容"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        error_messages={"max_length": _("内容不能超过5000字。")},
    )
    attachments = AttachmentsField(label=_("附件（选填，pdf、jpg、png，最多5个）"))

    def clean(self):
        data = super().clean()
        if data.get("action") in (MessageKind.ANSWER, MessageKind.ASK_BACK) and not (data.get("text") or "").strip():
            self.add_error("text", _("请填写答复内容。"))
        return data
