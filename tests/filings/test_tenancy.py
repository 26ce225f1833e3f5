"""Nobody sees or changes another unit's applications or files; officials only their province's (SPEC §People)."""

import pytest
from django.test import Client
from django.urls import reverse

from filings.enums import FilingState
from filings.models import ChangeRequest, Filing, FilingVersion, Material

from .factories import make_change, make_filing, official

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_unit, other_member):
    """Unit B's applications in several states, with files."""
    return {
        "draft": make_filing(organisation=other_unit, by=other_member),
        "submitted": make_filing(organisation=other_unit, by=other_member, state=FilingState.SUBMITTED),
        "approved": make_filing(organisation=other_unit, by=other_member, state=FilingState.APPROVED),
    }


def _snapshot():
    return (
        list(Filing.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        list(FilingVersion.objects.order_by("pk").values_list("pk", "name", "email")),
        Material.objects.count(),
    )


def test_unit_a_gets_404_for_everything_of_unit_b(member_client, other_member, theirs):
    before = _snapshot()
    draft, submitted, approved = theirs["draft"], theirs["submitted"], theirs["approved"]
    gets = [
        reverse("filings:detail", args=[draft.public_id]),
        reverse("filings:edit", args=[draft.public_id]),
        reverse("filings:programme", args=[approved.public_id]),
        reverse("filings:change_start", args=[approved.public_id]),
    ]
    downloads = [reverse("filings:download", args=[m.token]) for m in Material.objects.all()]
    assert len(downloads) == 6
    # Unit B's own member opens every one of these pages and files ...
    owner = Client()
    owner.force_login(other_member)
    for url in gets + downloads:
        assert owner.get(url).status_code == 200, url
    # ... unit A's member none.
    for url in gets:
        assert member_client.get(url).status_code == 404, url
    posts = [
        (
            reverse("filings:edit", args=[draft.public_id]),
            {"sections": "basic", "basic-email": "x@x.cn", "action": "save"},
        ),
        (reverse("filings:withdraw", args=[submitted.public_id]), {}),
        (reverse("filings:delete", args=[draft.public_id]), {}),
        (reverse("filings:change_start", args=[approved.public_id]), {"change-parts": ["programme"]}),
    ]
    for url, data in posts:
        assert member_client.post(url, data).status_code == 404, url
    for url in downloads:
        assert member_client.get(url).status_code == 404, url
    assert _snapshot() == before
    # The same posts by unit B's member do what they say.
    assert owner.post(reverse("filings:withdraw", args=[submitted.public_id])).status_code == 302
    assert Filing.objects.get(pk=submitted.pk).state == FilingState.DRAFT
    assert owner.post(reverse("filings:delete", args=[draft.public_id])).status_code == 302
    assert not Filing.objects.filter(pk=draft.pk).exists()


def test_unit_a_gets_404_for_unit_b_change_requests(member_client, other_member, theirs):
    change = make_change(theirs["approved"], by=other_member)
    owner = Client()
    owner.force_login(other_member)
    for name in ("filings:change_detail", "filings:change_edit"):
        assert owner.get(reverse(name, args=[change.public_id])).status_code == 200
        assert member_client.get(reverse(name, args=[change.public_id])).status_code == 404
    assert member_client.post(reverse("filings:change_delete", args=[change.public_id])).status_code == 404
    change.refresh_from_db()
    assert change.state == FilingState.DRAFT
    assert owner.post(reverse("filings:change_delete", args=[change.public_id])).status_code == 302
    assert not ChangeRequest.objects.filter(pk=change.pk).exists()


def test_unit_b_lists_do_not_show_in_unit_a(member_client, theirs):
    body = member_client.get(reverse("filings:status")).content.decode()
    assert "暂无数据" in body
    for filing in theirs.values():
        assert filing.application_version.name not in body
    body = member_client.get(reverse("filings:programmes")).content.decode()
    assert theirs["approved"].application_version.name not in body


def test_own_files_download_with_safe_headers(member_client, draft):
    material = Material.objects.filter(version_id=draft.application_version_id).first()
    response = member_client.get(reverse("filings:download", args=[material.token]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_uses_x_accel_redirect_when_configured(member_client, draft, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected/"
    material = Material.objects.filter(version_id=draft.application_version_id).first()
    response = member_client.get(reverse("filings:download", args=[material.token]))
    assert response["X-Accel-Redirect"] == "/protected/" + material.file.name
    assert response.content == b""


def test_hunan_official_downloads_submitted_files_of_hunan(client, hunan_official, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    material = Material.objects.filter(version_id=filing.application_version_id).first()
    client.force_login(hunan_official)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 200


def test_official_cannot_download_files_of_a_draft(client, hunan_official, draft, member):
    from review.engine import perform

    material = Material.objects.filter(version_id=draft.application_version_id).first()
    client.force_login(hunan_official)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 404
    # The same file, once the application is submitted, is the official's to read.
    perform(draft, "submit", actor=member)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 200


def test_beijing_official_gets_404_for_a_hunan_filing(client, beijing_official, unit, member):
    from review.engine import NotPermitted, perform

    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    material = Material.objects.filter(version_id=filing.application_version_id).first()
    client.force_login(beijing_official)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 404
    assert client.get(reverse("filings:detail", args=[filing.public_id])).status_code == 404
    with pytest.raises(NotPermitted):
        perform(filing, "accept", actor=beijing_official)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED
    # The Hunan official reads the file and accepts; the unit's member opens the application.
    hunan = official("430000")
    client.force_login(hunan)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 200
    assert perform(filing, "accept", actor=hunan).state == FilingState.REVIEWING
    client.force_login(member)
    assert client.get(reverse("filings:detail", args=[filing.public_id])).status_code == 200


def test_ministry_staff_download_any_submitted_file(client, ministry_staff, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    material = Material.objects.filter(version_id=filing.application_version_id).first()
    client.force_login(ministry_staff)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 200


def test_staff_download_is_audited(client, hunan_official, unit, member):
    from accounts.models import AuditEvent

    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    material = Material.objects.filter(version_id=filing.application_version_id).first()
    client.force_login(hunan_official)
    client.get(reverse("filings:download", args=[material.token]))
    event = AuditEvent.objects.get(action="filings.material_downloaded")
    assert (event.actor, event.target, event.detail["file"]) == (hunan_official, filing.public_id, "报告.pdf")


def test_change_request_files_follow_the_change_scope(client, hunan_official, beijing_official, approved, member):
    change = make_change(approved, by=member, parts=("materials",))
    material = Material.objects.filter(version_id=change.version_id).first()
    client.force_login(hunan_official)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 404  # draft change
    from review.engine import perform

    perform(change, "submit", actor=member)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 200
    client.force_login(beijing_official)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 404


def test_unknown_token_is_404(member_client):
    assert member_client.get(reverse("filings:download", args=["nope"])).status_code == 404
