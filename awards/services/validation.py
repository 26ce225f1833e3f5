"""What 申报 checks on a 登记表 (SPEC §D2); 保存 keeps drafts without these rules.

Each problem names its field, so the page shows it next to the field and in
the summary at the top. The rules:

* every field is required, the pledge included;
* 首播日期 and 播出完毕日期 inside the project's broadcast window (a work
  spanning longer must have finished within the quarter: "在推荐季度时间范围内播出完毕"),
  and the end not before the first broadcast;
* 总时长 consistent with 集数 × 单集时长 within ``tolerance_minutes`` (±10 % or
  ±5 minutes, whichever is larger);
* the project open and its applicant deadline (23:59:59 Beijing time) not passed;
* the 播出平台 still on the list of licensed and filed platforms;
* 国家广播电视总局 as 申报台局 only for 中央直属单位;
* the same work (normalised name + 首播日期 + 播出平台) not nominated twice in a
  quarter, in any province. A work of the same name with another date or
  platform is not refused: it is flagged for the reviewers (``similar_note``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import bureaus, rules
from ..calendar import deadline_passed
from ..enums import INACTIVE_STATES, PlatformStatus
from ..models import Nomination, Project

REQUIRED = gettext_lazy("此项为必填项。")
REQUIRED_FIELDS = (
    "bureau",
    "name",
    "work_type",
    "episodes",
    "episode_minutes",
    "total_minutes",
    "first_broadcast",
    "broadcast_end",
    "platform",
    "copyright_owner",
    "producer",
    "maker",
    "pledge",
)
TOLERANCE_PERCENT = Decimal("10")
TOLERANCE_MIN_MINUTES = Decimal("5")


@dataclass(frozen=True)
class Problem:
    field: str  # form field name, or "" for the whole form
    label: str
    message: str

    @property
    def anchor(self) -> str:
        return f"id_{self.field}" if self.field else "nomination-form"


def field_label(name: str) -> str:
    return str(Nomination._meta.get_field(name).verbose_name)


def tolerance_minutes(expected: Decimal) -> Decimal:
    """Allowed difference between 总时长 and 集数 × 单集时长: 10 % of it, at least 5 minutes."""
    return max(TOLERANCE_MIN_MINUTES, (expected * TOLERANCE_PERCENT / 100).quantize(Decimal("0.1")))


def _day(value) -> str:
    return date_format(value, "Y-m-d")


# --- the project -----------------------------------------------------------------------


def project_closed_reason(project: Project, at: datetime | None = None) -> str:
    """Why nobody may 申报 to this project now ("" when it is open)."""
    at = at or timezone.now()
    if at < project.opens_at:
        return _("该项目尚未开始申报（申报开始时间 %(at)s）。") % {
            "at": timezone.localtime(project.opens_at).strftime("%Y-%m-%d %H:%M")
        }
    if deadline_passed(project.applicant_deadline, at):
        return _("该项目的申报截止日期（%(day)s 23:59:59）已过，不能再申报。") % {
            "day": _day(project.applicant_deadline)
        }
    return ""


# --- duplicates ------------------------------------------------------------------------


def _same_quarter_active(nomination: Nomination) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(
            year=nomination.year, quarter=nomination.quarter, normalised_name=nomination.normalised_name
        )
        .exclude(state__in=INACTIVE_STATES)
        .exclude(pk=nomination.pk)
    )


def duplicate_of(nomination: Nomination) -> Nomination | None:
    """Another active nomination of the same work (name, first broadcast, platform) this quarter."""
    if not nomination.normalised_name or nomination.first_broadcast is None or nomination.platform_id is None:
        return None
    return (
        _same_quarter_active(nomination)
        .filter(first_broadcast=nomination.first_broadcast, platform_id=nomination.platform_id)
        .order_by("submitted_at", "pk")
        .first()
    )


def duplicate_message(nomination: Nomination, other: Nomination) -> str:
    if other.organisation_id == nomination.organisation_id:
        return _("本单位已于本季度申报过该作品（申报编号 %(ref)s），同一作品每季度只能申报一次。") % {
            "ref": other.reference
        }
    # Another unit's nomination: say that it exists, not who made it.
    return _(
        "该作品（作品名称、首播日期、播出平台相同）本季度已有其他单位申报，同一作品每季度只能申报一次。"
        "如有疑问请联系申报台局。"
    )


def similar_note(nomination: Nomination) -> str:
    """For reviewers: works of the same normalised name this quarter with another date or platform."""
    if not nomination.normalised_name:
        return ""
    others = (
        _same_quarter_active(nomination).select_related("platform", "organisation").order_by("submitted_at", "pk")[:10]
    )
    lines = []
    for other in others:
        if other.first_broadcast == nomination.first_broadcast and other.platform_id == nomination.platform_id:
            continue  # an exact duplicate is refused, not flagged
        lines.append(
            _("相似作品：%(ref)s《%(name)s》（%(unit)s，%(bureau)s，首播 %(day)s，%(platform)s）")
            % {
                "ref": other.reference,
                "name": other.name,
                "unit": other.organisation.name,
                "bureau": bureaus.name(other.bureau),
                "day": _day(other.first_broadcast) if other.first_broadcast else "—",
                "platform": other.platform.name if other.platform else "—",
            }
        )
    return "\n".join(lines)


# --- all the rules -----------------------------------------------------------------------


def _required(nomination: Nomination) -> list[Problem]:
    problems = []
    for name in REQUIRED_FIELDS:
        value = getattr(nomination, name + "_id" if name == "platform" else name)
        if value is None or value == "" or (name == "pledge" and not value):
            message = _("请上传签字盖章后的版权承诺书（PDF）。") if name == "pledge" else str(REQUIRED)
            problems.append(Problem(name, field_label(name), message))
    return problems


def _dates(nomination: Nomination, project: Project) -> list[Problem]:
    problems = []
    start, end = project.window_start, project.window_end
    window = {"start": _day(start), "end": _day(end)}
    first, last = nomination.first_broadcast, nomination.broadcast_end
    if first is not None and not start <= first <= end:
        problems.append(
            Problem(
                "first_broadcast",
                field_label("first_broadcast"),
                _("首播日期须在本季度播出时间范围内（%(start)s 至 %(end)s）。") % window,
            )
        )
    if last is not None:
        if first is not None and last < first:
            problems.append(Problem("broadcast_end", field_label("broadcast_end"), _("播出完毕日期不能早于首播日期。")))
        elif not start <= last <= end:
            problems.append(
                Problem(
                    "broadcast_end",
                    field_label("broadcast_end"),
                    _("参评作品须在推荐季度时间范围内播出完毕（%(start)s 至 %(end)s）。") % window,
                )
            )
    return problems


def _durations(nomination: Nomination) -> list[Problem]:
    episodes, each, total = nomination.episodes, nomination.episode_minutes, nomination.total_minutes
    if not episodes or each is None or total is None:
        return []
    expected = Decimal(episodes) * each
    allowed = tolerance_minutes(expected)
    if abs(total - expected) > allowed:
        return [
            Problem(
                "total_minutes",
                field_label("total_minutes"),
                _(
                    "总时长（%(total)s 分钟）与 集数 × 单集时长（%(episodes)s × %(each)s = %(expected)s 分钟）不符，"
                    "允许误差 ±%(allowed)s 分钟。"
                )
                % {
                    "total": f"{total.normalize():f}",
                    "episodes": episodes,
                    "each": f"{each.normalize():f}",
                    "expected": f"{expected.normalize():f}",
                    "allowed": f"{allowed.normalize():f}",
                },
            )
        ]
    return []


def problems(nomination: Nomination, *, at: datetime | None = None) -> list[Problem]:
    """Every reason this nomination cannot be submitted now (empty: it can)."""
    project = nomination.project
    found: list[Problem] = []
    closed = project_closed_reason(project, at)
    if closed:
        found.append(Problem("", _("申报时间"), closed))
    found += _required(nomination)
    if nomination.bureau == bureaus.NRTA_BUREAU and not rules.may_choose_nrta(nomination.organisation):
        found.append(
            Problem(
                "bureau",
                field_label("bureau"),
                _("只有中央直属单位可以选择国家广播电视总局作为申报台局，请选择本单位所在地的省级广播电视局。"),
            )
        )
    elif nomination.bureau and not bureaus.name(nomination.bureau):
        found.append(Problem("bureau", field_label("bureau"), _("请选择有效的申报台局。")))
    found += _dates(nomination, project)
    found += _durations(nomination)
    if nomination.platform_id is not None and nomination.platform.status != PlatformStatus.ACTIVE:
        found.append(
            Problem("platform", field_label("platform"), _("所选播出平台已停用，请选择持证和备案网络视听平台。"))
        )
    other = duplicate_of(nomination)
    if other is not None:
        found.append(Problem("name", field_label("name"), duplicate_message(nomination, other)))
    return found
