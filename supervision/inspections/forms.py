"""Forms of 日常巡查 on the reviewers' site: a patrol finding, a disposal, evidence files."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_credit_code

from .enums import CaseStatus
from .services import MAX_EVIDENCE, check_evidence

ACCEPT = ".jpg,.jpeg,.png,.pdf,.mp4,.flv"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise ValidationError(_("请选择要上传的文件。"))
        if len(files) > MAX_EVIDENCE:
            raise ValidationError(_("每次最多上传 %(n)s 个证据文件。") % {"n": MAX_EVIDENCE})
        errors = []
        for upload in files:
            super().clean(upload, initial)
            try:
                check_evidence(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


class FindingForm(forms.Form):
    """登记巡查发现."""

    platform = forms.CharField(label=_("播出平台"), max_length=200, error_messages={"required": _("请填写播出平台。")})
    url = forms.URLField(
        label=_("网址"),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": _("请填写网址。"),
            "invalid": _("请输入有效的网址，如 https://www.example.cn/live/1。"),
        },
    )
    programme_name = forms.CharField(label=_("节目名称（选填）"), max_length=200, required=False)
    unit_name = forms.CharField(label=_("单位名称"), max_length=200, error_messages={"required": _("请填写单位名称。")})
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=30, error_messages={"required": _("请填写统一社会信用代码。")}
    )
    found_on = forms.DateField(
        label=_("发现日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写发现日期。"), "invalid": _("请输入有效的日期，如 2026-12-01。")},
    )
    description = forms.CharField(
        label=_("情况描述"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写情况描述。"), "max_length": _("情况描述不能超过2000字。")},
    )
    files = EvidenceField(label=_("证据材料（选填，jpg、png、pdf、mp4、flv，最多10个）"))

    def clean_credit_code(self):
        return validate_credit_code(self.cleaned_data["credit_code"])

    def clean_found_on(self):
        value = self.cleaned_data["found_on"]
        if value > timezone.localdate():
            raise ValidationError(_("发现日期不能晚于今天。"))
        return value


class DisposeForm(forms.Form):
    """处置: the status to set and the note (required); ``seen`` is the status the page showed."""

    status = forms.ChoiceField(
        label=_("处理状态"),
        choices=CaseStatus.choices,
        error_messages={"required": _("请选择处理状态。"), "invalid_choice": _("请选择处理状态。")},
    )
    note = forms.CharField(
        label=_("处置说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写处置说明。"), "max_length": _("处置说明不能超过2000字。")},
    )
    seen = forms.ChoiceField(choices=CaseStatus.choices, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any status validates (the service tells a lost race or a step not allowed from the status it finds);
        # the select offers only the current status and where it may go from it.
        self.fields["status"].widget.choices = [(s, CaseStatus(s).label) for s in allowed]


class EvidenceForm(forms.Form):
    files = EvidenceField(label=_("证据材料（jpg、png、pdf、mp4、flv）"), required=True)
