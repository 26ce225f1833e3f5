"""A certificate's status life on real MCT filings: 暂扣 / 恢复有效 / 注销 / 失效 on the reviewers'
site, and the programme, its change and the public verify page following it."""

import re

import pytest

from accounts.enums import Authority, StaffLevel
from accounts.models import AuditEvent
from filings.enums import FilingState
from filings.models import ChangeRequest
from review import certificates as certs
from review.enums import CertificateStatus
from review.models import Certificate, CertificateEvent, OutboxEvent, ReviewRecord
from tests.factories import StaffFactory
from tests.filings.factories import EnterpriseFactory, applicant, make_change, make_filing
from tests.review.conftest import drain_outbox

pytestmark = pytest.mark.django_db

LIST = "/staff/review/certificate/"


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def unit():
    return EnterpriseFactory(name="湖南芒果网络演艺有限公司", province="430000")


@pytest.fixture
def member(unit):
    return applicant(unit)


@pytest.fixture
def filing(django_capture_on_commit_callbacks, unit, member):
    with django_capture_on_commit_callbacks(execute=True):
        filing = make_filing(state=FilingState.APPROVED, organisation=unit, by=member, name="湘江夜话")
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    return filing


@pytest.fixture
def ministry_staff():
    return StaffFactory(full_name="部审核", profile__level=StaffLevel.MINISTRY)


def change_via_admin(client, certificate, action, reason, note):
    """The two steps of the staff page: the form (→ confirmation page), then 确认."""
    url = f"{LIST}{certificate.public_id}/status/{action}/"
    confirm = client.post(url, {"reason": reason, "note": note})
    assert confirm.status_code == 200
    assert 'data-testid="status-confirm"' in confirm.content.decode()
    return client.post(url, {"reason": reason, "note": note, "confirm": "1"})


def test_suspend_restore_revoke_and_the_programme_follows(
    django_capture_on_commit_callbacks, client, filing, member, ministry_staff
):
    certificate = Certificate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        change = make_change(filing, by=member, state=FilingState.SUBMITTED, name="变更中的名称")
    verify_url = f"/verify/{certificate.token}/"
    assert "该证照真实有效" in text(client.get(verify_url))

    # 暂扣 by ministry staff: confirmation page, then the change.
    client.force_login(ministry_staff)
    with django_capture_on_commit_callbacks(execute=True):
        done = change_via_admin(client, certificate, "suspend", "rectification", "平台直播内容待整改，内部编号A-17")
    assert done.status_code == 302
    certificate.refresh_from_db()
    filing.refresh_from_db()
    change.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED
    assert certificate.status_changed_by == ministry_staff
    assert filing.state == FilingState.SUSPENDED
    assert change.state == FilingState.CLOSED  # closed, with a record saying why
    record = ReviewRecord.objects.get(object_id=change.pk, transition="certificate_close")
    assert record.comment == "证照暂扣：平台直播内容待整改，内部编号A-17"
    assert AuditEvent.objects.get(action="certificate.suspend").actor == ministry_staff
    assert OutboxEvent.objects.filter(topic="notify", payload__title="证照已暂扣").count() == 1
    page = text(client.get(verify_url))
    assert "暂扣" in page and "原因：责令限期整改" in page
    assert "A-17" not in page and "已备案" not in page and "变更审核中" not in page
    # The unit: listed as 暂扣, no 变更; starting one is refused.
    client.force_login(member)
    programmes = client.get("/filings/programmes/").content.decode()
    assert 'data-testid="programme-suspended"' in programmes
    assert f"/filings/programmes/{filing.public_id}/change/" not in programmes
    refused = client.post(f"/filings/programmes/{filing.public_id}/change/", {"parts": ["programme"]}, follow=True)
    assert ChangeRequest.objects.filter(filing=filing).exclude(state=FilingState.CLOSED).count() == 0
    assert refused.status_code in (200, 404)

    # 恢复有效: back to 已备案 and changeable.
    client.force_login(ministry_staff)
    with django_capture_on_commit_callbacks(execute=True):
        change_via_admin(client, certificate, "restore", "rectified", "整改完成")
    filing.refresh_from_db()
    assert filing.state == FilingState.APPROVED
    assert "该证照真实有效" in text(client.get(verify_url))
    client.force_login(member)
    assert f"/filings/programmes/{filing.public_id}/change/" in client.get("/filings/programmes/").content.decode()

    # 注销: no longer filed, not listed, not changeable; verify says 已注销 with date and category.
    client.force_login(ministry_staff)
    with django_capture_on_commit_callbacks(execute=True):
        change_via_admin(client, certificate, "revoke", "violation", "内部说明：复查不合格")
    filing.refresh_from_db()
    assert filing.state == FilingState.REVOKED
    client.force_login(member)
    assert 'data-testid="programme-row"' not in client.get("/filings/programmes/").content.decode()
    client.logout()
    page = text(client.get(verify_url))
    assert "已注销" in page and "原因：节目内容违规，依法注销" in page and "复查不合格" not in page
    assert [(e.from_status, e.to_status) for e in CertificateEvent.objects.order_by("pk")] == [
        ("valid", "suspended"),
        ("suspended", "valid"),
        ("valid", "revoked"),
    ]
    # Terminal: no more actions offered, and the service refuses.
    assert certs.actions_for(Certificate.objects.get()) == []
    with pytest.raises(certs.CertificateError, match="当前状态为“已注销”"):
        certs.change_status(certificate, "restore", actor=ministry_staff, reason="other", note="再次")


