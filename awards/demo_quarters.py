"""The demo's quarters as a whole (``populate(stdout)``, called last by ``awards.demo.populate``).

``manage.py demo`` must show every feature of the recommendation at once,
relative to today (Beijing time). With A the quarter taking nominations, P the
one before and O the one before that:

* A — open to applicants (``awards.demo``: drafts and 待初审 of the demo units);
  one 退回修改 (the demo institution ``instdemo`` sees it in 待提交 with the
  reason) and one 未推荐 (``persondemo``), 申报 and decided through the services;
* the round officials see (``selectors.review_quarter``: A, or P until P's
  provincial deadline) — **in provincial review**: 湖南 has recommended 9 of its
  10 places and two more works wait 待初审 (``nrta-hunan`` can recommend one,
  then the next is refused naming the quota); a 中央直属单位's work reported to
  国家广播电视总局 directly (已推荐 without the provincial step);
* P — the expert round (``awards.demo_experts``: works in 专家评议, ``expert-1``
  assigned with works left to declare and score) and its 公示
  (``awards.demo_publication``: 入选 works, an objection pending);
* O — published with its certificates and one work withdrawn later
  (``awards.demo_publication``), plus one work 未入选 and one whose round
  closed before anyone reviewed it (逾期未审, closed by 系统).

So every ``NominationState`` has at least one nomination. Decisions go through
``review.engine.perform`` (the quota ledger, review records and notifications
are the real ones); works whose earlier steps are history are written in the
state those steps left them, with their review records, as the experts' demo
does. Idempotent: works are matched by (project, name) and left as they are.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from accounts.enums import OrganisationKind
from accounts.models import Organisation, User
from review.engine import SYSTEM, ReviewError, perform
from review.engine.sequences import next_value
from review.enums import Role
from review.models import ReviewRecord

from . import bureaus, calendar, demo_experts, demo_publication, selectors
from .enums import NominationState, ProjectKind, ReasonCategory, WorkType
from .models import Nomination, Platform, Project, QuotaLedger
from .names import normalise_name
from .services import nominations as nomination_services
from .services import quota
from .services.errors import AwardError
from .services.projects import open_quarter

S = NominationState
HUNAN = "430000"
OFFICIAL = "nrta-hunan"
MINISTRY = "nrta-ministry"

# 湖南's nine recommendations in the round under way: (work, unit, type, platform).
HUNAN_RECOMMENDED = (
    ("潇湘二十四节气", "湖南潇湘视听文化有限公司", WorkType.DOCUMENTARY, "芒果TV"),
    ("岳麓书声", "长沙岳麓网络传媒有限公司", WorkType.SHORT_VIDEO, "抖音"),
    ("十八洞村的春天", "湘西示例影视有限公司", WorkType.DOCUMENTARY, "芒果TV"),
    ("洞庭渔歌", "岳阳洞庭视听有限公司", WorkType.VARIETY, "腾讯视频"),
    ("花鼓戏新唱", "湖南花鼓网络文化有限公司", WorkType.LIVE, "哔哩哔哩"),
    ("张家界的云", "张家界峰林传媒有限公司", WorkType.MICRO_FILM, "优酷"),
    ("醴陵瓷语", "株洲醴陵视听工作室", WorkType.MICRO_DRAMA, "爱奇艺"),
    ("湘菜江湖", "湖南湘味网络视听有限公司", WorkType.VARIETY, "西瓜视频"),
    ("韶山红", "湘潭韶峰影视有限公司", WorkType.DRAMA, "咪咕视频"),
)
# Two more 湖南 works 待初审 in the round: the official may recommend one (10/10), the next is refused.
HUNAN_PENDING = (
    ("衡山云海", "衡阳南岳网络视听有限公司", WorkType.DOCUMENTARY, "腾讯视频"),
    ("湘绣人家", "湖南湘绣文化传播有限公司", WorkType.MICRO_FILM, "爱奇艺"),
)
# (username, work, type, episodes, episode minutes, platform, transition, reason, comment)
HUNAN_DECIDED = (
    (
        "instdemo",
        "橘子洲头的青年",
        WorkType.MICRO_DRAMA,
        12,
        "3",
        "芒果TV",
        "return",
        ReasonCategory.INCOMPLETE,
        "版权承诺书未加盖单位公章，请补充盖章后的扫描件再申报。",
    ),
    (
        "persondemo",
        "我的长沙早餐",
        WorkType.SHORT_VIDEO,
        8,
        "2",
        "抖音",
        "not_recommend",
        ReasonCategory.BROADCAST_DATES,
        "首播日期早于本季度播出时间范围，不符合推优范围。",
    ),
)
CENTRAL = ("中央示例广播电视新媒体中心", "新时代山乡巨变", WorkType.DOCUMENTARY, "咪咕视频")
# Quarter O: a work 未入选 after the expert round and one left 待初审 until the round closed.
NOT_SELECTED = ("大湘西的歌", "湘西示例影视有限公司", WorkType.VARIETY, "芒果TV")
CLOSED = ("城市微光", "湖南星城网络视听有限公司", WorkType.MICRO_FILM, "哔哩哔哩")


# --- helpers ----------------------------------------------------------------------------------------


def _pdf(title: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% demo pledge: " + title.encode("utf-8") + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _unit(name: str, *, province: str = HUNAN, central: bool = False) -> Organisation:
    unit = Organisation.objects.filter(kind=OrganisationKind.INSTITUTION, name=name).first()
    if unit is None:
        unit = Organisation.objects.create(
            kind=OrganisationKind.INSTITUTION, name=name, province=province, is_central=central
        )
    return unit


def _platform(name: str) -> Platform:
    platform, _created = Platform.objects.get_or_create(name=name)
    return platform


def _record(nomination: Nomination, transition: str, label: str, source: str, target: str, actor: str, at) -> None:
    """The review record of a step that is history (who: the unit, the bureau, or 系统)."""
    if actor == "系统":
        role = Role.SYSTEM
    elif transition.startswith("submit"):
        role = Role.APPLICANT
    else:
        role = Role.REVIEWER
    ReviewRecord.objects.create(
        content_type=ContentType.objects.get_for_model(Nomination),
        object_id=nomination.pk,
        kind=nomination.get_workflow_kind(),
        transition=transition,
        action_label=label,
        from_state=source,
        to_state=target,
        actor_name=actor,
        actor_role=role,
        at=at,
    )


def _written(
    project: Project,
    name: str,
    unit: Organisation,
    work_type: str,
    platform: str,
    *,
    state: str,
    bureau: str,
    submitted_at: datetime,
    offset: int,
    decided_at: datetime | None = None,
) -> Nomination:
    """A complete nomination written in ``state`` (its earlier steps are history), with its reference."""
    seq = next_value(f"ref:TY:{project.year}Q{project.quarter}:{bureau}")
    first = project.window_start + timedelta(days=5 + offset)
    if decided_at is None and state not in (S.DRAFT, S.RETURNED, S.PENDING):
        decided_at = submitted_at + timedelta(days=7)
    return Nomination.objects.create(
        project=project,
        year=project.year,
        quarter=project.quarter,
        kind=project.kind,
        organisation=unit,
        state=state,
        bureau=bureau,
        province=bureaus.province_of(bureau),
        name=name,
        normalised_name=normalise_name(name),
        work_type=work_type,
        episodes=6,
        episode_minutes=Decimal("30"),
        total_minutes=Decimal("180"),
        first_broadcast=first,
        broadcast_end=min(first + timedelta(days=30), project.window_end),
        platform=_platform(platform),
        copyright_owner=unit.name,
        producer=unit.name,
        maker=f"{unit.name}制作部",
        ref_seq=seq,
        reference=f"TY-{bureaus.abbr(bureau)}-{project.year}Q{project.quarter}-{seq:04d}",
        submitted_at=submitted_at,
        decided_at=decided_at,
    )


def _project(year: int, quarter: int, kind: str) -> Project:
    projects, _created = open_quarter(year, quarter)
    return next(p for p in projects if p.kind == kind)


def _submitted_at(project: Project, index: int) -> datetime:
    """Some hours after the project opened, one work after another (never in the future)."""
    return min(project.opens_at + timedelta(days=1, hours=index * 7), timezone.now() - timedelta(hours=1))


# --- quarter A: the provincial round --------------------------------------------------------------------


def _hunan_round(project: Project, official: User) -> None:
    """湖南's nine recommendations, each 推荐 through the engine (the ledger counts them), and two 待初审."""
    works = [(spec, True) for spec in HUNAN_RECOMMENDED] + [(spec, False) for spec in HUNAN_PENDING]
    for index, ((name, unit_name, work_type, platform), recommended) in enumerate(works):
        if Nomination.objects.filter(project=project, name=name).exists():
            continue
        at = _submitted_at(project, index)
        nomination = _written(
            project,
            name,
            _unit(unit_name),
            work_type,
            platform,
            state=S.PENDING,
            bureau=HUNAN,
            submitted_at=at,
            offset=index,
        )
        _record(nomination, "submit", "申报", S.DRAFT, S.PENDING, unit_name, at)
        if recommended:
            perform(nomination, "recommend", actor=official)


