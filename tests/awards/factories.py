"""Factories for awards: platforms, projects of a quarter, nominations in any state, NRTA staff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from accounts.enums import OrganisationKind
from awards import calendar
from awards.enums import PlatformStatus, ProjectKind, WorkType
from awards.models import Nomination, Platform, Project
from awards.services import nominations as services
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory

# The quarter most tests use: 2026 Q2 (window 2026-03-01 … 05-31, applicant deadline 06-15).
YEAR, QUARTER = 2026, 2


def pdf_bytes(text: str = "pledge") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% " + text.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def pledge_file(name: str = "版权承诺书.pdf", content: bytes | None = None) -> ContentFile:
    return ContentFile(pdf_bytes() if content is None else content, name=name)


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"示例视听平台{n}")
    licence_or_filing_number = factory.Sequence(lambda n: f"信息网络传播视听节目许可证 01{n:05d}号")
    status = PlatformStatus.ACTIVE


def _dates(o):
    return calendar.quarter_dates(o.year, o.quarter)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("year", "quarter", "kind")

    year = YEAR
    quarter = QUARTER
    kind = ProjectKind.INSTITUTION
    title = factory.LazyAttribute(
        lambda o: f"{o.year}年第{o.quarter}季度网络视听节目季度推优（{ProjectKind(o.kind).label}）"
    )
    opens_at = factory.LazyAttribute(lambda o: calendar.start_of_day(_dates(o).opens_on))
    applicant_deadline = factory.LazyAttribute(lambda o: _dates(o).applicant_deadline)
    provincial_deadline = factory.LazyAttribute(lambda o: _dates(o).provincial_deadline)
    window_start = factory.LazyAttribute(lambda o: _dates(o).window_start)
    window_end = factory.LazyAttribute(lambda o: _dates(o).window_end)
    description = "参评作品应为申报机构原创且拥有版权。"


class InstitutionFactory(OrganisationFactory):
    kind = OrganisationKind.INSTITUTION
    name = factory.Sequence(lambda n: f"测试网络视听机构{n}")


class IndividualFactory(OrganisationFactory):
    kind = OrganisationKind.INDIVIDUAL
    name = factory.Sequence(lambda n: f"个人申报人{n}")


class EnterpriseFactory(OrganisationFactory):
    kind = OrganisationKind.ENTERPRISE


def applicant(organisation=None, **kwargs):
    return ApplicantFactory(organisation=organisation or InstitutionFactory(), **kwargs)


def nrta_official(province: str = "430000", **kwargs):
    return StaffFactory(profile__authority="nrta", profile__level="province", profile__province=province, **kwargs)


def nrta_ministry(**kwargs):
    return StaffFactory(profile__authority="nrta", profile__level="ministry", **kwargs)


def mct_ministry(**kwargs):
    return StaffFactory(profile__authority="mct", profile__level="ministry", **kwargs)


def complete_values(project: Project, **overrides) -> dict:
    """Every field of the 登记表, valid for ``project`` (first broadcast 10 days into the window)."""
    first = date.fromordinal(project.window_start.toordinal() + 10)
    values = {
        "bureau": "430000",
        "name": "山河新歌",
        "work_type": WorkType.DOCUMENTARY,
        "episodes": 6,
        "episode_minutes": Decimal("45"),
        "total_minutes": Decimal("270"),
        "first_broadcast": first,
        "broadcast_end": date.fromordinal(first.toordinal() + 30),
        "platform": overrides.pop("platform", None) or PlatformFactory(name="芒果TV"),
        "copyright_owner": "湖南示例网络视听机构",
        "producer": "湖南示例网络视听机构",
        "maker": "湖南示例制作公司",
    }
    values.update(overrides)
    return values


def make_nomination(
    user,
    project: Project | None = None,
    *,
    submit: bool = False,
    pledge: bool = True,
    **overrides,
) -> Nomination:
    """A complete draft of ``user``'s unit through the service (submitted with ``submit=True``)."""
    project = project or ProjectFactory(kind=_kind_of(user))
    nomination = services.save_draft(
        user, values=complete_values(project, **overrides), project=project, pledge=pledge_file() if pledge else None
    )
    if submit:
        nomination = services.submit(user, nomination)
    return nomination


def _kind_of(user) -> str:
    return ProjectKind.INDIVIDUAL if user.organisation.kind == OrganisationKind.INDIVIDUAL else ProjectKind.INSTITUTION


def set_state(nomination: Nomination, state: str, **fields) -> Nomination:
    """Put a nomination in a later state directly (for list tests of states other steps reach)."""
    from django.utils import timezone

    now = timezone.now()
    values = {"state": state, "submitted_at": nomination.submitted_at or now, **fields}
    if nomination.ref_seq is None:
        values.setdefault("ref_seq", 9000 + nomination.pk)
        values.setdefault("reference", f"TY-湘-{nomination.year}Q{nomination.quarter}-{9000 + nomination.pk}")
    if state not in ("draft", "returned", "pending"):
        values.setdefault("decided_at", now)
    Nomination.objects.filter(pk=nomination.pk).update(**values)
    nomination.refresh_from_db()
    return nomination
