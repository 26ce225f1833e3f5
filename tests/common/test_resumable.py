"""The tus 1.0.0 server (common/resumable/): core, creation, checksum, termination, expiration.

A test target (``SinkTarget``) stands in for a programme: it refuses names ending in ".exe" at
creation and keeps what it receives at completion, so the protocol is tested apart from 材料
(tests/filings/test_resumable_materials.py tests that target).
"""

import hashlib
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from common.resumable import files, services
from common.resumable.models import Upload, UploadState
from common.resumable.targets import Refused
from tests.factories import ApplicantFactory

from .tus import Tus, checksum_header

pytestmark = pytest.mark.django_db

RECEIVED: list[dict] = []


class SinkTarget:
    def prepare(self, user, metadata, length):
        if metadata.get("filename", "").endswith(".exe"):
            raise Refused(422, "不支持的文件格式")

    def complete(self, user, upload, metadata):
        with open(upload.temporary_file_path(), "rb") as handle:
            RECEIVED.append({"user": user, "name": upload.name, "size": upload.size, "data": handle.read()})


META = {"target": "test.sink", "filename": "录像.mp4", "filetype": "video/mp4"}


@pytest.fixture(autouse=True)
def resumable(settings, tmp_path):
    settings.UPLOAD_RESUMABLE_ROOT = tmp_path / "private" / "resumable"
    settings.UPLOAD_RESUMABLE_TARGETS = {"test.sink": "tests.common.test_resumable.SinkTarget"}
    RECEIVED.clear()
    return settings


@pytest.fixture
def user():
    return ApplicantFactory()


@pytest.fixture
def tus(client, user):
    client.force_login(user)
    return Tus(client)


def _other():
    other = Client()
    other.force_login(ApplicantFactory())
    return Tus(other)


def _token(location):
    return location.rstrip("/").rsplit("/", 1)[1]


def test_options_tells_version_extensions_size_and_checksums(tus):
    response = tus.client.options("/uploads/tus/")

    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"].split(",") == ["creation", "checksum", "termination", "expiration"]
    assert response["Tus-Max-Size"] == str(2 * 1024 * 1024 * 1024)
    assert "sha256" in response["Tus-Checksum-Algorithm"].split(",")


def test_create_then_head_gives_offset_zero_and_the_declared_length(tus, user):
    created = tus.create(1000, META)

    assert created.status_code == 201
    assert created["Location"].startswith("/uploads/tus/")
    assert "GMT" in created["Upload-Expires"]
    upload = Upload.objects.get()
    assert (upload.owner, upload.length, upload.offset, upload.metadata) == (user, 1000, 0, META)
    assert files.partial_path(upload.token).read_bytes() == b""
    head = tus.head(created["Location"])
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, "0", "1000")
    assert head["Cache-Control"].count("no-store") >= 1


def test_patch_appends_and_the_last_chunk_hands_the_file_over_with_its_sha256(tus, user):
    data = bytes(range(256)) * 1000  # 256,000 bytes
    location = tus.create(len(data), META)["Location"]

    first = tus.patch(location, 0, data[:100_000])
    assert (first.status_code, first["Upload-Offset"]) == (204, "100000")
    assert tus.head(location)["Upload-Offset"] == "100000"
    assert RECEIVED == []
    last = tus.patch(location, 100_000, data[100_000:])

    assert (last.status_code, last["Upload-Offset"]) == (204, str(len(data)))
    assert [(r["user"], r["name"], r["size"], r["data"] == data) for r in RECEIVED] == [
        (user, "录像.mp4", len(data), True)
    ]
    upload = Upload.objects.get()
    assert (upload.state, upload.sha256) == (UploadState.DONE, hashlib.sha256(data).hexdigest())
    assert not files.exists(upload.token)
    assert tus.head(location)["Upload-Offset"] == str(len(data))


