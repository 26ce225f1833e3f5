"""The public /verify/<token>/ page tells how to check a signed certificate PDF offline (issue 12)."""

from __future__ import annotations

import re

import pytest

from review import certificates as certs
from tests.factories import StaffFactory
from tests.review.certtestapp.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def certificate():
    return certs.issue_certificate("certtest.programme", ProgrammeFactory(name="湘江夜话·线上音乐会").pk)


def offline_steps(page: str) -> str:
    assert "如何离线核验证照PDF" in page
    return page.split("如何离线核验证照PDF", 1)[1]


def test_a_valid_certificate_page_tells_how_to_check_the_pdf_offline(client, certificate):
    response = client.get(f"/verify/{certificate.token}/")
    assert response.status_code == 200
    assert 'data-testid="offline-check"' in response.content.decode()
    page = text(response)
    assert "有效 该证照真实有效。" in page
    signer = str(certs.signing.AUTHORITY_NAMES[certs.kind_of(certificate).authority])
    steps = offline_steps(page)
    assert f"证照PDF带有{signer}的电子签名（PAdES）" in steps
    assert "打印件请扫描二维码在本页面核验" in steps
    assert "“签名面板”" in steps
    assert f"签名人为{signer}" in steps and "“自签名以来文档未被修改”" in steps
    assert "pyhanko sign validate --trust 根证书文件 证照.pdf" in steps
    assert "证照的当前状态以本页面显示为准。" in steps


def test_a_revoked_certificate_page_shows_the_revocation_and_that_the_page_not_the_signature_decides(
    client, certificate
):
    certs.revoke_certificate(certificate, actor=StaffFactory(profile__level="ministry"), reason="内部说明")
    page = text(client.get(f"/verify/{certificate.token}/"))
    assert "已注销" in page and "原因：" in page
    assert "该证照真实有效" not in page
    # The PDF's signature stays valid after 注销: the page says its status, not the signature, counts.
    assert "证照的当前状态以本页面显示为准。" in offline_steps(page)
