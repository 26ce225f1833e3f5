"""common.files.private_file_response: Django streams locally, nginx streams behind the proxy."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404


@pytest.fixture
def stored_pdf():
    return default_storage.save("certificates/2026/证照 1.pdf", ContentFile(b"%PDF-1.7 test"))


def test_private_file_streamed_by_django_without_proxy(settings, stored_pdf):
    from common.files import private_file_response

    settings.PRIVATE_MEDIA_ACCEL_PREFIX = ""

    response = private_file_response(stored_pdf, filename="证照.pdf")

    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E8%AF%81%E7%85%A7.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Accel-Redirect" not in response


def test_private_file_handed_to_nginx_with_accel_prefix(settings, stored_pdf):
    from common.files import private_file_response

    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected/"

    response = private_file_response(stored_pdf, filename="证照.pdf", as_attachment=False)

    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/protected/certificates/2026/%E8%AF%81%E7%85%A7%201.pdf"
    assert (
        response["Content-Disposition"] == "inline; filename=\"download.pdf\"; filename*=UTF-8''%E8%AF%81%E7%85%A7.pdf"
    )
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("name", ["../settings.py", "certificates/../../etc/passwd", "/etc/passwd", "", "missing.pdf"])
def test_private_file_refuses_traversal_and_missing_files(settings, name):
    from common.files import private_file_response

    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected/"

    with pytest.raises(Http404):
        private_file_response(name)


def test_content_disposition_keeps_the_chinese_name_and_an_ascii_stand_in_with_its_extension():
    from common.files import content_disposition

    assert content_disposition("演出节目单.png") == (
        "attachment; filename=\"download.png\"; filename*=UTF-8''%E6%BC%94%E5%87%BA%E8%8A%82%E7%9B%AE%E5%8D%95.png"
    )
    assert content_disposition("WY-湘-2026-000001 证照.pdf", as_attachment=False) == (
        "inline; filename=\"WY-_-2026-000001.pdf\"; filename*=UTF-8''WY-%E6%B9%98-2026-000001%20%E8%AF%81%E7%85%A7.pdf"
    )
    # quotes, backslashes and line breaks never reach the header unescaped
    header = content_disposition('a"b\\c\r\nd.pdf')
    assert '"' not in header.split('filename="')[1].split('"')[0] and "\r" not in header and "\n" not in header