def test_wrong_offset_is_a_conflict_and_changes_nothing(tus):
    location = tus.create(100, META)["Location"]
    assert tus.patch(location, 0, b"a" * 40).status_code == 204

    behind = tus.patch(location, 0, b"b" * 40)
    ahead = tus.patch(location, 60, b"c" * 40)

    assert (behind.status_code, ahead.status_code) == (409, 409)
    assert behind["Upload-Offset"] == "40"
    assert files.partial_path(_token(location)).read_bytes() == b"a" * 40
    assert tus.head(location)["Upload-Offset"] == "40"


def test_chunk_checksum_mismatch_is_460_and_the_chunk_is_dropped(tus):
    location = tus.create(80, META)["Location"]

    wrong = tus.patch(location, 0, b"x" * 40, checksum=checksum_header(b"y" * 40))
    assert wrong.status_code == 460
    assert tus.head(location)["Upload-Offset"] == "0"
    assert files.partial_path(_token(location)).read_bytes() == b""
    right = tus.patch(location, 0, b"x" * 40, checksum=checksum_header(b"x" * 40))
    sha1 = tus.patch(location, 40, b"z" * 40, checksum=checksum_header(b"z" * 40, "sha1"))

    assert (right.status_code, sha1.status_code, sha1["Upload-Offset"]) == (204, 204, "80")
    assert RECEIVED[0]["data"] == b"x" * 40 + b"z" * 40


def test_unknown_checksum_algorithm_is_refused(tus):
    location = tus.create(10, META)["Location"]

    response = tus.patch(location, 0, b"0123456789", checksum="crc32 AAAAAA==")

    assert response.status_code == 400
    assert tus.head(location)["Upload-Offset"] == "0"


def test_whole_file_sha256_declared_by_the_client_is_compared(tus):
    data = b"video" * 100
    location = tus.create(len(data), {**META, "sha256": hashlib.sha256(b"other").hexdigest()})["Location"]

    response = tus.patch(location, 0, data)

    assert response.status_code == 460
    assert "SHA-256" in response.json()["errors"][0]
    assert (RECEIVED, Upload.objects.count(), files.exists(_token(location))) == ([], 0, False)
    good = tus.create(len(data), {**META, "sha256": hashlib.sha256(data).hexdigest()})["Location"]
    assert tus.patch(good, 0, data).status_code == 204
    assert RECEIVED[0]["data"] == data


def test_too_large_is_413_before_any_byte_and_past_the_declared_length(tus, settings):
    settings.UPLOAD_RESUMABLE_MAX_BYTES = 1000

    refused = tus.create(1001, META)
    location = tus.create(1000, META)["Location"]
    past = tus.patch(location, 0, b"a" * 1001)

    assert refused.status_code == 413
    assert "过大" in refused.json()["errors"][0]
    assert past.status_code == 413
    assert Upload.objects.count() == 1
    assert tus.head(location)["Upload-Offset"] == "0"


def test_chunk_larger_than_the_chunk_limit_is_413(tus, settings):
    settings.UPLOAD_RESUMABLE_CHUNK_MAX_BYTES = 100
    location = tus.create(1000, META)["Location"]

    assert tus.patch(location, 0, b"a" * 101).status_code == 413
    assert tus.patch(location, 0, b"a" * 100).status_code == 204


def test_terminate_deletes_the_upload_and_its_file(tus):
    location = tus.create(100, META)["Location"]
    tus.patch(location, 0, b"a" * 50)
    token = _token(location)

    response = tus.delete(location)

    assert response.status_code == 204
    assert (Upload.objects.count(), files.exists(token)) == (0, False)
    assert tus.head(location).status_code == 404
    assert tus.patch(location, 50, b"a" * 50).status_code == 404


def test_expired_upload_is_gone_and_the_periodic_job_removes_it(tus):
    old = tus.create(100, META)["Location"]
    tus.patch(old, 0, b"a" * 10)
    fresh = tus.create(100, META)["Location"]
    Upload.objects.filter(token=_token(old)).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert tus.head(old).status_code == 410
    assert tus.patch(old, 10, b"a").status_code == 410
    call_command("purge_uploads")

    assert tus.head(old).status_code == 404
    assert tus.head(fresh).status_code == 200
    assert [u.token for u in Upload.objects.all()] == [_token(fresh)]
    assert (files.exists(_token(old)), files.exists(_token(fresh))) == (False, True)


