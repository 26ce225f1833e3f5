"""Certificate PDFs: signed (PAdES) with the authority's key, tampering detected; re-rendered for a
new public address with the same number and token; make run derives SITE_URL from HOST and PORT."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from review.certificates import signing
from review.models import Certificate
from tests.factories import OrganisationFactory
from tests.review.certtestapp.factories import ProgrammeFactory, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    org = OrganisationFactory(name="湖南芒果网络演艺有限公司", province="430000")
    return issue(ProgrammeFactory(organisation=org, name="湘剧", province="430000"))


def status_of(data: bytes):
    root = load_cert_from_pemder(str(signing.test_root_path()))
    reader = PdfFileReader(io.BytesIO(data))
    return validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=[root]))


def test_pdf_is_signed_by_the_authority_and_tampering_fails(certificate):
    data = Path(certificate.pdf.path).read_bytes()
    status = status_of(data)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.bottom_line is True
    assert "文化和旅游部证照签章（测试）" in status.signing_cert.subject.human_friendly
    assert certificate.pdf_signer.startswith("Common Name: 文化和旅游部证照签章（测试）")
    # One byte changed inside the signed range: the signature no longer validates.
    tampered = bytearray(data)
    tampered[len(data) // 3] ^= 0x01
    assert status_of(bytes(tampered)).bottom_line is False
    # Another root does not make it trusted.
    reader = PdfFileReader(io.BytesIO(data))
    untrusted = validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=[]))
    assert untrusted.intact and not untrusted.trusted


def qr_of(pdf_path: str, tmp_path) -> str:
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", pdf_path, str(tmp_path / "p")], check=True)
    page = next(tmp_path.glob("p*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")), reason="needs zbarimg and pdftoppm")
def test_rerender_keeps_number_and_token_and_moves_the_qr(certificate, settings, tmp_path, client):
    number, token = certificate.number, certificate.token
    (tmp_path / "a").mkdir()
    assert qr_of(certificate.pdf.path, tmp_path / "a") == f"http://127.0.0.1:8000/verify/{token}/"
    assert certificate.pdf_verify_url == f"http://127.0.0.1:8000/verify/{token}/"
    settings.SITE_URL = "https://cert.example.cn"
    out = io.StringIO()
    call_command("rerender_certificates", "--stale", stdout=out)
    assert out.getvalue().startswith("1 certificate PDF(s) rendered for https://cert.example.cn/verify/")
    certificate.refresh_from_db()
    assert (certificate.number, certificate.token) == (number, token)
    assert certificate.pdf_verify_url == f"https://cert.example.cn/verify/{token}/"
    (tmp_path / "b").mkdir()
    assert qr_of(certificate.pdf.path, tmp_path / "b") == f"https://cert.example.cn/verify/{token}/"
    assert status_of(Path(certificate.pdf.path).read_bytes()).bottom_line is True  # signed again
    # Idempotent: nothing is stale any more; --all renders every one again.
    again = io.StringIO()
    call_command("rerender_certificates", "--stale", stdout=again)
    assert again.getvalue().startswith("0 certificate PDF(s)")
    call_command("rerender_certificates", "--all", "--kind", "other.kind", stdout=io.StringIO())
    assert Certificate.objects.get().pdf_sha256 == certificate.pdf_sha256


def make_site_url(tmp_path, *args, env=None) -> str:
    extra = tmp_path / "print.mk"
    extra.write_text('print-site-url:\n\t@echo "$$SITE_URL"\n')
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environment.update(env or {})
    result = subprocess.run(
        ["make", "-s", "-f", "Makefile", "-f", str(extra), *args, "print-site-url"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_run_derives_site_url_from_host_and_port(tmp_path):
    assert make_site_url(tmp_path, "PORT=8101") == "http://127.0.0.1:8101"
    assert make_site_url(tmp_path, "HOST=0.0.0.0", "PORT=9000") == "http://0.0.0.0:9000"
    assert (
        make_site_url(tmp_path, "PORT=8101", env={"SITE_URL": "https://cert.example.cn"}) == "https://cert.example.cn"
    )
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8101"], cwd=django_settings.BASE_DIR, capture_output=True, text=True
    ).stdout
    assert "runserver --noreload 127.0.0.1:8101" in dry
