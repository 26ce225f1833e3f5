"""The upload limits as shipped: 20 MiB for images and documents, 2 GiB for video (SPEC §B2; issue 12).

Every other upload test overrides the limits, so changing the defaults (20 MiB
→ 200 MiB, say) left the suite green. These tests read the settings as
shipped, without overriding them: in a fresh interpreter for each settings
module with no UPLOAD_* variable in the environment, in this process's
settings, and through the page, where a file one byte over the limit is
refused with the Chinese message and one exactly at the limit is kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.uploads import check_pledge
from filings.models import Material
from filings.uploads import check_upload

from .factories import mp4_bytes
from .helpers import browser_post

MiB = 1024 * 1024
DOCUMENT = 20 * MiB
VIDEO = 2 * 1024 * MiB
PIXELS = 40_000_000
BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in (
    "UPLOAD_MAX_DOCUMENT_BYTES", "UPLOAD_MAX_VIDEO_BYTES", "UPLOAD_MAX_IMAGE_PIXELS",
    "FILE_UPLOAD_MAX_MEMORY_SIZE")}))
"""


def _shipped(module: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UPLOAD_MAX_")}
    env.update(
        DJANGO_SETTINGS_MODULE=module,
        SECRET_KEY="x" * 64,
        ALLOWED_HOSTS="portal.example.cn",
        PYTHONPATH=str(BASE_DIR),
    )
    env.pop("CAPTCHA_TEST_MODE", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["portal.settings.production", "portal.settings.dev"])
def test_shipped_settings_hold_the_documented_limits(module):
    values = _shipped(module)
    assert values["UPLOAD_MAX_DOCUMENT_BYTES"] == DOCUMENT
    assert values["UPLOAD_MAX_VIDEO_BYTES"] == VIDEO
    assert values["UPLOAD_MAX_IMAGE_PIXELS"] == PIXELS
    # Larger uploads are streamed to a temporary file, never held whole in memory.
    assert values["FILE_UPLOAD_MAX_MEMORY_SIZE"] <= 2.5 * MiB


def test_the_suite_runs_at_the_shipped_limits():
    """Nothing in the test settings (or the environment) moves them: the tests below use the real ones."""
    assert django_settings.UPLOAD_MAX_DOCUMENT_BYTES == DOCUMENT
    assert django_settings.UPLOAD_MAX_VIDEO_BYTES == VIDEO
    assert django_settings.UPLOAD_MAX_IMAGE_PIXELS == PIXELS


def _pdf_of(size: int) -> bytes:
    head = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%"
    tail = b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return head + b" " * (size - len(head) - len(tail)) + tail


def _messages(upload, check=check_upload) -> list[str]:
    with pytest.raises(ValidationError) as info:
        check(upload)
    return info.value.messages


def test_document_limit_is_20_mib_to_the_byte():
    assert check_upload(SimpleUploadedFile("自审报告.pdf", _pdf_of(DOCUMENT))).size == DOCUMENT
    assert _messages(SimpleUploadedFile("自审报告.pdf", _pdf_of(DOCUMENT + 1))) == [
        "文件“自审报告.pdf”过大（20.0\xa0MB），此类文件不能超过 20.0\xa0MB。"
    ]


def test_video_limit_is_2_gib():
    upload = SimpleUploadedFile("录像.mp4", mp4_bytes())
    upload.size = VIDEO  # the size Django reports; the check reads only the first bytes
    assert check_upload(upload).extension == "mp4"
    upload.size = VIDEO + 1
    assert _messages(upload) == ["文件“录像.mp4”过大（2.0\xa0GB），此类文件不能超过 2.0\xa0GB。"]


def test_nrta_pledge_has_the_same_document_limit():
    assert check_pledge(SimpleUploadedFile("版权承诺书.pdf", _pdf_of(DOCUMENT))).size == DOCUMENT
    assert _messages(SimpleUploadedFile("版权承诺书.pdf", _pdf_of(DOCUMENT + 1)), check_pledge) == [
        "文件“版权承诺书.pdf”过大（20.0\xa0MB），不能超过 20.0\xa0MB。"
    ]


@pytest.mark.django_db
def test_one_byte_over_20_mib_is_refused_on_the_page_and_20_mib_is_kept(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    page = member_client.get(url).content.decode()
    assert "图片和文档不超过 20.0\xa0MB，视频不超过 2.0\xa0GB" in page

    over = SimpleUploadedFile("自审报告.pdf", _pdf_of(DOCUMENT + 1), content_type="application/pdf")
    response = browser_post(member_client, url, "save:materials", files={"material-self_review": over})
    assert response.status_code == 200
    body = response.content.decode()
    message = "文件“自审报告.pdf”过大（20.0\xa0MB），此类文件不能超过 20.0\xa0MB。"
    assert body.count(message) == 2  # at the top of the page and beside the field
    assert 'aria-invalid="true"' in body  # beside the field
    assert Material.objects.count() == 0

    exact = SimpleUploadedFile("自审报告.pdf", _pdf_of(DOCUMENT), content_type="application/pdf")
    response = browser_post(member_client, url, "save:materials", files={"material-self_review": exact})
    assert response.status_code == 302
    assert Material.objects.get().size == DOCUMENT
