"""Factories for filings: complete applications in any state, change requests, materials."""

from __future__ import annotations

import io
import struct
from datetime import UTC, date, datetime

import factory
from django.core.files.base import ContentFile

from filings.enums import FilingKind, FilingState, MaterialItem, ReplayType, SessionType
from filings.models import ChangeRequest, Filing, FilingVersion, Material, Partner, Performer, Session
from filings.services.editing import refresh_completion
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    """A small valid PNG made with Pillow."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 30, 200)).save(buf, format="JPEG")
    return buf.getvalue()


def pdf_bytes(text: str = "self review") -> bytes:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% " + text.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body


def mp4_bytes() -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    mdat = struct.pack(">I", 16) + b"mdat" + b"\x00" * 8
    return ftyp + mdat


def flv_bytes() -> bytes:
    return b"FLV\x01\x05\x00\x00\x00\x09" + b"\x00" * 32


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def truncated_png() -> bytes:
    data = png_bytes(64, 64)
    return data[: len(data) // 2]


class EnterpriseFactory(OrganisationFactory):
    """An activated enterprise unit in 湖南."""

    activated = True


def applicant(organisation=None, **kwargs):
    organisation = organisation or EnterpriseFactory()
    return ApplicantFactory(organisation=organisation, **kwargs)


def official(province: str = "430000", **kwargs):
    return StaffFactory(profile__authority="mct", profile__level="province", profile__province=province, **kwargs)


def ministry(**kwargs):
    return StaffFactory(profile__authority="mct", profile__level="ministry", **kwargs)


class FilingVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FilingVersion

    number = 1
    email = "filing@example.cn"
    name = factory.Sequence(lambda n: f"云端音乐会第{n}季")
    safety_officer = "李安全"
    contact = "王联系"
    first_recorded = False
    video_url = "https://video.example.cn/download/1.mp4"
    replay = True
    replay_type = ReplayType.PERIOD
    replay_from = date(2026, 3, 1)
    replay_to = date(2026, 6, 30)
    replay_url = "https://replay.example.cn/1"
    platform = "示例视频平台"
    synopsis = "一场面向全国观众的线上音乐会。"
    joint_broadcast = False
    pledged = True


def fill_version(version: FilingVersion, *, materials: bool = True) -> FilingVersion:
    """Rows and materials that make a version complete."""
    Performer.objects.create(version=version, position=1, name="示例乐团", country="CN", virtual=False)
    Session.objects.create(
        version=version,
        position=1,
        name="第一场",
        type=SessionType.LIVE,
        starts_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        url="https://live.example.cn/1",
    )
    if materials:
        for item in (MaterialItem.SELF_REVIEW, MaterialItem.COPYRIGHT):
            add_material(version, item, "报告.pdf", pdf_bytes())
    return version


def add_material(version, item, name, content: bytes, content_type="application/pdf") -> Material:
    material = Material(version=version, item=item, original_name=name, size=len(content), content_type=content_type)
    material.file.save(name, ContentFile(content), save=False)
    material.save()
    return material


def make_filing(
    *,
    organisation=None,
    kind: str = FilingKind.DOMESTIC,
    state: str = FilingState.DRAFT,
    complete: bool = True,
    by=None,
    **version_fields,
) -> Filing:
    """A filing in ``state`` reached through the real workflow (submit/accept/approve …)."""
    from review.engine import perform

    if organisation is None:
        organisation = by.organisation if by is not None else EnterpriseFactory()
    user = by or applicant(organisation)
    filing = Filing.objects.create(
        kind=kind,
        organisation=organisation,
        created_by=user,
        province=organisation.province,
        state=FilingState.DRAFT,
    )
    defaults = {"filler": user, "manager": user}
    defaults.update(version_fields)
    version = FilingVersionFactory(filing=filing, **defaults)
    if complete:
        fill_version(version)
    filing.application_version = version
    filing.save(update_fields=["application_version"])
    refresh_completion(filing, version)
    steps = {
        FilingState.DRAFT: [],
        FilingState.SUBMITTED: ["submit"],
        FilingState.REVIEWING: ["submit", "accept"],
        FilingState.APPROVED: ["submit", "accept", "approve"],
        FilingState.REJECTED: ["submit", "accept", "reject"],
        FilingState.RETURNED: ["submit", "accept", "return"],
    }[state]
    reviewer = None
    for step in steps:
        if step == "submit":
            actor = user
        else:
            reviewer = reviewer or official(organisation.province)
            actor = reviewer
        filing = perform(filing, step, actor=actor, comment="请补充材料" if step in ("reject", "return") else "")
    return Filing.objects.select_related("application_version", "current_version", "organisation").get(pk=filing.pk)


def make_change(filing: Filing, *, by=None, parts=("programme",), state: str = FilingState.DRAFT, **changes):
    """A change request of an approved filing, with ``changes`` applied to its new version."""
    from filings.services.changes import start_change
    from review.engine import perform

    user = by or filing.organisation.members.first()
    change = start_change(user, filing, list(parts))
    if changes:
        FilingVersion.objects.filter(pk=change.version_id).update(**changes)
    FilingVersion.objects.filter(pk=change.version_id).update(pledged=True)
    change.refresh_from_db()
    refresh_completion(change, change.version)
    steps = {
        FilingState.DRAFT: [],
        FilingState.SUBMITTED: ["submit"],
        FilingState.REVIEWING: ["submit", "accept"],
        FilingState.APPROVED: ["submit", "accept", "approve"],
        FilingState.REJECTED: ["submit", "accept", "reject"],
        FilingState.RETURNED: ["submit", "accept", "return"],
    }[state]
    reviewer = None
    for step in steps:
        actor = user if step == "submit" else (reviewer := reviewer or official(filing.province))
        change = perform(change, step, actor=actor, comment="请说明" if step in ("reject", "return") else "")
    return ChangeRequest.objects.select_related("filing", "version", "base_version").get(pk=change.pk)


class FilingFactory(factory.django.DjangoModelFactory):
    """``FilingFactory(submitted=True)``, ``FilingFactory(approved=True, kind="import")`` …"""

    class Meta:
        model = Filing

    organisation = factory.SubFactory(EnterpriseFactory)
    kind = FilingKind.DOMESTIC
    state = FilingState.DRAFT
    complete = True

    class Params:
        submitted = factory.Trait(state=FilingState.SUBMITTED)
        reviewing = factory.Trait(state=FilingState.REVIEWING)
        approved = factory.Trait(state=FilingState.APPROVED)
        rejected = factory.Trait(state=FilingState.REJECTED)
        returned = factory.Trait(state=FilingState.RETURNED)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return make_filing(**kwargs)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    company = factory.Sequence(lambda n: f"联合播出企业{n}")
    safety_officer = "赵安全"
    contact = "钱联系"
    platform = "合作平台"
