"""操作手册 (issue 9): pages, server-side search, screenshots, links and the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from accounts.enums import OrganisationKind
from tests.factories import ApplicantFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


@pytest.mark.parametrize("url", ["/help/", "/help/mct/", "/help/nrta/"])
def test_manual_pages_render_for_anonymous_and_logged_in_users(client, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    assert "搜索手册" in anonymous.content.decode()
    client.force_login(ApplicantFactory())
    logged_in = client.get(url)
    assert logged_in.status_code == 200
    assert "搜索手册" in logged_in.content.decode()


def test_search_finds_a_chapter_word_and_highlights_it(client):
    page = client.get("/help/mct/", {"q": "资质激活"}).content.decode()
    assert "“资质激活”：找到" in page
    assert "<mark>资质激活</mark>" in page
    assert 'href="/help/mct/#ch4"' in page


def test_search_on_the_index_finds_both_manuals(client):
    page = client.get("/help/", {"q": "技术支持"}).content.decode()
    assert 'href="/help/nrta/#ch10"' in page
    assert "<mark>技术支持</mark>" in page


def test_search_for_a_nonsense_word_finds_nothing_and_keeps_it(client):
    page = client.get("/help/nrta/", {"q": "xyzzy<b>"}).content.decode()
    assert "没有找到包含这些词的段落" in page
    assert "<mark>" not in page
    assert 'value="xyzzy&lt;b&gt;"' in page
    assert "<b>" not in page.split("portal-help-results")[1][:2000]


@pytest.mark.parametrize("programme", ["mct", "nrta"])
def test_every_picture_exists_and_has_alt_text_and_a_numbered_caption(client, programme):
    page = client.get(f"/help/{programme}/").content.decode()
    images = re.findall(r"<img [^>]*>", page)
    help_images = [tag for tag in images if "/static/help/" in tag]
    assert len(help_images) >= 5
    for tag in help_images:
        src = re.search(r'src="/static/([^"]+)"', tag)[1]
        assert (STATIC / src).is_file(), src
        assert re.search(r'alt="[^"]+"', tag), tag
    captions = re.findall(r"<figcaption[^>]*>(图\d+-\d+) ", page)
    assert len(captions) == len(help_images) == len(set(captions))


def test_the_committed_pictures_stay_small():
    total = sum(path.stat().st_size for path in (STATIC / "help").rglob("*.png"))
    assert 0 < total < 4 * 1024 * 1024


@pytest.mark.parametrize("programme", ["mct", "nrta"])
def test_every_url_named_in_the_manual_resolves(client, programme):
    page = client.get(f"/help/{programme}/").content.decode()
    hrefs = {href for href in re.findall(r'href="(/[^"#?]*)', page) if not href.startswith("/static/")}
    assert hrefs
    for href in hrefs:
        try:
            resolve(href)
        except Resolver404:
            pytest.fail(f"{href} named in the {programme} manual does not resolve")


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed")
@pytest.mark.parametrize("programme", ["mct", "nrta"])
def test_pdf_has_pages_pictures_and_embedded_chinese_fonts(client, programme, tmp_path):
    response = client.get(f"/help/{programme}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "manual.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert pages >= 4
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()[2:]) >= 5


def test_header_links_to_the_manual_of_the_users_programme(client):
    assert 'href="/help/" class="link-light small">操作手册' in client.get("/").content.decode()
    client.force_login(ApplicantFactory())  # an 经营单位 (MCT)
    page = client.get("/").content.decode()
    assert 'href="/help/mct/" class="link-light small" data-testid="header-manual"' in page
    assert 'href="/help/nrta/" class="link-light small" data-testid="header-manual"' not in page
    client.force_login(ApplicantFactory(organisation=OrganisationFactory(kind=OrganisationKind.INSTITUTION)))
    page = client.get("/").content.decode()
    assert 'href="/help/nrta/" class="link-light small" data-testid="header-manual"' in page
    assert 'href="/help/mct/" class="link-light small" data-testid="header-manual"' not in page
