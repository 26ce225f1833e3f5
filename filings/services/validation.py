"""What 提交 checks: every section of a version, with the rules of SPEC §B2.

保存 keeps partial drafts (only the format of what is typed is checked, by the
forms); these checks decide whether a section is complete (the ✓ of the step
list) and list every problem at the top of the page on 提交, each linking to
its field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..enums import FilingKind, MaterialItem, ReplayType, Section
from ..models import SYNOPSIS_MAX, FilingVersion

# Fields shown as 是/否 radio buttons: their first option carries the id "_0".
RADIO_FIELDS = {"first_recorded", "replay", "replay_type", "joint_broadcast"}
FORM_PREFIX = {
    Section.BASIC: "basic",
    Section.PROGRAMME: "programme",
    Section.PARTNERS: "joint",
    Section.PLEDGE: "pledge",
}


def basic_labels(kind: str) -> dict[str, str]:
    """The import screen names the basic fields differently (its seed screen)."""
    if kind == FilingKind.IMPORT:
        return {"unit": _("单位名称"), "filler": _("申请人"), "manager": _("业务负责人"), "email": _("电子邮箱")}
    return {"unit": _("单位名称"), "filler": _("填报人"), "manager": _("业务负责人"), "email": _("电子邮件")}


@dataclass(frozen=True)
class Problem:
    section: str
    field: str  # model field name, or "" for a whole table
    label: str
    message: str

    @property
    def anchor(self) -> str:
        if self.field and self.section in FORM_PREFIX:
            suffix = "_0" if self.field in RADIO_FIELDS else ""
            return f"id_{FORM_PREFIX[self.section]}-{self.field}{suffix}"
        if self.section == Section.MATERIALS and self.field:
            return f"material-{self.field}"
        return f"section-{self.section}"


REQUIRED = gettext_lazy("此项为必填项。")


def required_materials() -> list[str]:
    valid = set(MaterialItem.values)
    return [item for item in getattr(settings, "FILINGS_REQUIRED_MATERIALS", []) if item in valid]


def _field_label(name: str) -> str:
    return str(FilingVersion._meta.get_field(name).verbose_name)


def basic_problems(version: FilingVersion, kind: str, organisation_id: int | None) -> list[Problem]:
    labels = basic_labels(kind)
    problems = []
    for field in ("filler", "manager"):
        user = getattr(version, field)
        if user is None:
            problems.append(Problem(Section.BASIC, field, labels[field], _("请选择本单位的成员。")))
        elif user.organisation_id != organisation_id or not user.is_active:
            problems.append(Problem(Section.BASIC, field, labels[field], _("所选人员已不是本单位成员，请重新选择。")))
    if not version.email:
        problems.append(Problem(Section.BASIC, "email", labels["email"], str(REQUIRED)))
    return problems


def programme_problems(version: FilingVersion) -> list[Problem]:
    problems: list[Problem] = []

    def need(field: str, message=None) -> None:
        problems.append(Problem(Section.PROGRAMME, field, _field_label(field), str(message or REQUIRED)))

    for field in ("name", "safety_officer", "contact"):
        if not getattr(version, field).strip():
            need(field)
    if version.first_recorded is None:
        need("first_recorded", _("请选择是或否。"))
    if not version.video_url:
        need("video_url")
    if version.replay is None:
        need("replay", _("请选择是或否。"))
    elif version.replay:
        if not version.replay_type:
            need("replay_type", _("提供回看时请选择回看期限类型。"))
        elif version.replay_type == ReplayType.PERIOD:
            if version.replay_from is None:
                need("replay_from", _("回看期限为时间段时，请填写开始日期。"))
            if version.replay_to is None:
                need("replay_to", _("回看期限为时间段时，请填写结束日期。"))
            if version.replay_from and version.replay_to and version.replay_to <= version.replay_from:
                need("replay_to", _("回看期限的结束日期应晚于开始日期。"))
        if not version.replay_url:
            need("replay_url", _("提供回看时请填写回看地址。"))
    if not version.platform.strip():
        need("platform")
    if not version.synopsis.strip():
        need("synopsis")
    elif len(version.synopsis) > SYNOPSIS_MAX:
        need("synopsis", _("演出内容简介不能超过%(max)s字。") % {"max": SYNOPSIS_MAX})
    return problems


def table_problems(version: FilingVersion, counts: dict[str, int]) -> list[Problem]:
    problems = []
    if counts["performers"] == 0:
        problems.append(Problem(Section.PERFORMERS, "", str(Section.PERFORMERS.label), _("请至少添加一个演员/团体。")))
    if counts["sessions"] == 0:
        problems.append(Problem(Section.SESSIONS, "", str(Section.SESSIONS.label), _("请至少添加一个场次。")))
    return problems


def partner_problems(version: FilingVersion, partners: list) -> list[Problem]:
    label = _field_label("joint_broadcast")
    if version.joint_broadcast is None:
        return [Problem(Section.PARTNERS, "joint_broadcast", label, _("请选择是或否。"))]
    problems = []
    if version.joint_broadcast:
        if not partners:
            problems.append(
                Problem(Section.PARTNERS, "", str(Section.PARTNERS.label), _("联合播出时请至少添加一家联合播出企业。"))
            )
        for partner in partners:
            if not partner.session_count:
                problems.append(
                    Problem(
                        Section.PARTNERS,
                        "",
                        str(Section.PARTNERS.label),
                        _("联合播出企业“%(name)s”未选择演出场次。") % {"name": partner.company},
                    )
                )
    return problems


def material_problems(present: set[str]) -> list[Problem]:
    required = set(required_materials())
    return [
        Problem(Section.MATERIALS, item, str(MaterialItem(item).label), _("请上传此项材料。"))
        for item in MaterialItem.values  # in the order of the form
        if item in required and item not in present
    ]


def pledge_problems(version: FilingVersion) -> list[Problem]:
    if version.pledged:
        return []
    return [Problem(Section.PLEDGE, "pledged", _("承诺书"), _("请阅读承诺书并勾选“确认以上承诺”。"))]


def problems(version: FilingVersion, kind: str, organisation_id: int | None) -> list[Problem]:
    """Every problem of the version, in the order of the form."""
    from django.db.models import Count

    counts = {"performers": version.performers.count(), "sessions": version.sessions.count()}
    partners = list(version.partners.annotate(session_count=Count("sessions")))
    present = set(version.materials.values_list("item", flat=True))
    return [
        *basic_problems(version, kind, organisation_id),
        *programme_problems(version),
        *table_problems(version, counts),
        *partner_problems(version, partners),
        *material_problems(present),
        *pledge_problems(version),
    ]


def completion(found: list[Problem]) -> dict[str, bool]:
    """Section → complete, for the step list (承诺书 is not a numbered step)."""
    bad = {p.section for p in found}
    return {section: section not in bad for section in Section.values}
