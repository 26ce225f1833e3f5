"""Certificates of real MCT filings: approval → numbered PDF with QR → live verification page."""

import logging
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from filings.enums import FilingKind, FilingState
from review import certificates as certs
from review.models import Certificate, Message
from tests.filings.factories import EnterpriseFactory, applicant, make_change, make_filing
from tests.review.conftest import drain_outbox

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def approved(django_capture_on_commit_callbacks, **kwargs):
    """An approved filing whose outbox has been dispatched (certificate issued and rendered)."""
    with django_capture_on_commit_callbacks(execute=True):
        filing = make_filing(state=FilingState.APPROVED, **kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    return filing


@pytest.fixture
def unit():
    return EnterpriseFactory(name="湖南芒果网络演艺有限公司", province="430000")


def test_approved_domestic_filing_gets_one_numbered_certificate(django_capture_on_commit_callbacks, unit, settings):
    member = applicant(unit)
    filing = approved(django_capture_on_commit_callbacks, organisation=unit, by=member, name="湘江夜话·线上音乐会")
    certificate = Certificate.objects.get()
    assert certificate.kind == "filing.domestic"
    assert certificate.object_id == filing.pk
    assert re.fullmatch(r"网演备〔\d{4}〕湘字第000001号", certificate.number)
    assert certificate.issuing_department == "湖南省文化和旅游厅"
    assert certificate.reference == filing.reference
    assert certs.has_pdf(certificate)
    reader = PdfReader(certificate.pdf.path)
    assert len(reader.pages) == 1
    text_pdf = reader.pages[0].extract_text()
    assert certificate.number in text_pdf
    assert "统一社会信用代码" in text_pdf and "首场演出时间" in text_pdf  # the kind's extra rows
    # Named once in the statement and once in the table: rows repeating the certificate's fields are dropped.
    assert text_pdf.count("湘江夜话·线上音乐会") == 2
    assert text_pdf.count("湖南芒果网络演艺有限公司") == 2
    # Issued once, whatever runs again.
    with django_capture_on_commit_callbacks(execute=True):
        certs.issue_certificate("filing.domestic", filing.pk)
        certs.sweep(min_age_seconds=0)
    assert Certificate.objects.count() == 1
    titles = list(Message.objects.filter(recipient=member).values_list("title", flat=True))
    assert "证照已生成" in titles


def test_approved_import_review_gets_its_own_number_series(django_capture_on_commit_callbacks, unit):
    approved(django_capture_on_commit_callbacks, organisation=unit, kind=FilingKind.IMPORT, name="海外音乐节")
    certificate = Certificate.objects.get()
    assert certificate.kind == "filing.import"
    assert re.fullmatch(r"网演审〔\d{4}〕湘字第000001号", certificate.number)


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar missing")
def test_filing_certificate_qr_opens_the_live_verification_page(
    django_capture_on_commit_callbacks, unit, client, tmp_path, settings
):
    settings.SITE_URL = "https://portal.example.cn"
    approved(django_capture_on_commit_callbacks, organisation=unit, name="湘江夜话", safety_officer="李安全")
    certificate = Certificate.objects.get()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", certificate.pdf.path, str(tmp_path / "p")], check=True
    )
    url = subprocess.run(
        ["zbarimg", "--raw", "-q", str(next(tmp_path.glob("p*.png")))], capture_output=True, text=True
    ).stdout.strip()
    assert url == f"https://portal.example.cn/verify/{certificate.token}/"
    page = text(client.get(url.removeprefix("https://portal.example.cn")))
    assert "有效" in page
    assert "湘江夜话" in page
    assert "湖南芒果网络演艺有限公司" in page
    assert "李安全" not in page and "李**" in page


def test_an_approved_change_shows_on_the_verification_page_at_once(django_capture_on_commit_callbacks, unit, client):
    member = applicant(unit)
    filing = approved(django_capture_on_commit_callbacks, organisation=unit, by=member, name="旧的节目名称")
    certificate = Certificate.objects.get()
    url = f"/verify/{certificate.token}/"
    assert "旧的节目名称" in text(client.get(url))  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        make_change(filing, by=member, state=FilingState.APPROVED, name="新的节目名称")
    page = text(client.get(url))
    assert "网络演出剧(节)目名称 新的节目名称" in page  # the current approved data
    assert "证照载明名称 旧的节目名称" in page  # what the PDF says, labelled as such
    # The certificate is not reissued on change.
    assert Certificate.objects.count() == 1


def test_filing_verify_page_query_counts(
    django_capture_on_commit_callbacks, unit, client, django_assert_num_queries, django_assert_max_num_queries
):
    filing = approved(django_capture_on_commit_callbacks, organisation=unit)
    with django_capture_on_commit_callbacks(execute=True):  # a pending change is not public
        make_change(filing, state=FilingState.SUBMITTED, name="变更中的名称")
    url = f"/verify/{Certificate.objects.get().token}/"
    with django_assert_max_num_queries(3):
        miss = client.get(url)
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert miss.content == hit.content
    assert "变更审核中" not in text(hit) and "已备案" not in text(hit)  # no workflow state in public
    assert "变更中的名称" not in text(hit)


def test_sweep_issues_the_certificate_of_a_filing_approved_while_the_broker_was_down(
    django_capture_on_commit_callbacks, unit
):
    filing = approved(django_capture_on_commit_callbacks, organisation=unit, by=applicant(unit), name="潇湘云端戏曲节")
    # The approval's certificate never came (broker down, outbox event lost by an operator): only the sweep is left.
    Certificate.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        result = certs.sweep(min_age_seconds=0)

    certificate = Certificate.objects.get()
    assert result["issued"] == 1
    assert (certificate.kind, certificate.object_id, certificate.title) == (
        "filing.domestic",
        filing.pk,
        "潇湘云端戏曲节",
    )
    assert certs.has_pdf(certificate)


def test_sweep_issues_an_import_review_approved_while_the_broker_was_down_as_an_import_review(
    django_capture_on_commit_callbacks, unit, caplog
):
    """The defect: filing.domestic and filing.import share Filing; the sweep issued 网演备 for an import review."""
    filing = approved(django_capture_on_commit_callbacks, organisation=unit, kind=FilingKind.IMPORT, name="海外音乐节")
    Certificate.objects.all().delete()  # the broker was down, the certificate row dropped
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="review.certificates.issue"):
        with django_capture_on_commit_callbacks(execute=True):
            result = certs.sweep(min_age_seconds=0)

    certificate = Certificate.objects.get()
    assert result["issued"] == 1
    assert (certificate.kind, certificate.object_id) == ("filing.import", filing.pk)
    assert re.fullmatch(r"网演审〔\d{4}〕湘字第000002号", certificate.number)  # numbers are never reused
    assert [m for m in caplog.messages if " issued for " in m] == [
        f"certificate {certificate.number} issued for filing.import #{filing.pk}"
    ]
