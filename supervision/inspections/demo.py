"""Demo 日常巡查 for mct-hunan: in 湖南示例文化传媒有限公司 (13800000001) a domestic draft whose first session
was 40 days ago (逾期未备案), an imported draft with a session started 3 days ago (未经批准擅自提供) and a
domestic draft 25 days after its first session (the applicant sees the 7-day warning); the refresh job opens
the cases; mct-hunan records a 巡查发现 with a screenshot as evidence and a disposal note (已约谈).
Dates are relative to the day ``manage.py demo`` runs. Called by ``manage.py demo``; a re-run adds nothing."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from filings.enums import FilingKind, FilingState, SessionType
from filings.models import Filing, FilingVersion, Performer, Session

from . import services
from .enums import CaseKind, CaseStatus
from .models import InspectionCase
from .refresh import refresh

DEMO_PHONE = "13800000001"
OFFICIAL = "mct-hunan"
# (name, kind, days since the first session, performer country)
PROGRAMMES = (
    ("湘江夜话·线上曲艺专场", FilingKind.DOMESTIC, 40, "CN"),
    ("柏林爱乐线上音乐季（湖南转播）", FilingKind.IMPORT, 3, "DE"),
    ("湘韵·网络民乐会", FilingKind.DOMESTIC, 25, "CN"),
)
FINDING = {
    "platform": "某短视频平台",
    "url": "https://live.example.cn/room/889900",
    "programme_name": "“夜色长沙”付费直播演唱会",
    "unit_name": "长沙夜色文化传播有限公司",
    "description": "巡查发现该直播间于晚间开展付费网络演出，平台页面未显示备案编号，经查询无备案记录。",
}
FINDING_CREDIT_CODE = "91430100MA4L8YX2KP"
NOTE = "已电话约谈该单位负责人，责令暂停该场直播并于7日内补办备案手续。"


def _png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 270), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 460, 250), outline=(160, 30, 30), width=4)
    draw.text((40, 120), "screenshot 2026 live room 889900", fill=(60, 60, 60))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _draft(org, user, name: str, kind: str, days_ago: int, country: str) -> Filing:
    starts = timezone.now() - timedelta(days=days_ago, hours=2)
    filing = Filing.objects.create(
        kind=kind, organisation=org, created_by=user, province=org.province, state=FilingState.DRAFT
    )
    version = FilingVersion.objects.create(
        filing=filing,
        number=1,
        created_by=user,
        filler=user,
        manager=user,
        email="liming@example.cn",
        name=name,
        platform="芒果示例视频平台",
        safety_officer="李明",
        contact="李明",
    )
    Performer.objects.create(version=version, position=1, name="示例演出团体", country=country, virtual=False)
    Session.objects.create(
        version=version,
        position=1,
        name="首场",
        type=SessionType.LIVE,
        starts_at=starts,
        url="https://live.example.cn/demo/overdue",
    )
    filing.application_version = version
    filing.save(update_fields=["application_version"])
    return filing


def populate(stdout) -> None:
    applicant = User.objects.filter(username=DEMO_PHONE).select_related("organisation").first()
    official = User.objects.filter(username=OFFICIAL).first()
    if applicant is None or applicant.organisation is None or official is None:
        stdout.write("inspections demo: the demo unit or mct-hunan is missing; skipped")
        return
    org = applicant.organisation
    existing = set(FilingVersion.objects.filter(filing__organisation=org, number=1).values_list("name", flat=True))
    with transaction.atomic():
        for name, kind, days_ago, country in PROGRAMMES:
            if name not in existing:
                _draft(org, applicant, name, kind, days_ago, country)
    result = refresh()
    if not InspectionCase.objects.filter(kind=CaseKind.PATROL, url=FINDING["url"]).exists():
        case = services.record_finding(
            official,
            credit_code=FINDING_CREDIT_CODE,
            found_on=timezone.localdate() - timedelta(days=2),
            files=[SimpleUploadedFile("直播间截图.png", _png(), content_type="image/png")],
            **FINDING,
        )
        services.dispose(official, case, status=CaseStatus.INTERVIEWED, note=NOTE)
    stdout.write(
        "inspections demo: {opened} case(s) opened, {reminders} reminder(s); 巡查发现 “{name}” 已约谈".format(
            name=FINDING["programme_name"], **result.as_dict()
        )
    )