def _hunan_decided(projects: dict[str, Project], official: User) -> list[str]:
    """A 退回修改 for instdemo and a 未推荐 for persondemo: 申报 by the unit, then the official's decision."""
    lines = []
    for username, name, work_type, episodes, minutes, platform, transition, reason, comment in HUNAN_DECIDED:
        user = User.objects.filter(username__iexact=username).select_related("organisation").first()
        if user is None or user.organisation is None:
            continue
        kind = (
            ProjectKind.INDIVIDUAL if user.organisation.kind == OrganisationKind.INDIVIDUAL else ProjectKind.INSTITUTION
        )
        project = projects[kind]
        if Nomination.objects.filter(project=project, name=name).exists():
            continue
        each = Decimal(minutes)
        first = project.window_start + timedelta(days=12)
        values = {
            "bureau": HUNAN,
            "name": name,
            "work_type": work_type,
            "episodes": episodes,
            "episode_minutes": each,
            "total_minutes": each * episodes,
            "first_broadcast": first,
            "broadcast_end": min(first + timedelta(days=20), project.window_end),
            "platform": _platform(platform),
            "copyright_owner": user.organisation.name,
            "producer": user.organisation.name,
            "maker": user.organisation.name,
        }
        try:
            with transaction.atomic():
                nomination = nomination_services.save_draft(
                    user, values=values, project=project, pledge=ContentFile(_pdf(name), name="版权承诺书.pdf")
                )
                nomination = nomination_services.submit(user, nomination)
                perform(nomination, transition, actor=official, comment=comment, reason=reason)
        except (AwardError, ReviewError) as exc:  # e.g. the applicant window closed since
            lines.append(f"{name}：未能创建（{exc.message}）")
            continue
        nomination.refresh_from_db()
        lines.append(f"{username} {name}：{nomination.get_state_display()}（{ReasonCategory(reason).label}）")
    return lines


