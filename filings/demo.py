"""Demo filings of 湖南示例文化传媒有限公司 (13800000001) in every state; called by ``manage.py demo``.

Idempotent: a programme that already exists (by name, for this unit) is left
as it is, so a re-run adds nothing. States are reached through the real
workflow (review.engine.perform), so reference numbers, review records,
notifications and certificates are the real ones.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User

from .enums import FilingKind, FilingState, MaterialItem, ReplayType, SessionType
from .models import Filing, FilingVersion, Material, Partner, Performer, Session

DEMO_PHONE = "13800000001"
REVIEWER = "mct-hunan"
MINISTRY = "mct-ministry"

# (name, kind, target state, complete, change)
PROGRAMMES = (
    ("“湘江之声”线上音乐会", FilingKind.DOMESTIC, FilingState.APPROVED, True, "pending"),
    ("星城戏曲云剧场", FilingKind.DOMESTIC, FilingState.APPROVED, True, None),
    ("橘子洲跨年晚会（网络直播）", FilingKind.DOMESTIC, FilingState.SUBMITTED, True, None),
    ("潇湘民乐线上专场", FilingKind.DOMESTIC, FilingState.REVIEWING, True, None),
    ("芙蓉国风网络演唱会", FilingKind.DOMESTIC, FilingState.RETURNED, True, None),
    ("岳麓山下脱口秀", FilingKind.DOMESTIC, FilingState.REJECTED, True, None),
    ("洞庭湖畔原创音乐节", FilingKind.DOMESTIC, FilingState.DRAFT, False, None),
    ("维也纳新年音乐会（网络转播）", FilingKind.IMPORT, FilingState.APPROVED, True, None),
    ("百老汇经典音乐剧线上展映", FilingKind.IMPORT, FilingState.SUBMITTED, True, None),
    # submitted, withdrawn, then given up: kept with its reference as 已作废 (never deleted)
    ("湘西苗歌网络专场", FilingKind.DOMESTIC, FilingState.VOIDED, True, None),
)
STEPS = {
    FilingState.DRAFT: [],
    FilingState.SUBMITTED: ["submit"],
    FilingState.REVIEWING: ["submit", "accept"],
    FilingState.APPROVED: ["submit", "accept", "approve"],
    FilingState.REJECTED: ["submit", "accept", "reject"],
    FilingState.RETURNED: ["submit", "accept", "return"],
    FilingState.VOIDED: ["submit", "withdraw", "void"],
}
COMMENTS = {
    "void": "演出计划取消，不再办理。",
    "reject": "节目内容不符合网络演出剧（节）目经营活动有关规定，不予备案。",
    "return": "请补充演出获得版权授权证明，并完善演出内容简介。",
}


def _pdf(title: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% demo: " + title.encode("utf-8") + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 200), (164, 22, 26)).save(buf, format="PNG")
    return buf.getvalue()


def _material(version: FilingVersion, item: str, name: str, content: bytes, content_type: str, user) -> None:
    material = Material(
        version=version,
        item=item,
        original_name=name,
        size=len(content),
        content_type=content_type,
        uploaded_by=user,
    )
    material.file.save(name, ContentFile(content), save=False)
    material.save()


def _fill(version: FilingVersion, name: str, kind: str, user, index: int) -> None:
    start = timezone.make_aware(datetime(2026, 12, 1 + index, 19, 30))
    version.name = name
    version.safety_officer = "李明"
    version.contact = "李明"
    version.first_recorded = index % 2 == 0
    version.video_url = f"https://video.example.cn/demo/{index}.mp4"
    version.replay = True
    version.replay_type = ReplayType.PERIOD if index % 2 else ReplayType.PERMANENT
    if version.replay_type == ReplayType.PERIOD:
        version.replay_from = date(2026, 12, 1)
        version.replay_to = date(2027, 3, 31)
    version.replay_url = f"https://replay.example.cn/demo/{index}"
    version.platform = "芒果示例视频平台"
    version.synopsis = f"《{name}》是一台面向全国网络观众的演出，内容积极健康，已完成内容自审。"
    version.joint_broadcast = index % 3 == 0
    version.pledged = True
    version.pledged_at = timezone.now()
    version.save()
    if kind == FilingKind.IMPORT:
        Performer.objects.create(version=version, position=1, name="维也纳爱乐乐团", country="AT", virtual=False)
        Performer.objects.create(version=version, position=2, name="香港管弦乐团", country="HK", virtual=False)
    else:
        Performer.objects.create(version=version, position=1, name="湖南示例民乐团", country="CN", virtual=False)
        Performer.objects.create(version=version, position=2, name="虚拟歌手“小湘”", country="CN", virtual=True)
    first = Session.objects.create(
        version=version,
        position=1,
        name="首场",
        type=SessionType.LIVE,
        starts_at=start,
        url=f"https://live.example.cn/demo/{index}/1",
    )
    Session.objects.create(
        version=version,
        position=2,
        name="重播场",
        type=SessionType.RECORDED,
        starts_at=start + timedelta(days=7),
        url=f"https://live.example.cn/demo/{index}/2",
    )
    if version.joint_broadcast:
        partner = Partner.objects.create(
            version=version,
            position=1,
            company="湖南联合网络科技有限公司",
            safety_officer="张安",
            contact="赵联",
            platform="联合示例直播平台",
        )
        partner.sessions.set([first])
    _material(version, MaterialItem.SELF_REVIEW, "自审报告.pdf", _pdf("self review"), "application/pdf", user)
    _material(version, MaterialItem.COPYRIGHT, "版权授权证明.pdf", _pdf("copyright"), "application/pdf", user)
    _material(version, MaterialItem.PROGRAMME_LIST, "演出节目单.png", _png(), "image/png", user)


def _create(org: Organisation, user: User, name: str, kind: str, complete: bool, index: int) -> Filing:
    from .services.editing import refresh_completion

    filing = Filing.objects.create(
        kind=kind, organisation=org, created_by=user, province=org.province, state=FilingState.DRAFT
    )
    version = FilingVersion.objects.create(
        filing=filing, number=1, created_by=user, filler=user, manager=user, email="liming@example.cn"
    )
    if complete:
        _fill(version, name, kind, user, index)
    else:
        version.name = name
        version.platform = "芒果示例视频平台"
        version.save(update_fields=["name", "platform"])
    filing.application_version = version
    filing.save(update_fields=["application_version"])
    refresh_completion(filing, version)
    return filing


def populate(stdout) -> None:
    from review.engine import perform

    from .services.changes import start_change
    from .services.editing import refresh_completion

    user = User.objects.filter(username=DEMO_PHONE).select_related("organisation").first()
    reviewer = User.objects.filter(username=REVIEWER).first()
    if user is None or user.organisation is None or reviewer is None:
        stdout.write("filings: 演示单位或审核账号不存在，跳过。")
        return
    org = user.organisation
    existing = set(FilingVersion.objects.filter(filing__organisation=org, number=1).values_list("name", flat=True))
    created = 0
    for index, (name, kind, state, complete, change) in enumerate(PROGRAMMES, start=1):
        if name in existing:
            continue
        with transaction.atomic():
            filing = _create(org, user, name, kind, complete, index)
            for step in STEPS[state]:
                actor = user if step in ("submit", "withdraw", "void") else reviewer
                filing = perform(filing, step, actor=actor, comment=COMMENTS.get(step, ""))
            if change == "pending":
                request = start_change(user, filing, ["programme", "sessions"])
                version = request.version
                version.platform = "芒果示例视频平台、示例短视频平台"
                version.synopsis += "（变更：新增一个播出平台。）"
                version.pledged = True
                version.save(update_fields=["platform", "synopsis", "pledged"])
                refresh_completion(request, version)
                perform(request, "submit", actor=user)
        created += 1
    stdout.write(f"filings: 演示网络演出剧（节）目 {created} 个（已存在的不重复创建）。")
