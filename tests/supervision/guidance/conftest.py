import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.enums import Authority, OrganisationKind, StaffLevel
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_upload(name="自审报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png_bytes():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def unit(db):
    return OrganisationFactory(name="湖南星辰文化传媒有限公司", province="430000")


@pytest.fixture
def member(unit):
    return ApplicantFactory(organisation=unit, full_name="李明")


@pytest.fixture
def colleague(unit, member):
    return ApplicantFactory(organisation=unit, full_name="王芳")


@pytest.fixture
def other_member(db):
    return ApplicantFactory(organisation=OrganisationFactory(name="湖南另一家文化公司", province="430000"))


@pytest.fixture
def beijing_member(db):
    return ApplicantFactory(organisation=OrganisationFactory(name="北京示例文化有限公司", province="110000"))


@pytest.fixture
def institution_member(db):
    org = OrganisationFactory(name="湖南示例网络视听机构", kind=OrganisationKind.INSTITUTION, province="430000")
    return ApplicantFactory(organisation=org, username="instguid", phone=None)


@pytest.fixture
def hunan_official(db):
    return StaffFactory(full_name="湖南文旅审核员")


@pytest.fixture
def beijing_official(db):
    return StaffFactory(full_name="北京文旅审核员", profile__province="110000")


@pytest.fixture
def nrta_hunan(db):
    return StaffFactory(full_name="湖南广电审核员", profile__authority=Authority.NRTA)


@pytest.fixture
def mct_ministry(db):
    return StaffFactory(full_name="文旅部工作人员", profile__level=StaffLevel.MINISTRY)


@pytest.fixture
def nrta_ministry(db):
    return StaffFactory(full_name="总局工作人员", profile__authority=Authority.NRTA, profile__level=StaffLevel.MINISTRY)


@pytest.fixture
def expert(db):
    return StaffFactory(full_name="专家", profile__authority=Authority.NRTA, profile__level=StaffLevel.EXPERT)