def _central(project: Project) -> None:
    """A 中央直属单位's work reported to 国家广播电视总局 directly (已推荐 with no provincial step)."""
    unit_name, name, work_type, platform = CENTRAL
    if Nomination.objects.filter(project=project, name=name).exists():
        return
    unit = _unit(unit_name, province="110000", central=True)
    at = _submitted_at(project, 12)
    nomination = _written(
        project,
        name,
        unit,
        work_type,
        platform,
        state=S.RECOMMENDED,
        bureau=bureaus.NRTA_BUREAU,
        submitted_at=at,
        offset=3,
        decided_at=at,  # the central unit's own initial check is the decision
    )
    _record(nomination, "submit_to_nrta", "申报", S.DRAFT, S.RECOMMENDED, unit_name, at)


# --- quarter O: what the expert round and the closed round left ------------------------------------------


def _old_quarter(year: int, quarter: int, ministry: User | None) -> None:
    project = _project(year, quarter, ProjectKind.INSTITUTION)
    start = calendar.start_of_day(project.applicant_deadline) - timedelta(days=10)
    name, unit_name, work_type, platform = CLOSED
    if not Nomination.objects.filter(project=project, name=name).exists():
        nomination = _written(
            project,
            name,
            _unit(unit_name),
            work_type,
            platform,
            state=S.PENDING,
            bureau=HUNAN,
            submitted_at=start,
            offset=20,
        )
        _record(nomination, "submit", "申报", S.DRAFT, S.PENDING, unit_name, start)
        perform(nomination, "close_round", actor=SYSTEM)  # what close_rounds did at the provincial deadline
    name, unit_name, work_type, platform = NOT_SELECTED
    if ministry is not None and not Nomination.objects.filter(project=project, name=name).exists():
        nomination = _written(
            project,
            name,
            _unit(unit_name),
            work_type,
            platform,
            state=S.IN_EXPERT_REVIEW,
            bureau=HUNAN,
            submitted_at=start,
            offset=25,
        )
        recommended = start + timedelta(days=7)
        _record(nomination, "submit", "申报", S.DRAFT, S.PENDING, unit_name, start)
        _record(nomination, "recommend", "推荐", S.PENDING, S.RECOMMENDED, bureaus.name(HUNAN), recommended)
        _record(
            nomination, "start_expert_review", "转入专家评议", S.RECOMMENDED, S.IN_EXPERT_REVIEW, "系统", recommended
        )
        perform(nomination, "not_select", actor=ministry)


