"""The certificate PDF: content, embedded CJK font, QR code, and rendering without network."""

import http.server
import shutil
import subprocess
import threading

import pytest
from pypdf import PdfReader

from common import pdf as pdfmod
from review.certificates import render_html, verify_url
from tests.review.certtestapp.factories import ProgrammeFactory, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(settings):
    settings.SITE_URL = "https://portal.example.cn"
    programme = ProgrammeFactory(name="湘江夜话·线上音乐会", platform="芒果TV")
    return issue(programme)


def test_pdf_text_contains_programme_unit_and_numbers(certificate):
    reader = PdfReader(certificate.pdf.path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    assert "湘江夜话·线上音乐会" in text
    assert "湖南芒果网络演艺有限公司" in text
    assert certificate.number == "网演备〔2026〕湘字第000001号"
    assert certificate.number in text
    assert certificate.reference in text
    assert "湖南省文化和旅游厅" in text
    assert "网络演出剧（节）目备案证明" in text
    issued = certificate.issued_on
    assert f"{issued.year}年{issued.month}月{issued.day}日" in text


def test_pdf_is_a4_portrait(certificate):
    box = PdfReader(certificate.pdf.path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_pdf_embeds_only_a_subset_of_a_cjk_font(certificate):
    page = PdfReader(certificate.pdf.path).pages[0]
    fonts = page["/Resources"]["/Font"]
    names = []
    for ref in fonts.values():
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile2", "/FontFile3")), "font not embedded"
        names.append(str(font["/BaseFont"]))
    # Subset fonts carry a six-letter tag: ABCDEF+Family.
    assert names and all(len(n.lstrip("/").split("+")[0]) == 6 and "+" in n for n in names)
    assert any("WenQuanYi" in n or "CJK" in n for n in names)
    # A whole CJK font is megabytes; the subset keeps the file small.
    assert certificate.pdf_size < 150_000


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_lists_embedded_subset_cjk_font(certificate):
    out = subprocess.run(["pdffonts", certificate.pdf.path], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    cjk = [r for r in rows if "WenQuanYi" in r[0] or "CJK" in r[0]]
    assert cjk
    # columns ... emb sub uni object ID: "yes yes yes"
    assert all(r[-5:-2] == ["yes", "yes", "yes"] for r in cjk)


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None, reason="zbar/poppler missing")
def test_pdf_qr_code_decodes_to_the_verify_url(certificate, tmp_path):
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", certificate.pdf.path, str(tmp_path / "page")],
        check=True,
    )
    png = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True).stdout.strip()
    assert decoded == f"https://portal.example.cn/verify/{certificate.token}/"
    assert decoded == verify_url(certificate)


def test_certificate_html_escapes_programme_name(certificate):
    certificate.title = "<script>alert(1)</script>"
    html = render_html(certificate)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- the URL fetcher ------------------------------------------------------------------------


def test_fetcher_refuses_file_urls_outside_the_font_folders():
    fetcher = pdfmod.url_fetcher()
    for url in ("file:///etc/passwd", "file:///usr/share/fonts/../../../etc/passwd", "file://example.com/etc/hosts"):
        with pytest.raises(pdfmod.RefusedURL):
            fetcher.fetch(url)


def test_fetcher_refuses_http_and_other_schemes(settings):
    settings.SITE_URL = "https://portal.example.cn"
    fetcher = pdfmod.url_fetcher()
    for url in (
        "http://example.com/logo.png",
        "https://portal.example.cn/media/certificates/x.pdf",
        "https://portal.example.cn/static/../settings.py",
        "https://other.example.cn/static/css/portal.css",
        "ftp://example.com/x",
        "gopher://example.com/",
    ):
        with pytest.raises(pdfmod.RefusedURL):
            fetcher.fetch(url)


def test_fetcher_serves_static_files_and_data_uris(settings):
    settings.SITE_URL = "https://portal.example.cn"
    fetcher = pdfmod.url_fetcher()
    response = fetcher.fetch("https://portal.example.cn/static/css/portal.css")
    assert b"--portal-red" in response.read()
    assert response.content_type == "text/css"
    response = fetcher.fetch("data:text/plain;base64,5Lit5paH")
    assert response.read() == "中文".encode()
    assert response.content_type == "text/plain"


def test_fetcher_serves_local_fonts_only_from_font_folders():
    fetcher = pdfmod.url_fetcher()
    response = fetcher.fetch("file:///usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    assert response.read(4) in (b"ttcf", b"\x00\x01\x00\x00")


def test_rendering_makes_no_network_request():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        base = f"http://127.0.0.1:{port}"
        html = (
            f"<html><head><style>@import url('{base}/a.css');</style>"
            f"<link rel='stylesheet' href='{base}/b.css'></head><body>"
            f"<p>中文</p><img src='{base}/c.png'><img src='file:///etc/hostname'></body></html>"
        )
        data = pdfmod.html_to_pdf(html)
    finally:
        server.shutdown()
        server.server_close()
    assert data.startswith(b"%PDF-")
    assert hits == []


def test_one_font_configuration_per_process():
    assert pdfmod.font_config() is pdfmod.font_config()
    assert pdfmod.url_fetcher() is pdfmod.url_fetcher()
