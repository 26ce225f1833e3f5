"""Every public page has exactly one h1 (issue 12: the home page had none; axe ``page-has-heading-one``).

The home page's h1 is visually hidden (the two systems are its h2); each page below is fetched as a
visitor and its <h1> elements counted, and the one h1 must say something.
"""

from __future__ import annotations

import re

import pytest

from review import certificates as certs
from supervision.notices.enums import NoticeKind
from supervision.notices.models import Notice
from tests.review.certtestapp.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = (
    "/",
    "/accounts/login/",
    "/accounts/login/sms/",
    "/accounts/register/",
    "/accounts/register/institution/",
    "/accounts/register/individual/",
    "/supervision/notices/",
    "/help/",
    "/help/mct/",
    "/help/nrta/",
    "/help/mct/?q=资质激活",
    "/awards/results/",
)

H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)


def h1_texts(html: str) -> list[str]:
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", inner).split()) for inner in H1.findall(html)]


def assert_one_h1(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    texts = h1_texts(response.content.decode())
    assert len(texts) == 1, (url, texts)
    assert texts[0], url
    return texts[0]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_exactly_one_h1(client, url):
    assert_one_h1(client, url)


def test_the_home_pages_h1_names_the_portal_and_is_visually_hidden(client):
    html = client.get("/").content.decode()
    assert re.search(r'<h1 class="visually-hidden">网络文化与视听节目备案申报门户</h1>', html)


def test_the_verify_page_of_a_certificate_has_one_h1(client):
    certificate = certs.issue_certificate("certtest.programme", ProgrammeFactory().pk)
    assert assert_one_h1(client, f"/verify/{certificate.token}/") == "证照核验"


def test_a_notice_page_has_one_h1(client):
    notice = Notice.objects.create(
        kind=NoticeKind.NOTICE, title="关于备案工作的通知", body="正文", state="published", issuer_authority="mct"
    )
    assert assert_one_h1(client, f"/supervision/notices/{notice.public_id}/") == "关于备案工作的通知"
