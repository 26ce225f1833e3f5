"""Forms of the provincial review on the reviewers' site: the quota raise and the quarter chooser."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.regions import REGION_CHOICES

from . import selectors

REASON_MAX = 1000
LIMIT_MAX = 200


class QuarterForm(forms.Form):
    """季度 chooser of the quota table (GET; a stray value falls back to the current quarter)."""

    quarter = forms.ChoiceField(label=_("季度"), required=False)

    def __init__(self, *args, choices: list[selectors.Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.key, q.label) for q in choices]

    def chosen(self, default: selectors.Quarter) -> selectors.Quarter:
        if self.is_valid():
            return selectors.parse_quarter(self.cleaned_data.get("quarter")) or default
        return default


class ApproverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        profile = obj.staff_profile_or_none
        department = getattr(profile, "department", "") if profile else ""
        return f"{obj.get_full_name()}（{department}）" if department else obj.get_full_name()


class QuotaRaiseForm(forms.Form):
    """调整推荐名额: one province, one quarter, the new limit, why, and who approved it."""

    quarter = forms.ChoiceField(label=_("季度"))
    province = forms.ChoiceField(label=_("省份"), choices=[("", "---------"), *REGION_CHOICES])
    new_limit = forms.IntegerField(
        label=_("调整后名额"),
        min_value=1,
        max_value=LIMIT_MAX,
        help_text=_("原则上每省每季度不超过10件；调整后名额不能少于已推荐数量。"),
        error_messages={
            "required": _("请填写调整后名额。"),
            "invalid": _("请填写整数。"),
            "min_value": _("调整后名额至少为 %(limit_value)s。"),
            "max_value": _("调整后名额不能超过 %(limit_value)s。"),
        },
    )
    reason = forms.CharField(
        label=_("调整理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写调整理由。")},
    )
    approved_by = ApproverChoiceField(
        label=_("批准人"),
        queryset=selectors.quota_approvers(),
        error_messages={"required": _("请选择批准人。"), "invalid_choice": _("请选择批准人。")},
    )

    def __init__(self, *args, quarters: list[selectors.Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.key, q.label) for q in quarters]
        self.fields["quarter"].error_messages.update(
            {"required": gettext("请选择季度。"), "invalid_choice": gettext("请选择季度。")}
        )
        self.fields["province"].error_messages.update(
            {"required": gettext("请选择省份。"), "invalid_choice": gettext("请选择省份。")}
        )

    @property
    def chosen_quarter(self) -> selectors.Quarter | None:
        return selectors.parse_quarter(self.data.get("quarter") if self.is_bound else self.initial.get("quarter"))

    def mark_errors(self) -> QuotaRaiseForm:
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"{name}-errors"})
        return self
