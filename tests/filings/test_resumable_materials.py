"""材料 by resumable (tus) upload: the same checks, row, audit and downloads as the plain form.

The tus requests go through common/resumable/ to the ``filings.material`` target; what a user checks
is the editor's 材料上传 list, the download link and the message of a refused file.
"""

import hashlib
import os

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from common.resumable import files
from common.resumable.models import Upload, UploadState
from filings.enums import FilingState
from filings.models import Material
from tests.common.tus import Tus

from .factories import exe_bytes, make_change, make_filing, mp4_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def resumable_root(settings, tmp_path):
    settings.UPLOAD_RESUMABLE_ROOT = tmp_path / "private" / "resumable"
    return settings.UPLOAD_RESUMABLE_ROOT


@pytest.fixture
def draft(unit, member):
    return make_filing(organisation=unit, by=member, complete=False)


def _client(user) -> Tus:
    client = Client()
    client.force_login(user)
    return Tus(client)


def _meta(filing, name="演出录像.mp4", item="content_info", kind="filing"):
    return {
        "target": "filings.material",
        "filename": name,
        "filetype": "video/mp4",
        "kind": kind,
        "application": filing.public_id,
        "item": item,
    }


def video(size: int = 300_000) -> bytes:
    head = mp4_bytes()
    return head + bytes(range(256)) * ((size - len(head)) // 256)


def _stored_files(root) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _s, names in os.walk(root) for f in names)


def test_completed_upload_is_listed_in_materials_and_downloadable_by_its_unit_only(
    unit, member, other_member, draft, settings
):
    data = video()
    tus = _client(member)

    location, last = tus.upload(data, _meta(draft), chunk=100_000)

    assert last.status_code == 204
    material = Material.objects.get(version=draft.application_version)
    assert (material.item, material.original_name, material.size, material.content_type, material.uploaded_by) == (
        "content_info",
        "演出录像.mp4",
        len(data),
        "video/mp4",
        member,
    )
    page = tus.client.get(reverse("filings:edit", args=[draft.public_id])).content.decode()
    download = reverse("filings:download", args=[material.token])
    assert f'<a href="{download}">演出录像.mp4</a>' in page
    mine = tus.client.get(download)
    assert mine.status_code == 200
    assert hashlib.sha256(b"".join(mine.streaming_content)).hexdigest() == hashlib.sha256(data).hexdigest()
    theirs = _client(other_member).client.get(download)
    assert theirs.status_code == 404
    # the same audit record as the plain form's, and the partial file was moved, not copied
    event = AuditEvent.objects.get(action="filings.material_uploaded")
    assert (event.actor, event.target, event.detail) == (
        member,
        draft.public_id,
        {"item": "content_info", "files": ["演出录像.mp4"]},
    )
    upload = Upload.objects.get()
    assert (upload.state, upload.sha256) == (UploadState.DONE, hashlib.sha256(data).hexdigest())
    assert not files.exists(upload.token)
    assert _stored_files(settings.PRIVATE_MEDIA_ROOT) == [material.file.name]


def test_renamed_executable_is_refused_with_its_message_and_deleted(member, draft, settings):
    data = exe_bytes() * 1000
    tus = _client(member)

    location, last = tus.upload(data, _meta(draft, name="setup.mp4"), chunk=100_000)

    assert last.status_code == 422
    assert last.json() == {"errors": ["文件“setup.mp4”的内容与其扩展名不符（不是有效的 mp4 文件），请上传真实的文件。"]}
    assert (Material.objects.count(), Upload.objects.count()) == (0, 0)
    assert _stored_files(settings.PRIVATE_MEDIA_ROOT) == []
    assert tus.head(location).status_code == 404
    assert not AuditEvent.objects.filter(action="filings.material_uploaded").exists()


