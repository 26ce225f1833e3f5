"""The 登记表 (网络视听节目季度推优参评作品登记表) and the staff forms of the awards app.

保存 keeps partial drafts, so the form checks only the format of what is
typed (numbers, dates, lengths, the pledge's content); the rules of 申报 are
in ``services.validation``.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import bureaus, rules
from .enums import WorkType
from .models import NAME_MAX, Nomination
from .selectors import active_platforms
from .services.nominations import FORM_FIELDS
from .services.validation import TOLERANCE_MIN_MINUTES, TOLERANCE_PERCENT
from .uploads import ACCEPT_ATTR, check_pledge

DATE_WIDGET = {"type": "date"}
MAX_IMPORT_BYTES = 10 * 1024 * 1024


class PlatformChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def _text(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"maxlength": NAME_MAX, "data-counter": NAME_MAX}),
        error_messages={"max_length": _("不能超过%(limit_value)d个字（当前%(show_value)d个字）。")},
    )


def _minutes(label, max_digits: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.1"),
        max_digits=max_digits,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("请输入数字（分钟，可保留一位小数）。"),
            "min_value": _("时长须大于0。"),
            "max_decimal_places": _("最多保留一位小数。"),
            "max_digits": _("时长过大，请检查。"),
            "max_whole_digits": _("时长过大，请检查。"),
        },
    )


class NominationForm(forms.ModelForm):
    """The fields of SPEC §D2, in the seed's order; every one required to 申报 (starred)."""

    bureau = forms.ChoiceField(
        label=_("申报台局"),
        required=False,
        help_text=_("请选择对应本单位的上级行政管理部门（所在地省级广播电视局）。"),
        error_messages={"invalid_choice": _("请选择有效的申报台局。")},
    )
    name = _text(_("作品名称"))
    work_type = forms.ChoiceField(
        label=_("作品类型"),
        required=False,
        choices=WorkType.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("请选择作品类型。")},
    )
    episodes = forms.IntegerField(
        label=_("集数"),
        required=False,
        min_value=1,
        max_value=100000,
        widget=forms.NumberInput(attrs={"min": "1", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("请输入整数。"),
            "min_value": _("集数至少为1。"),
            "max_value": _("集数过大，请检查。"),
        },
    )
    episode_minutes = _minutes(_("单集时长(分钟)"), 7)
    total_minutes = _minutes(_("总时长(分钟)"), 9)
    first_broadcast = forms.DateField(
        label=_("首播日期"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={"invalid": _("请输入有效日期（年-月-日）。")},
    )
    broadcast_end = forms.DateField(
        label=_("播出完毕日期"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={"invalid": _("请输入有效日期（年-月-日）。")},
    )
    platform = PlatformChoiceField(
        label=_("播出平台"),
        queryset=active_platforms(),
        required=False,
        empty_label=_("请选择"),
        help_text=_("持证和备案网络视听平台"),
        error_messages={"invalid_choice": _("请选择持证和备案网络视听平台。")},
    )
    copyright_owner = _text(_("版权所属机构(个人)"))
    producer = _text(_("出品机构"))
    maker = _text(_("制作机构"))
    pledge = forms.FileField(
        label=_("版权承诺书"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
        help_text=_("上传签字盖章后的版权承诺书扫描件一份，PDF 格式。"),
    )

    class Meta:
        model = Nomination
        fields = list(FORM_FIELDS)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        choices = bureaus.grouped_choices(include_central=rules.may_choose_nrta(organisation))
        self.fields["bureau"].choices = [("", _("选择"))] + choices
        self.fields["total_minutes"].help_text = _(
            "应与 集数 × 单集时长 一致，允许误差 ±%(percent)s%% 或 ±%(minutes)s 分钟（取较大者）。"
        ) % {"percent": TOLERANCE_PERCENT, "minutes": TOLERANCE_MIN_MINUTES}
        if self.instance.pk and self.instance.ref_seq is not None:
            # A returned nomination goes back to the bureau that returned it.
            self.fields["bureau"].disabled = True
            self.fields["bureau"].help_text = _("退回修改的申报仍报送原申报台局。")
            # A bureau mark removed later still shows what was chosen.
            if self.instance.bureau and self.instance.bureau not in dict(bureaus.flat_choices()):
                self.fields["bureau"].choices += [(self.instance.bureau, self.instance.bureau_name)]
        elif self.instance.bureau == bureaus.NRTA_BUREAU and not rules.may_choose_nrta(organisation):
            # Keep showing a choice made while the unit was central; 申报 refuses it with the reason.
            self.fields["bureau"].choices = [("", _("选择")), (bureaus.NRTA_BUREAU, bureaus.NRTA_NAME)] + choices
        if self.instance.platform_id and not self.instance.platform.status == "active":
            self.fields["platform"].queryset = active_platforms() | type(self.instance.platform).objects.filter(
                pk=self.instance.platform_id
            )

    def clean_pledge(self):
        upload = self.cleaned_data.get("pledge")
        if upload:
            check_pledge(upload)  # ValidationError → next to the field
        return upload or None

    def values(self) -> dict:
        """What services.nominations.save_draft takes."""
        data = {name: self.cleaned_data.get(name) for name in FORM_FIELDS if not self.fields[name].disabled}
        for name in ("bureau", "name", "work_type", "copyright_owner", "producer", "maker"):
            if name in data:
                data[name] = (data[name] or "").strip()
        return data


class PlatformImportForm(forms.Form):
    file = forms.FileField(label=_("CSV 文件"), help_text=_("UTF-8（可带 BOM）或 GB18030 编码"))
    dry_run = forms.BooleanField(label=_("仅校验，不导入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("文件不能超过10 MB。"))
        return upload


class TabForm(forms.Form):
    tab = forms.ChoiceField(choices=[("draft", ""), ("pending", ""), ("reviewed", "")], required=False)