def test_uploads_expire_a_day_after_their_last_chunk(tus):
    location = tus.create(100, META)["Location"]
    created = Upload.objects.get().expires_at
    assert timedelta(hours=23, minutes=59) < created - timezone.now() <= timedelta(hours=24)
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        tus.patch(location, 0, b"a" * 10)

    assert Upload.objects.get().expires_at - created >= timedelta(minutes=19)


def test_purge_removes_old_files_without_a_record(tus, settings):
    root = settings.UPLOAD_RESUMABLE_ROOT
    root.mkdir(parents=True, exist_ok=True)
    (root / ("0" * 32)).write_bytes(b"left over")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        services.purge_expired()
    assert list(root.iterdir()) == []


def test_another_users_upload_is_not_found_on_head_patch_and_delete(tus):
    location = tus.create(100, META)["Location"]
    tus.patch(location, 0, b"a" * 10)
    other = _other()

    assert [other.head(location).status_code, other.patch(location, 10, b"b" * 10).status_code] == [404, 404]
    assert other.delete(location).status_code == 404
    assert (other.client.get(location).status_code, tus.client.get(location).status_code) == (404, 405)
    # the owner's upload is untouched
    assert (tus.head(location).status_code, tus.head(location)["Upload-Offset"]) == (200, "10")
    assert files.partial_path(_token(location)).read_bytes() == b"a" * 10


def test_anonymous_requests_are_refused(tus):
    location = tus.create(100, META)["Location"]
    anonymous = Tus(Client())

    assert anonymous.create(100, META).status_code == 403
    assert anonymous.head(location).status_code == 403
    assert anonymous.patch(location, 0, b"a").status_code == 403
    assert Upload.objects.count() == 1


def test_csrf_token_header_is_required(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/filings/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    tus = Tus(client)

    without = tus.create(100, META)
    with_token = tus.create(100, META, **{"X-CSRFToken": token})
    location = with_token["Location"]

    assert (without.status_code, with_token.status_code) == (403, 201)
    assert tus.patch(location, 0, b"a" * 10).status_code == 403
    assert tus.patch(location, 0, b"a" * 10, **{"X-CSRFToken": token}).status_code == 204
    assert Upload.objects.count() == 1


def test_tus_version_and_content_type_are_checked(tus):
    location = tus.create(100, META)["Location"]

    no_version = tus.client.head(location)
    wrong_type = tus.client.generic(
        "PATCH", location, b"a", content_type="text/plain", headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "0"}
    )

    assert (no_version.status_code, no_version["Tus-Version"]) == (412, "1.0.0")
    assert wrong_type.status_code == 415
    assert tus.head(location)["Upload-Offset"] == "0"


@pytest.mark.parametrize(
    "headers",
    [
        {"Upload-Length": "-1"},
        {"Upload-Length": "abc"},
        {"Upload-Length": ""},
        {"Upload-Defer-Length": "1"},
        {"Upload-Metadata": "filename not-base64!"},
        {"Upload-Metadata": "target dGVzdC5zaW5r,target dGVzdC5zaW5r"},
        {"Upload-Metadata": "filename AA=="},  # a NUL
    ],
)
def test_malformed_creation_is_400_and_stores_nothing(tus, headers):
    response = tus.client.post(
        "/uploads/tus/",
        content_type="application/octet-stream",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10", "Upload-Metadata": "target dGVzdC5zaW5r", **headers},
    )

    assert response.status_code == 400
    assert response.json()["errors"]
    assert Upload.objects.count() == 0


def test_unknown_target_and_refused_name_store_nothing(tus):
    unknown = tus.create(10, {**META, "target": "nothing"})
    refused = tus.create(10, {**META, "filename": "setup.exe"})

    assert (unknown.status_code, refused.status_code) == (400, 422)
    assert refused.json() == {"errors": ["不支持的文件格式"]}
    assert Upload.objects.count() == 0


