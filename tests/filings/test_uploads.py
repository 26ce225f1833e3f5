"""材料上传: types checked from the content, sizes, integrity; refused files leave nothing behind."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.models import Material
from filings.uploads import check_upload

from .factories import exe_bytes, flv_bytes, jpeg_bytes, mp4_bytes, pdf_bytes, png_bytes, truncated_png
from .helpers import browser_post

pytestmark = pytest.mark.django_db


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("节目单.png", png_bytes(), ("png", "image/png")),
        ("照片.JPG", jpeg_bytes(), ("jpg", "image/jpeg")),
        ("照片.jpeg", jpeg_bytes(), ("jpg", "image/jpeg")),
        ("报告.pdf", pdf_bytes(), ("pdf", "application/pdf")),
        ("录像.mp4", mp4_bytes(), ("mp4", "video/mp4")),
        ("录像.flv", flv_bytes(), ("flv", "video/x-flv")),
    ],
)
def test_accepted_types(name, content, expected):
    checked = check_upload(upload(name, content))
    assert (checked.extension, checked.content_type) == expected
    assert checked.size == len(content)


def _message(name, content):
    with pytest.raises(ValidationError) as info:
        check_upload(upload(name, content))
    return info.value.messages


def test_renamed_executable_is_refused():
    assert _message("自审报告.pdf", exe_bytes()) == [
        "文件“自审报告.pdf”的内容与其扩展名不符（不是有效的 pdf 文件），请上传真实的文件。"
    ]


def test_executable_extension_is_refused():
    assert _message("setup.exe", exe_bytes()) == [
        "不支持的文件格式“setup.exe”，请上传 jpg、jpeg、png、mp4、flv 或 pdf 格式的文件。"
    ]


def test_png_named_mp4_is_refused():
    assert _message("视频.mp4", png_bytes()) == [
        "文件“视频.mp4”的内容与其扩展名不符（不是有效的 mp4 文件），请上传真实的文件。"
    ]


def test_jpeg_named_png_is_refused():
    assert _message("图.png", jpeg_bytes()) == [
        "文件“图.png”的内容与其扩展名不符（不是有效的 png 文件），请上传真实的文件。"
    ]


def test_truncated_png_is_refused():
    assert _message("节目单.png", truncated_png()) == ["图片文件已损坏或不完整，请重新上传。"]


def test_truncated_jpeg_is_refused():
    data = jpeg_bytes()
    assert _message("照片.jpg", data[: len(data) // 2]) == ["图片文件已损坏或不完整，请重新上传。"]


def test_pdf_without_eof_marker_is_refused():
    assert _message("报告.pdf", pdf_bytes().replace(b"%%EOF", b"")) == ["PDF文件已损坏或不完整，请重新上传。"]


def test_empty_file_is_refused():
    assert _message("报告.pdf", b"") == ["文件“报告.pdf”是空文件。"]


def test_oversize_document_is_refused(settings):
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 100
    assert _message("报告.pdf", pdf_bytes() + b" " * 200) == [
        "文件“报告.pdf”过大（339\xa0字节），此类文件不能超过 100\xa0字节。"
    ]


def test_video_has_its_own_limit(settings):
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 10
    settings.UPLOAD_MAX_VIDEO_BYTES = 1000
    assert check_upload(upload("录像.mp4", mp4_bytes())).extension == "mp4"
    settings.UPLOAD_MAX_VIDEO_BYTES = 20
    assert _message("录像.mp4", mp4_bytes())[0].startswith("文件“录像.mp4”过大")


# --- through the page -----------------------------------------------------------------------


def _post_file(client, filing, item, name, content):
    url = reverse("filings:edit", args=[filing.public_id])
    return browser_post(client, url, "save:materials", files={f"material-{item}": upload(name, content)})


def _stored_files(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _dirs, files in os.walk(root) for f in files)


def test_upload_through_the_page_stores_under_a_random_name(member_client, empty_draft, settings):
    response = _post_file(member_client, empty_draft, "self_review", "自审报告.pdf", pdf_bytes())
    assert response.status_code == 302
    material = Material.objects.get(version_id=empty_draft.application_version_id)
    assert (material.item, material.original_name, material.content_type) == (
        "self_review",
        "自审报告.pdf",
        "application/pdf",
    )
    assert material.file.name.startswith("filings/")
    assert "自审报告" not in material.file.name
    assert _stored_files(settings) == [material.file.name]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "自审报告.pdf",
            exe_bytes(),
            "文件“自审报告.pdf”的内容与其扩展名不符（不是有效的 pdf 文件），请上传真实的文件。",
        ),
        ("节目单.png", truncated_png(), "图片文件已损坏或不完整，请重新上传。"),
        ("视频.mp4", png_bytes(), "文件“视频.mp4”的内容与其扩展名不符（不是有效的 mp4 文件），请上传真实的文件。"),
    ],
)
def test_refused_upload_shows_the_message_and_stores_nothing(
    member_client, empty_draft, settings, name, content, message
):
    response = _post_file(member_client, empty_draft, "self_review", name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Material.objects.count() == 0
    assert _stored_files(settings) == []


def test_oversize_upload_through_the_page_stores_nothing(member_client, empty_draft, settings):
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 64
    response = _post_file(member_client, empty_draft, "copyright", "版权.pdf", pdf_bytes() + b" " * 100)
    assert response.status_code == 200
    assert "此类文件不能超过 64\xa0字节" in response.content.decode()
    assert Material.objects.count() == 0
    assert _stored_files(settings) == []


def test_one_bad_file_among_several_stores_none(member_client, empty_draft, settings):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = browser_post(
        member_client,
        url,
        "save",
        files={
            "material-programme_list": [upload("a.png", png_bytes()), upload("b.pdf", exe_bytes())],
        },
    )
    assert response.status_code == 200
    assert Material.objects.count() == 0
    assert _stored_files(settings) == []


def test_several_files_per_item(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    browser_post(
        member_client,
        url,
        "save",
        files={
            "material-programme_list": [upload("a.png", png_bytes()), upload("b.jpg", jpeg_bytes())],
        },
    )
    names = list(Material.objects.order_by("original_name").values_list("item", "original_name"))
    assert names == [("programme_list", "a.png"), ("programme_list", "b.jpg")]


def test_large_upload_is_streamed_to_a_temporary_file(member_client, empty_draft, settings):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE Django writes the upload to disk; the check reads pieces only."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    content = mp4_bytes() + b"\x00" * 50_000
    response = _post_file(member_client, empty_draft, "content_info", "录像.mp4", content)
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.size == len(content)
    with material.file.open("rb") as handle:
        assert handle.read() == content


def test_deleting_a_file_removes_it_from_storage(member_client, empty_draft, settings):
    _post_file(member_client, empty_draft, "self_review", "自审报告.pdf", pdf_bytes())
    material = Material.objects.get()
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = browser_post(member_client, url, f"file-delete:{material.token}")
    assert response.status_code == 302
    assert Material.objects.count() == 0
    assert _stored_files(settings) == []
