"""Demo data of the NRTA recommendation; called by ``manage.py demo`` after the accounts.

* the 持证和备案网络视听平台 list (爱奇艺, 腾讯视频, 优酷, 芒果TV, 哔哩哔哩, 抖音 …);
* the quarter taking nominations today (and the next one once due), through
  ``open_quarter`` – so its applicant window contains today;
* a few nominations of the demo institution (instdemo), individual
  (persondemo) and enterprise unit (13800000001): drafts and 待初审 ones.

Idempotent: platforms are matched by name, nominations by (unit, project,
name); an existing nomination is left as it is. 待初审 is reached through the
real workflow (``services.nominations.submit``), so reference numbers and
review records are the real ones.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User

from . import demo_quarters
from .enums import NominationState, PlatformStatus, ProjectKind, WorkType
from .models import Nomination, Platform, Project
from .services import nominations as services
from .services.errors import AwardError
from .services.projects import open_due_quarters
from .services.validation import project_closed_reason

PLATFORMS = (
    ("爱奇艺", "信息网络传播视听节目许可证 0110531号"),
    ("腾讯视频", "信息网络传播视听节目许可证 0305081号"),
    ("优酷", "信息网络传播视听节目许可证 0108305号"),
    ("芒果TV", "信息网络传播视听节目许可证 1810530号"),
    ("哔哩哔哩", "信息网络传播视听节目许可证 0910417号"),
    ("抖音", "网络视听节目服务备案 11000012345678号"),
    ("咪咕视频", "信息网络传播视听节目许可证 0102503号"),
    ("西瓜视频", "网络视听节目服务备案 11000023456789号"),
)

# (username, work name, work type, episodes, episode minutes, platform, submit?)
NOMINATIONS = (
    ("instdemo", "湘江岸边的守望者", WorkType.DOCUMENTARY, 6, "45", "芒果TV", True),
    ("instdemo", "乡村振兴路上的新农人", WorkType.VARIETY, 10, "60", "腾讯视频", False),
    ("persondemo", "外婆家的非遗手艺", WorkType.SHORT_VIDEO, 12, "3", "抖音", True),
    ("persondemo", "我的支教一年", WorkType.MICRO_FILM, 1, "25", "哔哩哔哩", False),
    ("13800000001", "洞庭之歌", WorkType.MICRO_DRAMA, 20, "2", "爱奇艺", True),
)


def _pdf(title: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% demo pledge: " + title.encode("utf-8") + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _platforms() -> dict[str, Platform]:
    result = {}
    for name, number in PLATFORMS:
        platform, _created = Platform.objects.update_or_create(
            name=name, defaults={"licence_or_filing_number": number, "status": PlatformStatus.ACTIVE}
        )
        result[name] = platform
    return result


def _nominate(user: User, project: Project, spec: tuple, platforms: dict[str, Platform]) -> str:
    _username, name, work_type, episodes, minutes, platform, submit = spec
    existing = Nomination.objects.filter(organisation_id=user.organisation_id, project=project, name=name).first()
    if existing is not None:
        return f"{name}：已存在（{existing.get_state_display()}）"
    each = Decimal(minutes)
    first = project.window_start + timedelta(days=20)
    values = {
        "bureau": user.organisation.province or "430000",
        "name": name,
        "work_type": work_type,
        "episodes": episodes,
        "episode_minutes": each,
        "total_minutes": each * episodes,
        "first_broadcast": first,
        "broadcast_end": min(first + timedelta(days=30), project.window_end),
        "platform": platforms[platform],
        "copyright_owner": user.organisation.name,
        "producer": user.organisation.name,
        "maker": user.organisation.name,
    }
    nomination = services.save_draft(
        user, values=values, project=project, pledge=ContentFile(_pdf(name), name="版权承诺书.pdf")
    )
    if not submit:
        return f"{name}：草稿"
    try:
        nomination = services.submit(user, nomination)
    except AwardError as exc:  # e.g. the window has closed since
        return f"{name}：草稿（未能申报：{exc.message}）"
    return f"{name}：{NominationState(nomination.state).label}（{nomination.reference}）"


def populate(stdout) -> None:
    with transaction.atomic():
        platforms = _platforms()
        projects, created = open_due_quarters()
    open_now = [p for p in projects if project_closed_reason(p) == ""]
    lines = [f"推优项目：{', '.join(p.title for p in projects)}（新建 {created} 个）"]
    for spec in NOMINATIONS:
        user = User.objects.filter(username__iexact=spec[0]).select_related("organisation").first()
        if user is None or user.organisation is None:
            continue
        kind = ProjectKind.INDIVIDUAL if user.organisation.kind == "individual" else ProjectKind.INSTITUTION
        project = next((p for p in open_now if p.kind == kind), None)
        if project is None:
            continue
        with transaction.atomic():
            lines.append(f"  {user.username} {_nominate(user, project, spec, platforms)}")
    stdout.write("网络视听节目季度推优演示数据：")
    for line in lines:
        stdout.write(f"  {line}")
    demo_quarters.populate(stdout)  # the other quarters: provincial review, expert round, 公示, published
