"""Forms of the filing page: one per section held in fields, one per table row.

保存 keeps partial drafts, so section forms only check the format of what is
typed; whether a section is complete is decided by services.validation.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.widgets import OptionsSelect

from . import countries
from .enums import ChangePart, FilingState, ListType, ReplayType, Section, SessionType
from .models import SYNOPSIS_MAX, FilingVersion, Partner, Performer, Session
from .sections import SCALAR_FIELDS
from .services.validation import basic_labels

YES_NO = (("True", _("是")), ("False", _("否")))
URL_HELP = _("以 http:// 或 https:// 开头的完整网址")


def _yes_no(label, required=False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "True",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )


def _url(label, required=False) -> forms.URLField:
    return forms.URLField(
        label=label,
        required=required,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        error_messages={"invalid": _("请输入有效的网址（以 http:// 或 https:// 开头）。")},
    )


def members_of(organisation) -> forms.models.QuerySet:
    return User.objects.filter(organisation=organisation, is_active=True, cancelled_at__isnull=True).order_by(
        "full_name", "pk"
    )


class _RowsIterator(forms.models.ModelChoiceIterator):
    """Choices from ``field.rows()`` when set: rows fetched once for several fields or forms (填报人 and
    业务负责人 list the same members; every 联合播出 row lists the version's sessions, already prefetched)
    instead of one query per field rendered. Validation still asks the queryset."""

    def __iter__(self):
        rows = getattr(self.field, "rows", None)
        if rows is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in rows():
            yield self.choice(obj)

    def __len__(self):
        rows = getattr(self.field, "rows", None)
        if rows is None:
            return super().__len__()
        return len(rows()) + (self.field.empty_label is not None)


class _SessionsField(forms.ModelMultipleChoiceField):
    iterator = _RowsIterator


def _once(queryset):
    """A function returning ``queryset``'s rows, fetched on its first call."""
    cache: list = []

    def rows():
        if not cache:
            cache.append(list(queryset))
        return cache[0]

    return rows


class MemberChoiceField(forms.ModelChoiceField):
    iterator = _RowsIterator

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name()


class BasicForm(forms.ModelForm):
    """1 基本信息: the unit's name (read-only), 填报人/申请人 and 业务负责人 (members), 电子邮件/电子邮箱."""

    filler = MemberChoiceField(queryset=User.objects.none(), empty_label=_("请选择"))
    manager = MemberChoiceField(queryset=User.objects.none(), empty_label=_("请选择"))

    class Meta:
        model = FilingVersion
        fields = SCALAR_FIELDS[Section.BASIC]

    def __init__(self, *args, organisation, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        labels = basic_labels(kind)
        members = members_of(organisation)
        rows = _once(members)
        for name in ("filler", "manager"):
            self.fields[name].queryset = members
            self.fields[name].rows = rows
            self.fields[name].label = labels[name]
            self.fields[name].error_messages["invalid_choice"] = _("只能选择本单位的成员。")
            self.fields[name].error_messages["required"] = _("请选择本单位的成员。")
        self.fields["email"].label = labels["email"]
        self.fields["email"].required = True
        self.fields["email"].error_messages["invalid"] = _("请输入有效的电子邮箱地址。")


class ProgrammeForm(forms.ModelForm):
    """2 网络演出剧(节)目信息."""

    first_recorded = _yes_no(_("首场演出是否为录播"))
    video_url = _url(_("视频下载地址"))
    replay = _yes_no(_("是否提供回看"))
    replay_type = forms.ChoiceField(
        label=_("回看期限类型"), choices=ReplayType.choices, required=False, widget=forms.RadioSelect
    )
    replay_from = forms.DateField(
        label=_("回看期限自"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    replay_to = forms.DateField(
        label=_("回看期限至"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    replay_url = _url(_("回看地址"))
    synopsis = forms.CharField(
        label=_("演出内容简介"),
        required=False,
        max_length=SYNOPSIS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("演出内容简介不能超过%(limit_value)d字（当前%(show_value)d字）。")},
    )

    class Meta:
        model = FilingVersion
        fields = SCALAR_FIELDS[Section.PROGRAMME]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["video_url"].help_text = URL_HELP

    def clean(self):
        data = super().clean()
        start, end = data.get("replay_from"), data.get("replay_to")
        if start and end and end <= start:
            self.add_error("replay_to", _("回看期限的结束日期应晚于开始日期。"))
        return data


class JointForm(forms.ModelForm):
    """5 联合播出信息: 是否与其它企业联合播出."""

    joint_broadcast = _yes_no(_("是否与其它企业联合播出"))

    class Meta:
        model = FilingVersion
        fields = SCALAR_FIELDS[Section.PARTNERS]


class PledgeForm(forms.Form):
    pledged = forms.BooleanField(label=_("确认以上承诺"), required=False)


class ChangePartsForm(forms.Form):
    parts = forms.MultipleChoiceField(
        label=_("变更项"), choices=ChangePart.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


# --- table rows --------------------------------------------------------------------------


class PerformerForm(forms.ModelForm):
    # ~250 options: written in Python, not two templates per option (most of the editor page's time)
    country = forms.ChoiceField(label=_("国家/地区"), widget=OptionsSelect)
    virtual = _yes_no(_("是否(包含)虚拟演员"), required=True)

    class Meta:
        model = Performer
        fields = ["name", "country", "virtual"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("请选择"))] + countries.choices()
        self.fields["virtual"].error_messages["required"] = _("请选择是或否。")
        if self.instance.pk:
            self.initial["virtual"] = str(self.instance.virtual)


class SessionForm(forms.ModelForm):
    type = forms.ChoiceField(label=_("类型(直播或录播)"), choices=[("", _("请选择"))] + SessionType.choices)
    starts_at = forms.DateTimeField(
        label=_("演出开始时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("请输入有效的日期和时间。")},
    )
    url = _url(_("播出地址"), required=True)

    class Meta:
        model = Session
        fields = ["name", "type", "starts_at", "url"]


class PartnerForm(forms.ModelForm):
    sessions = _SessionsField(
        label=_("演出场次"),
        queryset=Session.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        # Sessions are picked by their public row key (as rows are addressed everywhere), never by database id.
        to_field_name="key",
        error_messages={
            "required": _("请至少选择一个演出场次。"),
            "invalid_choice": _("所选场次不属于本申请，请重新选择。"),
            "invalid_pk_value": _("所选场次不属于本申请，请重新选择。"),
        },
    )

    class Meta:
        model = Partner
        fields = ["company", "safety_officer", "contact", "platform", "sessions"]

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = Session.objects.filter(version=version).order_by("position", "pk")
        self.fields["sessions"].label_from_instance = lambda s: s.name
        if "sessions" in getattr(version, "_prefetched_objects_cache", {}):  # selectors.version_detail's
            self.fields["sessions"].rows = version.sessions.all


ROW_FORMS = {"performers": PerformerForm, "sessions": SessionForm, "partners": PartnerForm}


def row_form(table: str, *, version, data=None, instance=None, prefix: str):
    form_class = ROW_FORMS[table]
    kwargs = {"data": data, "instance": instance, "prefix": prefix}
    if table == "partners":
        kwargs["version"] = version
    return form_class(**kwargs)


class VoidForm(forms.Form):
    """作废: the reason is kept in the record (who, when, why)."""

    reason = forms.CharField(
        label=_("作废原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写作废原因。")},
    )


# --- lists ----------------------------------------------------------------------------------


class StatusFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + FilingState.choices)
    type = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部"))] + ListType.choices)
