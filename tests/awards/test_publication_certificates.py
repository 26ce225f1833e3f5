"""The 推优 certificate: one per published work, numbered per quarter, issued by 国家广播电视总局,
swept as the right kind when the broker missed it, verified in NRTA wording, listed in 证照查看."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from awards.models import Nomination
from awards.services import publication
from review import certificates as certs
from review.engine import SYSTEM
from review.models import Certificate, OutboxEvent
from tests.awards.factories import applicant
from tests.awards.factories_publication import PublicityFactory, WorkFactory, page_text
from tests.review.conftest import drain_outbox

pytestmark = pytest.mark.django_db

AFTER_END = "2026-06-07 09:00:00+08:00"
# Words of the MCT filings that an NRTA certificate's pages must never use.
MCT_WORDS = ("节目名称", "备案", "演出", "受理编号", "文化和旅游")


@pytest.fixture
def works():
    return [
        WorkFactory(name="山河新歌", organisation__name="湖南山河影业有限公司"),
        WorkFactory(individual=True, name="外婆家的非遗手艺", organisation__name="陈晓雨"),
    ]


@pytest.fixture
def published(works, clock):
    publicity = PublicityFactory()
    clock.move_to(AFTER_END)
    publication.publish_quarter(publicity, actor=SYSTEM)
    return publicity


def verify_main(response) -> str:
    """The verify page's own content (the site footer names the ministry of its operator)."""
    text = page_text(response)
    return text[text.index("证照核验 证照核验") : text.index("关于我们")]


def test_missed_certificates_are_swept_as_the_right_awards_kind(published, works, django_capture_on_commit_callbacks):
    # The broker was down at publication and the outbox rows were lost: nothing was issued.
    OutboxEvent.objects.filter(topic="certificate.issue").delete()
    assert Certificate.objects.count() == 0
    # Asked for the wrong kind, nothing is issued (kinds share the model, told apart by kind).
    assert certs.issue_certificate("awards.institution", works[1].pk) is None
    assert certs.issue_certificate("awards.individual", works[0].pk) is None
    with django_capture_on_commit_callbacks(execute=True):
        result = certs.sweep(min_age_seconds=0)
    assert result["issued"] == 2
    issued = {c.object_id: c for c in Certificate.objects.all()}
    assert issued[works[0].pk].kind == "awards.institution"
    assert issued[works[1].pk].kind == "awards.individual"
    assert {c.number for c in issued.values()} == {"视听推优〔2026〕第1季度第001号", "视听推优〔2026〕第1季度第002号"}
    assert {c.issuing_department for c in issued.values()} == {"国家广播电视总局"}
    for certificate in issued.values():
        assert certs.kind_label(certificate) in ("网络视听节目季度推优（机构类）", "网络视听节目季度推优（个人类）")
    # Swept again: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert certs.sweep(min_age_seconds=0)["issued"] == 0
    assert Certificate.objects.count() == 2


def test_sweep_issues_nothing_for_works_not_published(works):
    assert certs.sweep(min_age_seconds=0)["issued"] == 0  # 入选, in 公示
    assert Certificate.objects.count() == 0


def test_certificate_pdf_and_verify_page_speak_of_works(client, published, works, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    certificate = Certificate.objects.get(object_id=works[0].pk)
    assert certs.has_pdf(certificate)
    reader = PdfReader(certificate.pdf.path)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "网络视听节目季度推优证书" in text
    assert "视听推优〔2026〕第1季度第001号" in text
    assert "湖南山河影业有限公司申报的《山河新歌》经湖南省广播电视局推荐、专家评议，入选2026年第1季度" in "".join(
        text.split()
    )
    assert "申报编号" in text and "作品名称" in text and "国家广播电视总局" in text
    for word in MCT_WORDS:
        assert word not in text, word
    response = client.get(f"/verify/{certificate.token}/")
    assert response.status_code == 200
    main = verify_main(response)
    assert "有效 该证照真实有效。" in main
    assert "证照编号 视听推优〔2026〕第1季度第001号" in main
    assert "证照类型 网络视听节目季度推优（机构类）" in main
    assert f"申报编号 {works[0].reference}" in main
    assert "作品推优信息" in main
    assert "推优状态 已公布入选 作品名称 山河新歌 作品类型 网络纪录片" in main
    assert "推荐单位 湖南省广播电视局 推优季度 2026年第1季度" in main
    for word in MCT_WORDS:
        assert word not in main, word


def test_central_unit_certificate_says_reported_directly(published, clock, django_capture_on_commit_callbacks):
    work = WorkFactory(name="中央作品", bureau="000000", organisation__name="中央广播电视总台")
    Nomination.objects.filter(pk=work.pk).update(state="published")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certs.issue_certificate("awards.institution", work.pk)
    assert "中央广播电视总台直接报送的《中央作品》经专家评议" in certificate.document["statement"]
    assert ["推荐单位", "中央广播电视总台"] in certificate.document["details"]


def test_unit_sees_its_certificate_in_its_certificate_list(
    client, published, works, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    member = applicant(works[0].organisation)
    other = applicant(works[1].organisation)
    client.force_login(member)
    text = page_text(client.get("/certificates/"))
    assert "视听推优〔2026〕第1季度第001号 网络视听节目季度推优（机构类） 山河新歌" in text
    assert "外婆家的非遗手艺" not in text
    certificate = Certificate.objects.get(object_id=works[0].pk)
    detail = page_text(client.get(f"/certificates/{certificate.public_id}/"))
    assert f"申报编号 {works[0].reference}" in detail and "受理编号" not in detail
    client.force_login(other)
    text = page_text(client.get("/certificates/"))
    assert "外婆家的非遗手艺" in text and "山河新歌" not in text
    assert client.get(f"/certificates/{certificate.public_id}/").status_code == 404


def test_certificate_numbers_run_on_per_quarter(published, works, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    later = WorkFactory(quarter=2, name="第二季度作品", reference="TY-X-2026Q2-0001")
    Nomination.objects.filter(pk=later.pk).update(state="published")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certs.issue_certificate("awards.institution", later.pk)
    assert certificate.number == "视听推优〔2026〕第2季度第001号"  # a new quarter starts at 001
    numbers = sorted(Certificate.objects.filter(number__contains="第1季度").values_list("number", flat=True))
    assert [int(re.search(r"第(\d{3})号", n).group(1)) for n in numbers] == [1, 2]
