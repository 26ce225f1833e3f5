"""Two staff changing one certificate's status at once on PostgreSQL: one change, one record."""

import threading

import pytest
from django.db import connection, connections

from accounts.enums import StaffLevel
from review import certificates as certs
from review.enums import CertificateStatus
from review.models import Certificate, CertificateEvent
from tests.factories import OrganisationFactory, StaffFactory
from tests.review.certtestapp.factories import ProgrammeFactory, issue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


def test_two_staff_revoking_at_once_make_one_record():
    org = OrganisationFactory(province="430000")
    certificate = issue(ProgrammeFactory(organisation=org, province="430000"))
    staff = [StaffFactory(profile__level=StaffLevel.MINISTRY) for _ in range(2)] + [
        StaffFactory(profile__province="430000") for _ in range(2)
    ]
    barrier = threading.Barrier(len(staff))
    outcomes: list[str] = []

    def revoke(user):
        try:
            barrier.wait()
            certs.change_status(certificate, "revoke", actor=user, reason="violation", note=f"by {user.pk}")
            outcomes.append("done")
        except certs.CertificateError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=revoke, args=(u,)) for u in staff]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["done"] + ["该证照当前状态为“已注销”，不能注销。"] * 3
    assert CertificateEvent.objects.count() == 1
    assert Certificate.objects.get().status == CertificateStatus.REVOKED
