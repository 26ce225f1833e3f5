"""Demo data of the expert round (``populate(stdout)``, for ``manage.py demo`` after ``awards.demo``).

The quarter before the one taking nominations is put in 专家评议: a dozen
recommended works from demo units, seven NRTA experts assigned to it
(``expert-1`` of the demo accounts and ``expert-2`` … ``expert-7``, created
here when missing), most works scored by six of them so that ``expert-1``
still has works to declare and score, one work below the quorum, one work
whose 出品机构 is ``expert-1``'s organisation (an automatic conflict: it never
shows in their list). Idempotent: works are matched by (project, name),
assignments by (quarter, expert), scores by (assignment, work).

The works are written directly in their state (the round they come from is
closed): each gets a reference number from the real counter and the review
records of its way there.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.enums import Authority, OrganisationKind, StaffLevel
from accounts.models import Organisation, User
from accounts.services.staff import create_staff
from review.engine.sequences import next_value
from review.models import ReviewRecord

from . import bureaus, calendar
from .enums import Criterion, NominationState, ProjectKind, WorkType
from .models import ConflictDeclaration, ExpertAssignment, Nomination, Platform, Score
from .services.projects import open_quarter

EXPERTS = (
    ("expert-1", "评审专家一", "中国传媒大学"),
    ("expert-2", "评审专家二", "北京师范大学"),
    ("expert-3", "评审专家三", "中国艺术研究院"),
    ("expert-4", "评审专家四", "上海戏剧学院"),
    ("expert-5", "评审专家五", "浙江传媒学院"),
    ("expert-6", "评审专家六", "中国电影家协会"),
    ("expert-7", "评审专家七", "中央戏剧学院"),
)
# (work, unit, province bureau, type, platform, producer, scores of expert-2 … expert-7)
WORKS = (
    ("大河之北", "河北广电示例传媒", "130000", WorkType.DOCUMENTARY, "爱奇艺", None, (92, 90, 95, 88, 91, 93)),
    ("山海情深", "福建示例影视", "350000", WorkType.DRAMA, "腾讯视频", None, (89, 94, 90, 92, 87, 90)),
    ("村里来了新青年", "贵州示例文化", "520000", WorkType.VARIETY, "芒果TV", None, (85, 80, 88, 86, 84, 83)),
    ("非遗里的中国", "湖南示例网络视听机构", "430000", WorkType.SHORT_VIDEO, "抖音", None, (90, 70, 95, 60, 85, 88)),
    ("星火燎原", "江西示例传媒", "360000", WorkType.ANIMATION, "哔哩哔哩", None, (78, 82, 80, 79, 81, 80)),
    ("长江边的课堂", "湖北示例教育传媒", "420000", WorkType.MICRO_FILM, "优酷", None, (88, 88, 88, 88, 88, 88)),
    ("丝路驼铃", "甘肃示例影视", "620000", WorkType.FILM, "爱奇艺", None, (86, 91, 89, 90, 85, 87)),
    ("新时代的追梦人", "广东示例网络视听", "440000", WorkType.MICRO_DRAMA, "西瓜视频", None, (75, 72, 80, 77, 74, 76)),
    ("边疆的守护", "新疆示例文化传媒", "650000", WorkType.DOCUMENTARY, "咪咕视频", None, (93, 95, 94, 92, 96, 94)),
    ("夜读经典", "上海示例音频", "310000", WorkType.AUDIO, "优酷", None, (70, 90)),  # below the quorum
    ("传媒学子说", "北京示例新媒体", "110000", WorkType.SHORT_VIDEO, "抖音", "中国传媒大学", (80, 82, 84, 81, 83, 85)),
    ("岭南烟火", "广东示例美食频道", "440000", WorkType.VARIETY, "腾讯视频", None, ()),
)


def _experts() -> list[tuple[User, str]]:
    result = []
    for username, full_name, organisation in EXPERTS:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            user = create_staff(
                None,
                username,
                full_name,
                Authority.NRTA,
                StaffLevel.EXPERT,
                password="Demo2026portal",
                system=True,
            ).user
        result.append((user, organisation))
    return result


def _unit(name: str, province: str) -> Organisation:
    unit = Organisation.objects.filter(kind=OrganisationKind.INSTITUTION, name=name).first()
    return unit or Organisation.objects.create(kind=OrganisationKind.INSTITUTION, name=name, province=province)


def _record(nomination: Nomination, transition: str, label: str, source: str, target: str, actor_name: str, at) -> None:
    ReviewRecord.objects.create(
        content_type=ContentType.objects.get_for_model(Nomination),
        object_id=nomination.pk,
        kind=nomination.get_workflow_kind(),
        transition=transition,
        action_label=label,
        from_state=source,
        to_state=target,
        actor_name=actor_name,
        actor_role="system" if actor_name == "系统" else "",
        at=at,
    )


def _work(project, spec, platforms: dict[str, Platform], submitted_at) -> Nomination:
    name, unit_name, bureau, work_type, platform, producer, _scores = spec
    existing = Nomination.objects.filter(project=project, name=name).first()
    if existing is not None:
        return existing
    unit = _unit(unit_name, bureau)
    seq = next_value(f"ref:TY:{project.year}Q{project.quarter}:{bureau}")
    first = project.window_start + timedelta(days=10)
    nomination = Nomination.objects.create(
        project=project,
        year=project.year,
        quarter=project.quarter,
        kind=project.kind,
        organisation=unit,
        state=NominationState.IN_EXPERT_REVIEW,
        bureau=bureau,
        province=bureau,
        name=name,
        normalised_name=name,
        work_type=work_type,
        episodes=10,
        episode_minutes=Decimal("30"),
        total_minutes=Decimal("300"),
        first_broadcast=first,
        broadcast_end=min(first + timedelta(days=40), project.window_end),
        platform=platforms.get(platform),
        copyright_owner=unit_name,
        producer=producer or unit_name,
        maker=f"{unit_name}制作部",
        ref_seq=seq,
        reference=f"TY-{bureaus.abbr(bureau)}-{project.year}Q{project.quarter}-{seq:04d}",
        submitted_at=submitted_at,
        decided_at=submitted_at + timedelta(days=10),
    )
    S = NominationState
    _record(nomination, "submit", "申报", S.DRAFT, S.PENDING, unit_name, submitted_at)
    recommended = submitted_at + timedelta(days=10)
    _record(nomination, "recommend", "推荐", S.PENDING, S.RECOMMENDED, bureaus.name(bureau), recommended)
    _record(nomination, "start_expert_review", "转入专家评议", S.RECOMMENDED, S.IN_EXPERT_REVIEW, "系统", recommended)
    return nomination


def populate(stdout) -> None:
    today = calendar.beijing_date(timezone.now())
    year, quarter = calendar.previous_quarter(*calendar.applicant_quarter(today))
    with transaction.atomic():
        projects, _created = open_quarter(year, quarter)
        project = next(p for p in projects if p.kind == ProjectKind.INSTITUTION)
        platforms = {p.name: p for p in Platform.objects.all()}
        experts = _experts()
        ministry = User.objects.filter(username="nrta-ministry").first()
        assignments = []
        for user, organisation in experts:
            assignment, _ = ExpertAssignment.objects.get_or_create(
                year=year,
                quarter=quarter,
                expert=user,
                defaults={"organisation_name": organisation, "assigned_by": ministry},
            )
            assignments.append(assignment)
        start = calendar.start_of_day(project.applicant_deadline) - timedelta(days=20)
        criteria = Criterion.values
        for index, spec in enumerate(WORKS):
            nomination = _work(project, spec, platforms, start + timedelta(hours=index * 5))
            for offset, value in enumerate(spec[6]):
                assignment = assignments[offset + 1]  # expert-1 scores nothing yet
                ConflictDeclaration.objects.get_or_create(
                    assignment=assignment, nomination=nomination, defaults={"has_conflict": False}
                )
                Score.objects.get_or_create(
                    assignment=assignment,
                    nomination=nomination,
                    defaults={
                        "score": value,
                        "criteria": [criteria[(index + offset) % len(criteria)], criteria[index % len(criteria)]],
                        "comment": "主题鲜明，制作精良。" if value >= 85 else "立意较好，表现手法有待提高。",
                    },
                )
    stdout.write(
        f"  专家评议：{year}年第{quarter}季度 {len(WORKS)} 件作品，{len(EXPERTS)} 位专家（expert-1 … expert-7）"
    )
