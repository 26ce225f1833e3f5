"""The unit's 证照查看, PDF download and zip, with the rights of every kind of user."""

import io
import re
import zipfile

import pytest

from accounts.enums import Authority, StaffLevel
from accounts.models import AuditEvent
from review import certificates as certs
from review.certificates.views import iter_certificates_zip
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory
from tests.review.certtestapp.factories import ProgrammeFactory, issue

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def hunan_unit():
    return ApplicantFactory(organisation__name="湖南芒果网络演艺有限公司", organisation__province="430000")


@pytest.fixture
def hunan_certificate(hunan_unit):
    return issue(ProgrammeFactory(organisation=hunan_unit.organisation, name="湘江夜话", province="430000"))


@pytest.fixture
def beijing_certificate():
    org = OrganisationFactory(name="北京长城演艺有限公司", province="110000")
    return issue(ProgrammeFactory(organisation=org, name="京城夜曲", province="110000"))


def test_unit_lists_and_views_its_certificate(client, hunan_unit, hunan_certificate, beijing_certificate):
    client.force_login(hunan_unit)
    listing = client.get("/certificates/")
    assert listing.status_code == 200
    page = text(listing)
    assert "网演备〔2026〕湘字第000001号 国产网络演出剧（节）目备案 湘江夜话" in page
    assert "京城夜曲" not in page
    detail = client.get(f"/certificates/{hunan_certificate.public_id}/")
    page = text(detail)
    assert "湘江夜话" in page
    assert "有效" in page
    assert f"核验地址 {certs.verify_url(hunan_certificate)}" in page
    assert "下载证照（PDF）" in page
    assert "证照生成中" not in page


def test_unit_downloads_its_pdf(client, hunan_unit, hunan_certificate):
    client.force_login(hunan_unit)
    response = client.get(f"/certificates/{hunan_certificate.public_id}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    data = body(response)
    assert data.startswith(b"%PDF-")
    assert len(data) == hunan_certificate.pdf_size
    inline = client.get(f"/certificates/{hunan_certificate.public_id}/pdf/?inline=1")
    assert inline["Content-Disposition"].startswith("inline")


def test_a_unit_cannot_see_or_fetch_another_units_certificate(client, hunan_unit, hunan_certificate):
    other = ApplicantFactory(organisation__name="别家公司")
    client.force_login(other)
    assert client.get(f"/certificates/{hunan_certificate.public_id}/").status_code == 404
    assert client.get(f"/certificates/{hunan_certificate.public_id}/pdf/").status_code == 404
    assert "湘江夜话" not in text(client.get("/certificates/"))
    # The holder's member has all three.
    client.force_login(hunan_unit)
    assert client.get(f"/certificates/{hunan_certificate.public_id}/").status_code == 200
    assert client.get(f"/certificates/{hunan_certificate.public_id}/pdf/").status_code == 200
    assert "湘江夜话" in text(client.get("/certificates/"))


def test_anonymous_visitors_are_sent_to_login(client, hunan_certificate):
    for url in (
        "/certificates/",
        f"/certificates/{hunan_certificate.public_id}/",
        f"/certificates/{hunan_certificate.public_id}/pdf/",
        "/certificates/zip/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_an_official_fetches_only_their_provinces_certificates(client, hunan_certificate, beijing_certificate):
    official = StaffFactory(profile__province="430000")
    client.force_login(official)
    assert client.get(f"/certificates/{hunan_certificate.public_id}/pdf/").status_code == 200
    assert client.get(f"/certificates/{beijing_certificate.public_id}/pdf/").status_code == 404
    assert client.get(f"/certificates/{beijing_certificate.public_id}/").status_code == 404
    # A staff download of another party's certificate is audited.
    assert AuditEvent.objects.filter(action="certificate.downloaded", actor=official).count() == 1


def test_ministry_staff_fetch_any_certificate_of_their_authority_only(client, hunan_certificate, beijing_certificate):
    mct = StaffFactory(profile__level=StaffLevel.MINISTRY)
    client.force_login(mct)
    for certificate in (hunan_certificate, beijing_certificate):
        assert client.get(f"/certificates/{certificate.public_id}/pdf/").status_code == 200
    nrta = StaffFactory(profile__level=StaffLevel.MINISTRY, profile__authority=Authority.NRTA)
    client.force_login(nrta)
    assert client.get(f"/certificates/{hunan_certificate.public_id}/pdf/").status_code == 404
    expert = StaffFactory(profile__level=StaffLevel.EXPERT, profile__authority=Authority.NRTA)
    client.force_login(expert)
    assert client.get(f"/certificates/{hunan_certificate.public_id}/").status_code == 404


def test_certificate_page_says_generating_while_no_pdf(client, hunan_unit):
    certificate = issue(ProgrammeFactory(organisation=hunan_unit.organisation), render=False)
    client.force_login(hunan_unit)
    page = text(client.get(f"/certificates/{certificate.public_id}/"))
    assert "证照生成中" in page
    assert "下载证照（PDF）" not in page
    assert client.get(f"/certificates/{certificate.public_id}/pdf/").status_code == 404


def test_pdf_is_handed_to_nginx_when_accel_prefix_is_set(client, settings, hunan_unit, hunan_certificate):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected/"
    client.force_login(hunan_unit)
    response = client.get(f"/certificates/{hunan_certificate.public_id}/pdf/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/certificates/2026/{hunan_certificate.public_id}.pdf"
    assert response.content == b""


def test_certificate_list_query_count_is_constant(client, hunan_unit, django_assert_max_num_queries):
    for _ in range(2):
        issue(ProgrammeFactory(organisation=hunan_unit.organisation), render=False)
    client.force_login(hunan_unit)
    with django_assert_max_num_queries(10) as few:
        client.get("/certificates/")
    for _ in range(4):
        issue(ProgrammeFactory(organisation=hunan_unit.organisation), render=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/certificates/")
    assert text(response).count("证照查看") >= 6


def test_unit_zip_holds_its_own_pdfs(client, hunan_unit, hunan_certificate, beijing_certificate):
    second = issue(ProgrammeFactory(organisation=hunan_unit.organisation, name="湘江夜话二"))
    client.force_login(hunan_unit)
    response = client.get("/certificates/zip/")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted([f"{hunan_certificate.number}.pdf", f"{second.number}.pdf"])
    assert archive.read(f"{second.number}.pdf") == open(second.pdf.path, "rb").read()


def test_zip_is_streamed_in_small_chunks_and_lists_missing_pdfs(hunan_unit):
    ready = [issue(ProgrammeFactory(organisation=hunan_unit.organisation)) for _ in range(4)]
    pending = issue(ProgrammeFactory(organisation=hunan_unit.organisation, name="尚未生成"), render=False)
    chunks = list(iter_certificates_zip([*ready, pending]))
    assert len(chunks) >= len(ready)
    assert max(len(c) for c in chunks) <= 64 * 1024 + 1024  # one read buffer plus headers
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    assert len(archive.namelist()) == 5
    listing = archive.read("未包含的证照.txt").decode()
    assert pending.number in listing and "尚未生成" in listing