def test_expire_closes_the_change_and_ends_the_filing(django_capture_on_commit_callbacks, filing, ministry_staff):
    certificate = Certificate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        change = make_change(filing, state=FilingState.DRAFT, name="草稿变更")
        certs.change_status(certificate, "expire", actor=ministry_staff, reason="term_ended", note="到期")
    filing.refresh_from_db()
    assert filing.state == FilingState.EXPIRED and filing.state_label == "已失效"
    assert not ChangeRequest.objects.filter(pk=change.pk).exists()  # a draft change is discarded, audited
    assert AuditEvent.objects.get(action="filings.change_discarded").target == change.public_id


def test_officials_change_status_only_in_their_province_and_authority(client, filing, hunan_official, beijing_official):
    certificate = Certificate.objects.get()
    url = f"{LIST}{certificate.public_id}/status/suspend/"
    # Another province's official: not found, nothing changed.
    client.force_login(beijing_official)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "investigation", "note": "越权", "confirm": "1"}).status_code == 404
    nrta = StaffFactory(profile__level=StaffLevel.MINISTRY, profile__authority=Authority.NRTA)
    client.force_login(nrta)
    assert client.post(url, {"reason": "investigation", "note": "越权", "confirm": "1"}).status_code == 404
    with pytest.raises(certs.CertificateError, match="您无权变更该证照的状态。"):
        certs.change_status(certificate, "suspend", actor=beijing_official, reason="investigation", note="越权")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID and not CertificateEvent.objects.exists()
    # The province's own official may.
    client.force_login(hunan_official)
    detail = client.get(f"{LIST}{certificate.public_id}/change/").content.decode()
    assert 'data-testid="certificate-suspend"' in detail and 'data-testid="certificate-restore"' not in detail
    done = client.post(url, {"reason": "investigation", "note": "立案", "confirm": "1"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED


def test_bad_input_is_refused_beside_the_field_and_kept(client, filing, ministry_staff):
    certificate = Certificate.objects.get()
    client.force_login(ministry_staff)
    url = f"{LIST}{certificate.public_id}/status/revoke/"
    response = client.post(url, {"reason": "rectified", "note": "保留的说明", "confirm": "1"})  # not a 注销 reason
    assert response.status_code == 200
    page = text(response)
    assert "请更正下面的错误。" in page and "请选择原因类别。" in page
    assert "保留的说明" in response.content.decode()
    empty = client.post(url, {"reason": "violation", "note": "  ", "confirm": "1"})
    assert "请填写情况说明。" in text(empty)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    assert not CertificateEvent.objects.exists() and not AuditEvent.objects.filter(action="certificate.revoke").exists()


def test_unit_certificate_page_shows_status_history_and_the_encoded_address(client, filing, member, ministry_staff):
    certificate = Certificate.objects.get()
    certs.change_status(certificate, "suspend", actor=ministry_staff, reason="investigation", note="核查中")
    client.force_login(member)
    page = client.get(f"/certificates/{certificate.public_id}/")
    body = text(page)
    assert "暂扣" in body and "涉嫌违规，立案调查" in body and "核查中" in body  # the holder sees the note
    assert f"http://127.0.0.1:8000/verify/{certificate.token}/" in body
    assert 'data-testid="pdf-verify-url"' in page.content.decode()
    other = applicant(EnterpriseFactory(province="430000"))
    client.force_login(other)
    assert client.get(f"/certificates/{certificate.public_id}/").status_code == 404
