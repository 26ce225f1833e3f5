"""NRTA 推优证书: 注销 on the reviewers' site withdraws the work's result, so the published list and
the certificate agree (withdraw_result revokes the certificate the other way round)."""

import pytest

from awards.enums import NominationState
from awards.models import ResultWithdrawal
from review import certificates as certs
from review.enums import CertificateStatus
from review.models import Certificate, CertificateEvent
from tests.awards.factories import nrta_ministry, nrta_official
from tests.awards.test_publication_results import published, works  # noqa: F401 (fixtures)
from tests.review.conftest import drain_outbox

pytestmark = pytest.mark.django_db


def test_revoking_a_recommendation_certificate_withdraws_the_result(
    published,  # noqa: F811
    works,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    certificate = Certificate.objects.get(object_id=works[0].pk)
    # A provincial NRTA official may not (the certificate is the 总局's), and nothing changes.
    with pytest.raises(certs.CertificateError, match="只有国家广播电视总局工作人员可以办理公示与公布。"):
        certs.change_status(certificate, "revoke", actor=nrta_official("430000"), reason="violation", note="越权")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID and not CertificateEvent.objects.exists()
    staff = nrta_ministry(full_name="李总局")
    with django_capture_on_commit_callbacks(execute=True):
        certs.change_status(certificate, "revoke", actor=staff, reason="violation", note="经核查存在版权纠纷")
    works[0].refresh_from_db()
    certificate.refresh_from_db()
    assert works[0].state == NominationState.WITHDRAWN
    assert ResultWithdrawal.objects.get(nomination=works[0]).reason == "经核查存在版权纠纷"
    assert certificate.status == CertificateStatus.REVOKED
    assert CertificateEvent.objects.filter(certificate=certificate).count() == 1  # not revoked twice
    # The other works keep theirs.
    assert Certificate.objects.get(object_id=works[1].pk).status == CertificateStatus.VALID