def test_creation_is_rate_limited(tus, settings):
    settings.UPLOAD_RESUMABLE_CREATE_PER_HOUR = 2

    statuses = [tus.create(10, META).status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
    assert Upload.objects.count() == 2
    assert _other().create(10, META).status_code == 201  # per user


def test_unfinished_uploads_per_user_are_capped(tus, settings):
    settings.UPLOAD_RESUMABLE_MAX_ACTIVE = 2

    statuses = [tus.create(10, META).status_code for _ in range(3)]

    assert statuses == [201, 201, 429]


def test_patch_requests_are_rate_limited(tus, settings):
    settings.UPLOAD_RESUMABLE_PATCH_PER_MINUTE = 3
    location = tus.create(100, META)["Location"]

    statuses = [tus.patch(location, offset, b"a" * 10).status_code for offset in (0, 10, 20, 30)]

    assert statuses == [204, 204, 204, 429]
    assert tus.head(location)["Upload-Offset"] == "30"


def test_a_second_patch_while_one_runs_is_locked(tus):
    location = tus.create(100, META)["Location"]
    with services._Lock(_token(location)):
        response = tus.patch(location, 0, b"a" * 10)

    assert response.status_code == 423
    assert tus.patch(location, 0, b"a" * 10).status_code == 204


def test_a_dropped_connection_keeps_what_arrived_and_the_client_resumes_from_there(tus, user):
    data = b"0123456789" * 10
    location = tus.create(len(data), META)["Location"]
    token = _token(location)

    with pytest.raises(services.TusError) as info:  # the body ends after 37 of 60 bytes
        services.append(user, token, 0, io.BytesIO(data[:37]), 60, None)
    assert info.value.status == 400
    assert tus.head(location)["Upload-Offset"] == "37"
    response = tus.patch(location, 37, data[37:])

    assert (response.status_code, RECEIVED[0]["data"]) == (204, data)


def test_a_dropped_connection_with_a_checksum_keeps_nothing_of_that_chunk(tus, user):
    location = tus.create(100, META)["Location"]
    token = _token(location)
    checksum = ("sha256", hashlib.sha256(b"a" * 60).digest())

    with pytest.raises(services.TusError):
        services.append(user, token, 0, io.BytesIO(b"a" * 37), 60, checksum)

    assert tus.head(location)["Upload-Offset"] == "0"
    assert files.partial_path(token).read_bytes() == b""


class _SlowBody(io.BytesIO):
    """A request body that stops half-way until ``go`` is set (a chunk still arriving)."""

    def __init__(self, data: bytes, started, go):
        super().__init__(data)
        self.half, self.started, self.go = len(data) // 2, started, go

    def read(self, size=-1):
        if self.tell() >= self.half and not self.go.is_set():
            self.started.set()
            self.go.wait(10)
        return super().read(min(size, self.half) if self.tell() < self.half else size)


@pytest.mark.django_db(transaction=True)
def test_two_patches_of_one_upload_at_once_count_the_bytes_once(user, settings):
    import threading

    upload = services.create(user, 200, META)
    started, go, answers = threading.Event(), threading.Event(), []

    def first():
        try:
            answers.append(services.append(user, upload.token, 0, _SlowBody(b"a" * 100, started, go), 100, None).offset)
        except services.TusError as exc:
            answers.append(exc.status)

    thread = threading.Thread(target=first)
    thread.start()
    assert started.wait(10)
    with pytest.raises(services.TusError) as second:  # the same chunk sent again meanwhile
        services.append(user, upload.token, 0, io.BytesIO(b"b" * 100), 100, None)
    go.set()
    thread.join(10)

    assert second.value.status == 423
    assert answers == [100]
    upload.refresh_from_db()
    assert upload.offset == 100
    assert files.partial_path(upload.token).read_bytes() == b"a" * 100
