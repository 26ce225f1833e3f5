from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.enums import Authority, StaffLevel
from filings.enums import FilingKind, FilingState
from filings.models import Session
from tests.factories import StaffFactory
from tests.filings.factories import EnterpriseFactory, applicant, make_filing, official, pdf_bytes, png_bytes

CREDIT_CODE = "91430100MA4L8YX2KP"


def programme(organisation, *, days_ago: float, kind=FilingKind.DOMESTIC, state=FilingState.DRAFT, name=None, now=None):
    """A filing whose (only) session started ``days_ago`` days before ``now``."""
    extra = {"name": name} if name else {}
    filing = make_filing(organisation=organisation, kind=kind, state=state, **extra)
    now = now or timezone.now()
    Session.objects.filter(version__filing=filing).update(starts_at=now - timedelta(days=days_ago))
    return filing


def png_upload(name="截图.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf_upload(name="取证.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def hunan_unit(db):
    return EnterpriseFactory(name="湖南逾期文化传媒有限公司", province="430000")


@pytest.fixture
def beijing_unit(db):
    return EnterpriseFactory(name="北京逾期文化传媒有限公司", province="110000")


@pytest.fixture
def hunan_member(hunan_unit):
    return applicant(hunan_unit, full_name="李明")


@pytest.fixture
def hunan_official(db):
    return official("430000", full_name="湖南文旅审核员")


@pytest.fixture
def hunan_colleague(db):
    return official("430000", full_name="湖南文旅审核员二")


@pytest.fixture
def beijing_official(db):
    return official("110000", full_name="北京文旅审核员")


@pytest.fixture
def mct_ministry(db):
    return StaffFactory(
        full_name="文旅部工作人员", profile__authority=Authority.MCT, profile__level=StaffLevel.MINISTRY
    )


@pytest.fixture
def nrta_hunan(db):
    return StaffFactory(
        full_name="湖南广电审核员",
        profile__authority=Authority.NRTA,
        profile__level=StaffLevel.PROVINCE,
        profile__province="430000",
    )


@pytest.fixture
def nrta_ministry(db):
    return StaffFactory(full_name="总局工作人员", profile__authority=Authority.NRTA, profile__level=StaffLevel.MINISTRY)
