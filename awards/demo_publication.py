"""Demo data of the publication step (``populate(stdout)``, idempotent), relative to today:

* three quarters back: published (its 公示 ended) with one work withdrawn later,
  so its certificates exist and one verifies as 已注销;
* two quarters back: decided works in 公示 from yesterday for five days, with one
  objection waiting to be disposed of.

The works are created in their decided state (the expert round is demonstrated
elsewhere); 公示, 公布 and 撤销 go through ``awards.services.publication``.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User

from . import calendar
from .enums import NominationState, ProjectKind, WorkType
from .models import Nomination, Objection, Platform, Publicity
from .names import normalise_name
from .services import publication
from .services.projects import open_quarter

S = NominationState
# (the demo account whose unit nominated it, or a unit name of its own; kind, work, type, platform, bureau)
PUBLISHED_WORKS = (
    ("@instdemo", ProjectKind.INSTITUTION, "湘江岸边的守望者", WorkType.DOCUMENTARY, "芒果TV", "430000"),
    ("北京光影视听文化有限公司", ProjectKind.INSTITUTION, "胡同里的新年", WorkType.MICRO_DRAMA, "爱奇艺", "110000"),
    ("上海浦江网络视听有限公司", ProjectKind.INSTITUTION, "江海之间", WorkType.VARIETY, "哔哩哔哩", "310000"),
    ("@persondemo", ProjectKind.INDIVIDUAL, "外婆家的非遗手艺", WorkType.SHORT_VIDEO, "抖音", "430000"),
)
WITHDRAWN = "江海之间"
PUBLICITY_WORKS = (
    ("@instdemo", ProjectKind.INSTITUTION, "洞庭湖畔的候鸟", WorkType.DOCUMENTARY, "芒果TV", "430000"),
    ("广东南粤视听传媒有限公司", ProjectKind.INSTITUTION, "湾区青年说", WorkType.LIVE, "腾讯视频", "440000"),
    ("@persondemo", ProjectKind.INDIVIDUAL, "我的支教一年", WorkType.MICRO_FILM, "哔哩哔哩", "430000"),
)


def _unit(name: str, kind: str) -> Organisation:
    """The demo account's unit ("@instdemo"), or a unit of that name (created once)."""
    if name.startswith("@"):
        user = User.objects.filter(username__iexact=name[1:]).select_related("organisation").first()
        if user is not None and user.organisation is not None:
            return user.organisation
        name = {"@instdemo": "湖南示例网络视听机构（演示）", "@persondemo": "个人申报人（演示）"}.get(name, name[1:])
    unit = Organisation.objects.filter(name=name).first()
    if unit is None:
        unit = Organisation.objects.create(
            name=name, kind="individual" if kind == ProjectKind.INDIVIDUAL else "institution", province="430000"
        )
    return unit


def _work(year: int, quarter: int, spec: tuple, seq: int) -> Nomination:
    unit_name, kind, name, work_type, platform_name, bureau = spec
    existing = Nomination.objects.filter(year=year, quarter=quarter, name=name).first()
    if existing is not None:
        return existing
    projects, _created = open_quarter(year, quarter)
    project = next(p for p in projects if p.kind == kind)
    platform, _ = Platform.objects.get_or_create(name=platform_name)
    unit = _unit(unit_name, kind)
    now = timezone.now()
    first = project.window_start + timedelta(days=10)
    return Nomination.objects.create(
        project=project,
        year=year,
        quarter=quarter,
        kind=kind,
        organisation=unit,
        state=S.SELECTED,
        bureau=bureau,
        province=bureau,
        name=name,
        normalised_name=normalise_name(name),
        work_type=work_type,
        episodes=6,
        episode_minutes=30,
        total_minutes=180,
        first_broadcast=first,
        broadcast_end=first + timedelta(days=30),
        platform=platform,
        copyright_owner=unit.name,
        producer=unit.name,
        maker=unit.name,
        ref_seq=900 + seq,
        reference=f"TY-DEMO-{year}Q{quarter}-{900 + seq:04d}",
        submitted_at=now - timedelta(days=80),
        decided_at=now - timedelta(days=20),
    )


def populate(stdout) -> None:
    today = publication.beijing_today()
    # The quarter before the one taking nominations is in 专家评议 (demo_experts): 公示 is the one before it.
    year, quarter = calendar.previous_quarter(*calendar.previous_quarter(*calendar.applicant_quarter(today)))
    old_year, old_quarter = calendar.previous_quarter(year, quarter)
    staff = User.objects.filter(username="nrta-ministry").first()
    lines = []
    with transaction.atomic():
        # The quarter before last: published, one work withdrawn.
        for seq, spec in enumerate(PUBLISHED_WORKS):
            _work(old_year, old_quarter, spec, seq)
        done, _created = Publicity.objects.get_or_create(
            year=old_year,
            quarter=old_quarter,
            defaults={
                "starts_on": today - timedelta(days=20),
                "ends_on": today - timedelta(days=15),
                "opened_by": staff,
            },
        )
        if done.published_at is None:
            count = publication.publish_quarter(done, actor=publication.SYSTEM)
            lines.append(f"{old_year}Q{old_quarter}：已公布 {count} 件")
    # Its certificates are issued once that commits; then one work is withdrawn (its certificate 注销).
    with transaction.atomic():
        withdrawn = Nomination.objects.filter(year=old_year, quarter=old_quarter, name=WITHDRAWN).first()
        if staff is not None and withdrawn is not None and withdrawn.state == S.PUBLISHED:
            publication.withdraw_result(withdrawn, reason="经核查，该作品存在版权纠纷，撤销其入选资格。", actor=staff)
            lines.append(f"{old_year}Q{old_quarter}：已撤销《{WITHDRAWN}》")
    with transaction.atomic():
        # Last quarter: in 公示 (from yesterday, five days), one objection pending.
        works = [_work(year, quarter, spec, seq) for seq, spec in enumerate(PUBLICITY_WORKS)]
        open_now, created = Publicity.objects.get_or_create(
            year=year,
            quarter=quarter,
            defaults={
                "starts_on": today - timedelta(days=1),
                "ends_on": today - timedelta(days=1) + timedelta(days=publication.publicity_days()),
                "opened_by": staff,
            },
        )
        if created:
            Objection.objects.create(
                publicity=open_now,
                nomination=works[1],
                contact_name="王建国",
                contact_phone="13812345678",
                contact_email="wang@example.cn",
                reason="该作品首播日期早于推荐季度，请核实。",
            )
            lines.append(f"{year}Q{quarter}：公示中（{open_now.starts_on} 至 {open_now.ends_on}），1 件异议待处理")
    stdout.write("公示与公布演示数据：")
    for line in lines or ["（已存在）"]:
        stdout.write(f"  {line}")