def test_name_and_size_are_checked_before_any_byte(member, draft, settings):
    settings.UPLOAD_MAX_VIDEO_BYTES = 1000
    tus = _client(member)

    exe = tus.create(100, _meta(draft, name="setup.exe"))
    big = tus.create(1001, _meta(draft))
    empty = tus.create(0, _meta(draft))

    assert (exe.status_code, big.status_code, empty.status_code) == (422, 413, 422)
    assert exe.json()["errors"] == ["不支持的文件格式“setup.exe”，请上传 jpg、jpeg、png、mp4、flv 或 pdf 格式的文件。"]
    assert big.json()["errors"] == ["文件“演出录像.mp4”过大（1001\xa0字节），此类文件不能超过 1000\xa0字节。"]
    assert Upload.objects.count() == 0
    assert tus.create(1000, _meta(draft)).status_code == 201


def test_another_units_application_is_not_found_and_their_own_is_accepted(unit, member, other_member, draft):
    theirs = _client(other_member).create(1000, _meta(draft))
    mine = _client(member).create(1000, _meta(draft))

    assert theirs.status_code == 404
    assert theirs.json()["errors"] == ["申请不存在或您无权修改。"]
    assert mine.status_code == 201
    assert list(Upload.objects.values_list("owner", flat=True)) == [member.pk]


def test_another_member_of_the_same_unit_cannot_continue_someone_elses_upload(unit, member, draft):
    from .factories import applicant

    colleague = applicant(unit)
    tus = _client(member)
    location = tus.create(1000, _meta(draft))["Location"]

    assert _client(colleague).head(location).status_code == 404
    assert tus.head(location).status_code == 200


def test_submitted_application_takes_no_upload(unit, member):
    submitted = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)

    response = _client(member).create(1000, _meta(submitted))

    assert (response.status_code, response.json()["errors"]) == (403, ["提交后不能修改。"])
    assert Upload.objects.count() == 0


def test_application_submitted_during_the_upload_refuses_the_file_at_the_end(unit, member, settings):
    from filings.services import lifecycle

    filing = make_filing(organisation=unit, by=member)
    before = sorted(Material.objects.values_list("file", flat=True))
    data = video(200_000)
    tus = _client(member)
    location = tus.create(len(data), _meta(filing))["Location"]
    tus.patch(location, 0, data[:100_000])
    lifecycle.submit(member, filing)

    last = tus.patch(location, 100_000, data[100_000:])

    assert (last.status_code, last.json()["errors"]) == (403, ["提交后不能修改。"])
    assert sorted(Material.objects.values_list("file", flat=True)) == before
    assert Upload.objects.count() == 0
    assert _stored_files(settings.PRIVATE_MEDIA_ROOT) == before


def test_change_request_takes_materials_only_when_its_materials_part_is_ticked(unit, member):
    approved = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    programme_only = make_change(approved, by=member, parts=("programme",))
    tus = _client(member)

    refused = tus.create(1000, _meta(programme_only, kind="change"))
    programme_only.parts = ["programme", "materials"]
    programme_only.save(update_fields=["parts"])
    data = video(50_000)
    _location, last = tus.upload(data, _meta(programme_only, kind="change"))

    assert (refused.status_code, refused.json()["errors"]) == (403, ["请先勾选“变更材料上传”并保存，再修改此部分。"])
    assert last.status_code == 204
    added = Material.objects.filter(version=programme_only.version, original_name="演出录像.mp4")
    assert [(m.item, m.size) for m in added] == [("content_info", len(data))]


def test_unknown_item_is_refused(member, draft):
    response = _client(member).create(1000, _meta(draft, item="nothing"))

    assert (response.status_code, response.json()["errors"]) == (400, ["请选择要上传的材料项。"])


def test_editor_tells_the_page_where_to_send_large_files(member, draft, settings):
    settings.UPLOAD_RESUMABLE_CHUNK_BYTES = 1234
    page = _client(member).client.get(reverse("filings:edit", args=[draft.public_id])).content.decode()

    assert '<script id="resumable-settings" type="application/json">' in page
    assert '"endpoint": "/uploads/tus/"' in page
    assert f'"application": "{draft.public_id}"' in page
    assert '"chunk": 1234' in page
    assert 'data-tus-item="content_info"' in page
    assert "vendor/tus/tus.min.js" in page
