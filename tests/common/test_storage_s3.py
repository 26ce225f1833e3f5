"""Private files on S3-compatible object storage (PRIVATE_STORAGE=s3), against moto's standalone server.

Upload a filing material through the page, download it as the unit (a redirect to a link signed
for 60 s, which the object store serves), refused for another unit (404, no link), the object is
private. moto does not enforce a signed link's expiry (MinIO and real S3 do), so the expiry is
asserted on the link's signed parameters.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from common import storage as private_storage
from filings.models import Material
from tests.filings.factories import EnterpriseFactory, applicant, make_filing, pdf_bytes
from tests.filings.helpers import browser_post

boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (requirements.txt)")
pytest.importorskip("storages", reason="django-storages is not installed (requirements.txt)")

BUCKET = "portal-private-test"
MOTO_SERVER = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    if MOTO_SERVER is None:
        pytest.skip("moto[server] is not installed (requirements-dev.txt): no standalone S3 server to test against")
    port = _free_port()
    process = subprocess.Popen(
        [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MOTO_PORT": str(port)},
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start on port {port}")
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _s3_env(endpoint: str) -> dict:
    return {
        "PRIVATE_STORAGE": "s3",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "us-east-1",
    }


@pytest.fixture
def s3(s3_endpoint, settings):
    """The default storage is the bucket, configured as the settings do from the environment."""
    values = _s3_env(s3_endpoint)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": private_storage.storages_config(
            lambda name, default="": values.get(name, default),
            lambda name, default=False: default,
            local_root="/nonexistent",
        ),
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


@pytest.fixture
def unit_member(db):
    return applicant(EnterpriseFactory(name="湖南示例文化传媒有限公司"))


def _upload(client, member) -> Material:
    filing = make_filing(organisation=member.organisation, by=member, complete=False)
    client.force_login(member)
    response = browser_post(
        client,
        reverse("filings:edit", args=[filing.public_id]),
        "save:materials",
        files={"material-self_review": _file("自审报告.pdf", pdf_bytes("自审"))},
    )
    assert response.status_code == 302
    return Material.objects.get(version_id=filing.application_version_id)


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.mark.django_db
def test_an_upload_goes_to_the_bucket_and_its_owner_downloads_it_through_a_signed_link(client, s3, unit_member):
    material = _upload(client, unit_member)

    assert _keys(s3) == [material.file.name] and material.file.name.startswith("filings/")
    response = client.get(reverse("filings:download", args=[material.token]))

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"
    link = response["Location"]
    assert link.startswith(s3.meta.endpoint_url + f"/{BUCKET}/filings/")
    with urllib.request.urlopen(link, timeout=10) as fetched:
        body = fetched.read()
        headers = fetched.headers
    assert body == pdf_bytes("自审")
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E8%87%AA%E5%AE%A1%E6%8A%A5%E5%91%8A.pdf"
    )


@pytest.mark.django_db
def test_another_unit_gets_404_and_no_link(client, s3, unit_member):
    material = _upload(client, unit_member)
    stranger = applicant(EnterpriseFactory(name="另一家文化公司"))
    client.force_login(stranger)

    response = client.get(reverse("filings:download", args=[material.token]))

    assert response.status_code == 404
    assert "Location" not in response and BUCKET not in response.content.decode()
    client.logout()
    anonymous = client.get(reverse("filings:download", args=[material.token]))
    assert anonymous.status_code == 302 and BUCKET not in anonymous["Location"]


@pytest.mark.django_db
def test_the_link_is_signed_for_sixty_seconds_and_the_object_is_private(client, s3, unit_member):
    material = _upload(client, unit_member)
    signed_at = datetime.now(UTC)
    link = client.get(reverse("filings:download", args=[material.token]))["Location"]
    query = parse_qs(urlsplit(link).query)

    assert query["X-Amz-Expires"] == ["60"]
    issued = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((issued - signed_at).total_seconds()) < 5
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Signature"][0]
    grants = s3.get_object_acl(Bucket=BUCKET, Key=material.file.name)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]
    # A link is not a key: it names one object and its download name, nothing else.
    assert urlsplit(link).path == f"/{BUCKET}/{material.file.name}"
    assert "testing" not in link.replace("Credential=testing", "")


@pytest.mark.django_db
def test_a_certificate_style_download_through_common_files_redirects_too(s3, rf):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from common.files import private_file_response

    name = default_storage.save("certificates/证照.pdf", ContentFile(b"%PDF-1.7 test"))
    response = private_file_response(name, filename="证照.pdf", content_type="application/pdf")

    assert response.status_code == 302
    with urllib.request.urlopen(response["Location"], timeout=10) as fetched:
        assert fetched.read() == b"%PDF-1.7 test"


def test_the_settings_choose_the_storage_from_the_environment():
    local = private_storage.storages_config(lambda n, d="": d, lambda n, d=False: d, local_root="/srv/private")
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    values = _s3_env("http://minio:9000")
    s3 = private_storage.storages_config(lambda n, d="": values.get(n, d), lambda n, d=False: d, local_root="/x")
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3["OPTIONS"]
    assert (options["querystring_auth"], options["querystring_expire"], options["default_acl"]) == (True, 60, None)
    assert options["file_overwrite"] is False and options["endpoint_url"] == "http://minio:9000"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        private_storage.storages_config(lambda n, d="": "ftp", lambda n, d=False: d, local_root="/x")


def test_docker_compose_offers_minio_and_env_example_documents_every_storage_setting():
    import re

    root = Path(__file__).resolve().parents[2]
    compose = (root / "docker-compose.yml").read_text()
    assert re.search(r"^  minio:\n    image: minio/minio", compose, re.M)
    assert 'profiles: ["s3"]' in compose and "mc anonymous set none" in compose
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (root / "deploy" / "env.example").read_text(), re.M))
    read = set(re.findall(r'env(?:_bool)?\("([A-Z][A-Z0-9_]+)"', (root / "common" / "storage.py").read_text()))
    assert read - documented <= {"AWS_S3_ADDRESSING_STYLE", "AWS_LOCATION", "AWS_S3_VERIFY"}
    assert {"PRIVATE_STORAGE", "AWS_S3_ENDPOINT_URL", "AWS_STORAGE_BUCKET_NAME", "MINIO_ROOT_USER"} <= documented
