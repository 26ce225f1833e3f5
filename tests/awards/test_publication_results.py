"""The final list: a permanent public page per quarter, its xlsx and print-ready PDF, and a later
withdrawal recorded and shown (已撤销 with date and reason), its certificate revoked."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import AuditEvent
from awards.enums import NominationState
from awards.models import ResultWithdrawal
from awards.services import publication
from review.engine import SYSTEM
from review.enums import CertificateStatus
from review.models import Certificate, ReviewRecord
from tests.awards.factories import mct_ministry, nrta_ministry, nrta_official
from tests.awards.factories_publication import PublicityFactory, WorkFactory, page_text
from tests.review.conftest import drain_outbox

pytestmark = pytest.mark.django_db

S = NominationState
RESULTS = "/awards/results/2026/1/"
AFTER_END = "2026-06-07 09:00:00+08:00"


@pytest.fixture
def works():
    return [
        WorkFactory(name="山河新歌", producer="湖南山河影业有限公司"),
        WorkFactory(name="洞庭之歌", bureau="110000", producer="北京洞庭传媒有限公司", work_type="drama"),
        WorkFactory(individual=True, name="外婆家的非遗手艺", producer="陈晓雨", work_type="short_video"),
    ]


@pytest.fixture
def published(works, clock):
    publicity = PublicityFactory()
    clock.move_to(AFTER_END)
    publication.publish_quarter(publicity, actor=SYSTEM)
    publicity.refresh_from_db()
    return publicity


def staff_client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_results_page_lists_the_published_works_grouped_by_kind(client, published):
    response = client.get(RESULTS)
    assert response.status_code == 200
    text = page_text(response)
    assert "2026年第1季度网络视听节目季度推优入选作品名单" in text
    assert "国家广播电视总局 2026-06-07 公布 · 共 3 件作品" in text
    assert "公示期：2026-06-01 至 2026-06-06" in text
    institution = text.index("机构类 共 2 件")
    individual = text.index("个人类 共 1 件")
    assert institution < individual
    # Within a group: by recommending bureau (region code), then by reference.
    assert "1 洞庭之歌 网络剧 芒果TV 北京洞庭传媒有限公司 北京市广播电视局" in text
    assert "2 山河新歌 网络纪录片 芒果TV 湖南山河影业有限公司 湖南省广播电视局" in text
    assert "1 外婆家的非遗手艺 短视频 芒果TV 陈晓雨 湖南省广播电视局" in text
    assert 'data-testid="withdrawn"' not in response.content.decode()
    index = page_text(client.get("/awards/results/"))
    assert "2026年第1季度网络视听节目季度推优入选作品名单 2026-06-07 公布 · 3 件作品" in index


def test_results_page_exists_only_once_published(client, works):
    PublicityFactory()
    assert client.get(RESULTS).status_code == 404  # in 公示
    assert client.get(RESULTS + "xlsx/").status_code == 404
    assert client.get(RESULTS + "pdf/").status_code == 404
    for url in ("/awards/results/2026/0/", "/awards/results/70000/1/", "/awards/results/2026/9/pdf/"):
        assert client.get(url).status_code == 404
    assert "正在公示" in page_text(client.get("/awards/results/"))
    # The 公示 page of a published quarter leads to the permanent list.


def test_publicity_address_of_a_published_quarter_leads_to_the_list(client, published):
    response = client.get("/awards/publicity/2026/1/")
    assert (response.status_code, response["Location"]) == (302, RESULTS)


def test_results_xlsx_holds_every_work(client, published):
    response = client.get(RESULTS + "xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["类别", "序号", "作品名称", "作品类型", "播出平台", "出品机构", "推荐单位", "状态"],
        ["机构类", 1, "洞庭之歌", "网络剧", "芒果TV", "北京洞庭传媒有限公司", "北京市广播电视局", "已公布"],
        ["机构类", 2, "山河新歌", "网络纪录片", "芒果TV", "湖南山河影业有限公司", "湖南省广播电视局", "已公布"],
        ["个人类", 1, "外婆家的非遗手艺", "短视频", "芒果TV", "陈晓雨", "湖南省广播电视局", "已公布"],
    ]


def test_results_pdf_is_a4_with_the_names_and_an_embedded_chinese_font(client, published, tmp_path):
    response = client.get(RESULTS + "pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
    text = page.extract_text()
    for expected in (
        "2026年第1季度网络视听节目季度推优入选作品名单",
        "山河新歌",
        "洞庭之歌",
        "外婆家的非遗手艺",
        "机构类",
        "个人类",
    ):
        assert expected in text
    assert "湖南省广播电视局" in text and "国家广播电视总局" in text
    assert "http://testserver/awards/results/2026/1/" in text or "/awards/results/2026/1/" in text
    if shutil.which("pdffonts"):
        path = tmp_path / "list.pdf"
        path.write_bytes(response.content)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        lines = fonts.splitlines()[2:]
        assert lines and all(line.split()[-5] == "yes" for line in lines)  # every font embedded
        assert any("WenQuanYi" in line or "Noto" in line for line in lines)
    # Cached: the second download is the same file, without rendering again.
    assert client.get(RESULTS + "pdf/").content == response.content


def test_withdrawal_is_recorded_shown_and_revokes_the_certificate(
    client, published, works, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()  # the certificates of the publication
    certificate = Certificate.objects.get(object_id=works[0].pk)
    assert certificate.status == CertificateStatus.VALID
    pdf_before = client.get(RESULTS + "pdf/").content
    user = nrta_ministry(full_name="李总局")
    url = f"/staff/awards/publicity/{published.public_id}/withdraw/{works[0].public_id}/"
    # The wrong users are refused (both sides in the same test).
    for other in (nrta_official("430000"), mct_ministry()):
        assert staff_client(other).post(url, {"reason": "越权"}).status_code == 403
        with pytest.raises(publication.NotPermitted):
            publication.withdraw_result(works[0], reason="越权", actor=other)
    staff = staff_client(user)
    empty = staff.post(url, {"reason": "  "})
    assert empty.status_code == 200 and "请填写撤销理由。" in page_text(empty)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"reason": "经核查，该作品存在版权纠纷。"})
    assert response.status_code == 302
    works[0].refresh_from_db()
    assert works[0].state == S.WITHDRAWN
    withdrawal = ResultWithdrawal.objects.get()
    assert (withdrawal.nomination, withdrawal.reason, withdrawal.by) == (works[0], "经核查，该作品存在版权纠纷。", user)
    record = ReviewRecord.objects.filter(object_id=works[0].pk).latest("pk")
    assert (record.transition, record.comment, record.actor) == (
        "withdraw_result",
        "经核查，该作品存在版权纠纷。",
        user,
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_reason == "入选资格已撤销：经核查，该作品存在版权纠纷。"
    assert AuditEvent.objects.filter(action="awards.result_withdrawn", actor=user).count() == 1
    # The public list keeps it, marked 已撤销 with date and reason.
    text = page_text(client.get(RESULTS))
    assert "共 3 件作品（其中 1 件已撤销）" in text
    assert "2 山河新歌 已撤销 2026-06-07 撤销，理由：经核查，该作品存在版权纠纷。 网络纪录片" in text
    pdf_after = client.get(RESULTS + "pdf/").content
    assert pdf_after != pdf_before  # a new version of the list
    pdf_text = "".join(PdfReader(io.BytesIO(pdf_after)).pages[0].extract_text().split())  # lines wrap in a cell
    assert "山河新歌已撤销（2026-06-07）：经核查，该作品存在版权纠纷。" in pdf_text
    sheet = load_workbook(io.BytesIO(client.get(RESULTS + "xlsx/").content)).active
    assert sheet["H3"].value == "已撤销（2026-06-07）：经核查，该作品存在版权纠纷。"
    # The verify page of its certificate says 已注销 and why (the category; the note stays internal).
    verify = page_text(client.get(f"/verify/{certificate.token}/"))
    assert "已注销" in verify and "原因：入选资格已撤销" in verify
    assert "经核查，该作品存在版权纠纷。" not in verify.split("推优状态")[0]
    # A second withdrawal is refused with a message, not a 500, and records nothing.
    again = staff.post(url, {"reason": "再次"})
    assert again.status_code == 200
    assert ResultWithdrawal.objects.count() == 1


def test_public_pages_queries_do_not_grow_with_the_works(client, works, clock, django_assert_num_queries):
    publicity = PublicityFactory()
    clock.move_to(AFTER_END)
    publication.publish_quarter(publicity, actor=SYSTEM)
    client.get(RESULTS)
    client.get("/awards/results/")
    with django_assert_num_queries(3):  # publicity, works (platform, unit), withdrawals
        client.get(RESULTS)
    with django_assert_num_queries(2):  # published quarters (with their counts), 公示 under way
        client.get("/awards/results/")
    with django_assert_num_queries(3):
        client.get(RESULTS + "xlsx/")
    more = [WorkFactory(state=S.PUBLISHED) for _ in range(27)]
    ResultWithdrawal.objects.create(nomination=more[0], reason="撤销")
    more[0].state = S.WITHDRAWN
    more[0].save(update_fields=["state"])
    with django_assert_num_queries(3):
        response = client.get(RESULTS)
    assert "共 30 件作品（其中 1 件已撤销）" in page_text(response)
    with django_assert_num_queries(2):  # published quarters (with their counts), 公示 under way
        client.get("/awards/results/")
    with django_assert_num_queries(3):
        client.get(RESULTS + "xlsx/")