# --- the quota ledger of the works written past 推荐 ------------------------------------------------------


# States a work reaches only through 推荐 (its place stays taken: nothing gives it back).
PAST_RECOMMEND = (S.RECOMMENDED, S.IN_EXPERT_REVIEW, S.SELECTED, S.NOT_SELECTED, S.PUBLISHED, S.WITHDRAWN)


def _history_ledgers(review: selectors.Quarter | None = None) -> None:
    """The ledger rows the 推荐 of the works written in later states would have left (``quota.reserve``).

    The expert round, 公示 and the old quarter write their works past 推荐 without the transition, so
    their quarters had no ledger row: 已推荐 0 with works recommended. A row's ``used`` is raised to the
    count of its province's recommended works (central units' works take no place), the limit with it
    if the demo wrote more than the default. The round under way (``review``) is left alone: its ledger is
    the real transitions' (湖南 at 9/10, one place left for ``nrta-hunan``).
    """
    counts = (
        Nomination.objects.filter(state__in=PAST_RECOMMEND)
        .exclude(bureau=bureaus.NRTA_BUREAU)
        .exclude(province="")
        .values_list("year", "quarter", "province")
        .annotate(n=models.Count("pk"))
        .order_by()
    )
    for year, quarter, province, n in counts:
        if review is not None and (year, quarter) == (review.year, review.quarter):
            continue
        ledger, _created = QuotaLedger.objects.get_or_create(year=year, quarter=quarter, province=province)
        if ledger.used < n:
            ledger.used = n
            ledger.limit = max(ledger.limit, n)
            ledger.save(update_fields=["used", "limit"])


# --- the whole ---------------------------------------------------------------------------------------------


def populate(stdout) -> None:
    demo_experts.populate(stdout)
    demo_publication.populate(stdout)
    today = calendar.beijing_date(timezone.now())
    year, quarter = calendar.applicant_quarter(today)
    # The round officials see (selectors.review_quarter): A, or P until P's provincial deadline.
    review = selectors.review_quarter()
    old = calendar.previous_quarter(*calendar.previous_quarter(year, quarter))
    official = User.objects.filter(username=OFFICIAL).first()
    ministry = User.objects.filter(username=MINISTRY).first()
    with transaction.atomic():
        projects = {kind: _project(year, quarter, kind) for kind in ProjectKind.values}
        in_review = _project(review.year, review.quarter, ProjectKind.INSTITUTION)
        if official is not None:
            _hunan_round(in_review, official)
        _central(in_review)
        _old_quarter(*old, ministry)
    lines = _hunan_decided(projects, official) if official is not None else []
    _history_ledgers(review)
    usage = quota.usage(review.year, review.quarter, HUNAN)
    stdout.write(f"省级初审演示数据（{review.label}，初审截止 {in_review.provincial_deadline} 23:59:59）：")
    stdout.write(f"  湖南省推荐名额 已推荐 {usage}，nrta-hunan 还可推荐 {usage.left} 件")
    for line in lines:
        stdout.write(f"  {line}")
    stdout.write(f"  {old[0]}年第{old[1]}季度：未入选 1 件、逾期未审 1 件")
