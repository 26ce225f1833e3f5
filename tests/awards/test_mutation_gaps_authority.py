"""An official of the other authority (MCT) never reaches an NRTA nomination, whatever the URL (issue 12).

The reverse of tests/filings/test_mutation_gaps_authority.py: with the
authority check of ``awards.rules`` removed, an MCT provincial official of the
same province could act on nominations through the transition service and
download the works' 推优证书. Each object is tried by MCT staff of the same
province and by MCT ministry staff (refused), and by the NRTA official of the
province (gets each).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import Nomination
from awards.services import publication
from review.engine import SYSTEM, NotPermitted, ReviewError, perform
from review.models import Certificate, ReviewRecord
from review.staff import reviewer_change_url
from tests.review.conftest import drain_outbox

from .factories import mct_ministry, nrta_ministry, nrta_official
from .factories_publication import PublicityFactory, WorkFactory
from .factories_review import submitted

pytestmark = pytest.mark.django_db

REFUSED = (403, 404)
AFTER_PUBLICITY = "2026-06-07 09:00:00+08:00"


def mct_official(province: str = "430000"):
    from tests.filings.factories import official

    return official(province)


@pytest.fixture
def objects(project, clock, django_capture_on_commit_callbacks):
    """A 湖南 nomination waiting for 初审, and a published 湖南 work with its 推优证书."""
    pending = submitted(project, province="430000", name="湘江岸边的守望者")
    work = WorkFactory(name="山河新歌", organisation__province="430000")
    publicity = PublicityFactory()
    clock.move_to(AFTER_PUBLICITY)
    with django_capture_on_commit_callbacks(execute=True):
        publication.publish_quarter(publicity, actor=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    certificate = Certificate.objects.get(object_id=work.pk, kind="awards.institution")
    return {"pending": pending, "work": work, "certificate": certificate}


def _urls(objects) -> dict[str, str]:
    pending, work, certificate = objects["pending"], objects["work"], objects["certificate"]
    return {
        "staff_pending": reviewer_change_url(pending),
        "staff_published": reviewer_change_url(work),
        "staff_pledge": reverse("staff:awards_nomination_pledge", args=[pending.public_id]),
        "certificate": reverse("review:certificate", args=[certificate.public_id]),
        "certificate_pdf": reverse("review:certificate_pdf", args=[certificate.public_id]),
    }


def _codes(client, user, urls) -> dict[str, int]:
    client.force_login(user)
    return {name: client.get(url).status_code for name, url in urls.items()}


def _states():
    return list(Nomination.objects.order_by("pk").values_list("pk", "state")), ReviewRecord.objects.count()


@pytest.mark.parametrize("who", ["mct_hunan", "mct_ministry"])
def test_mct_staff_are_refused_every_nrta_object_and_the_nrta_official_gets_each(client, objects, who):
    urls = _urls(objects)
    pending = objects["pending"]

    assert _codes(client, nrta_official("430000"), urls) == dict.fromkeys(urls, 200)

    intruder = mct_official("430000") if who == "mct_hunan" else mct_ministry()
    before = _states()
    wrong = _codes(client, intruder, urls)
    assert {name: code for name, code in wrong.items() if code not in REFUSED} == {}
    # The applicant's own pages of the nomination are no way in either.
    for name in ("awards:detail", "awards:pledge"):
        assert client.get(reverse(name, args=[pending.public_id])).status_code in REFUSED + (302,)

    response = client.post(reviewer_change_url(pending), {"transition": "recommend"})
    assert response.status_code in REFUSED
    with pytest.raises(NotPermitted if who == "mct_hunan" else ReviewError):
        perform(pending, "recommend", actor=intruder)
    assert _states() == before


def test_the_nrta_official_recommends_where_the_mct_official_was_refused(client, objects):
    pending = objects["pending"]
    with pytest.raises(NotPermitted):
        perform(pending, "recommend", actor=mct_official("430000"))
    assert Nomination.objects.get(pk=pending.pk).state == "pending"

    perform(pending, "recommend", actor=nrta_official("430000"))
    assert Nomination.objects.get(pk=pending.pk).state == "recommended"


def test_mct_official_certificate_list_holds_no_nrta_certificate(client, objects):
    number = objects["certificate"].number
    client.force_login(nrta_official("430000"))
    assert number in client.get(reverse("review:certificate_list")).content.decode()
    client.force_login(mct_official("430000"))
    assert number not in client.get(reverse("review:certificate_list")).content.decode()


def test_only_nrta_staff_change_the_status_of_an_award_certificate(client, objects):
    from review import certificates as certs
    from review.enums import CertificateStatus

    certificate = objects["certificate"]
    url = f"/staff/review/certificate/{certificate.public_id}/status/suspend/"
    form = {"reason": "rectification", "note": "作品内容待核查", "confirm": "1"}
    for intruder in (mct_official("430000"), mct_ministry()):
        client.force_login(intruder)
        assert client.post(url, form).status_code in REFUSED
        with pytest.raises(certs.CertificateError):
            certs.change_status(certificate, "suspend", actor=intruder, reason="rectification", note="越权")
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID

    client.force_login(nrta_ministry())
    assert client.post(url, form).status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.SUSPENDED
