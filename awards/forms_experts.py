"""Forms of the expert round: the conflict declaration, the score, the assignment, the ranking's filters.

They check the format of one form's input; the rules (who, when, which work)
are in ``services.experts`` and ``services.ranking``.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.enums import Authority, StaffLevel

from . import calendar
from .enums import Criterion, ProjectKind
from .models import NAME_MAX, ExpertAssignment
from .services import experts as services

NONE, CONFLICT = "none", "conflict"


class DeclarationForm(forms.Form):
    """利益冲突声明: explicitly none, or a conflict (with a note); required before scoring."""

    declaration = forms.ChoiceField(
        label=_("利益冲突声明"),
        choices=[
            (NONE, _("本人与该作品不存在利益冲突")),
            (CONFLICT, _("本人与该作品存在利益冲突，申请回避")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否存在利益冲突。"), "invalid_choice": _("请选择是否存在利益冲突。")},
    )
    note = forms.CharField(
        label=_("利益冲突说明"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": services.NOTE_MAX}),
        help_text=_("存在利益冲突时必填，例如：本人参与了该作品的策划。"),
        error_messages={"max_length": _("说明不能超过%(limit_value)d个字符。")},
    )

    def clean(self):
        data = super().clean()
        if data.get("declaration") == CONFLICT and not (data.get("note") or "").strip():
            self.add_error("note", _("请说明利益冲突的情况。"))
        return data

    @property
    def has_conflict(self) -> bool:
        return self.cleaned_data["declaration"] == CONFLICT


class ScoreForm(forms.Form):
    """评分: 0–100, the 推优标准 the work serves (at least one), 评语."""

    score = forms.IntegerField(
        label=_("评分（0-100）"),
        min_value=services.SCORE_MIN,
        max_value=services.SCORE_MAX,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
        error_messages={
            "required": _("请填写评分。"),
            "invalid": _("评分须为 0 至 100 之间的整数。"),
            "min_value": _("评分须为 0 至 100 之间的整数。"),
            "max_value": _("评分须为 0 至 100 之间的整数。"),
        },
    )
    criteria = forms.MultipleChoiceField(
        label=_("符合的推优标准"),
        choices=Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请至少勾选一项该作品符合的推优标准。"),
            "invalid_choice": _("请从列出的推优标准中勾选。"),
        },
    )
    comment = forms.CharField(
        label=_("评语"),
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": services.COMMENT_MAX}),
        error_messages={
            "required": _("请填写评语。"),
            "max_length": _("评语不能超过%(limit_value)d个字符。"),
        },
    )

    @classmethod
    def for_score(cls, score, data=None) -> ScoreForm:
        initial = {"score": score.score, "criteria": score.criteria, "comment": score.comment} if score else None
        return cls(data, initial=initial)


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name()}（{obj.get_username()}）"


def expert_queryset():
    """Active NRTA expert accounts, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__level=StaffLevel.EXPERT, staff_profile__authority=Authority.NRTA)
        .order_by("full_name", "username")
    )


class AssignmentForm(forms.ModelForm):
    """专家分配 on /staff/: a quarter, an NRTA expert and the expert's organisation."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"), coerce=int, choices=[(q, _("第%(q)s季度") % {"q": q}) for q in calendar.QUARTERS]
    )
    organisation_name = forms.CharField(
        label=_("所在单位"),
        max_length=NAME_MAX,
        help_text=_("专家所在单位的全称；与作品的申报单位、出品机构或制作机构相同时，系统自动回避。"),
        error_messages={"required": _("请填写专家所在单位（用于自动识别利益冲突）。")},
    )

    class Meta:
        model = ExpertAssignment
        fields = ("year", "quarter", "expert", "organisation_name")
        field_classes = {"expert": ExpertChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = expert_queryset()
        self.fields["expert"].error_messages["required"] = _("请选择评审专家。")
        if self.instance.pk:
            for name in ("year", "quarter", "expert"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        errors = services.check_assignment(
            year=data.get("year"),
            quarter=data.get("quarter"),
            expert=data.get("expert"),
            organisation_name=data.get("organisation_name", ""),
            instance=self.instance,
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def validate_unique(self):
        """The one-per-quarter rule is checked above, with its own message."""


class RankingFilterForm(forms.Form):
    """The ranking's quarter and 项目类型 (a tampered value falls back to the default)."""

    quarter = forms.ChoiceField(label=_("季度"), required=False)
    kind = forms.ChoiceField(label=_("项目类型"), required=False, choices=[("", _("全部")), *ProjectKind.choices])

    def __init__(self, *args, quarters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.key, q.label) for q in quarters]


class DecisionForm(forms.Form):
    """入选 / 未入选 of the works chosen on the ranking (the works themselves: ``services.ranking``)."""

    decision = forms.ChoiceField(
        label=_("标记为"),
        choices=[("select", _("入选")), ("not_select", _("未入选"))],
        error_messages={"required": _("请选择入选或未入选。"), "invalid_choice": _("请选择入选或未入选。")},
    )
