"""An official of the other authority (NRTA) never reaches an MCT filing, whatever the URL (issue 12).

With the authority check of ``filings.rules`` removed, an NRTA provincial
official of the same province could download the unit's files, open its
filings and act on them; only /staff/ refused (its own authority check).
These tests try every MCT object from NRTA staff of the same province and
from NRTA ministry staff, and check that the MCT official of the province
(the right one) gets each.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from filings.enums import FilingState
from filings.models import ChangeRequest, Filing, Material
from review.engine import NotPermitted, perform
from review.models import Certificate, ReviewRecord
from review.staff import reviewer_change_url
from tests.awards.factories import nrta_ministry, nrta_official
from tests.review.conftest import drain_outbox

from .factories import make_change, make_filing, official

pytestmark = pytest.mark.django_db

REFUSED = (403, 404)


@pytest.fixture
def objects(unit, member, django_capture_on_commit_callbacks):
    """A submitted filing, an approved one with its certificate and a submitted change of it, all in 湖南."""
    submitted = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED, name="湘江音乐会")
    with django_capture_on_commit_callbacks(execute=True):
        approved = make_filing(organisation=unit, by=member, state=FilingState.APPROVED, name="岳麓山晚会")
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    change = make_change(approved, by=member, parts=("materials",), state=FilingState.SUBMITTED)
    certificate = Certificate.objects.get(object_id=approved.pk, kind="filing.domestic")
    return {"submitted": submitted, "approved": approved, "change": change, "certificate": certificate}


def _urls(objects) -> dict[str, str]:
    submitted, approved, change, certificate = (
        objects["submitted"],
        objects["approved"],
        objects["change"],
        objects["certificate"],
    )
    urls = {
        "staff_filing": reviewer_change_url(submitted),
        "staff_approved": reviewer_change_url(approved),
        "staff_change": reviewer_change_url(change),
        "certificate": reverse("review:certificate", args=[certificate.public_id]),
        "certificate_pdf": reverse("review:certificate_pdf", args=[certificate.public_id]),
    }
    versions = {
        "submitted": submitted.application_version_id,
        "approved": approved.current_version_id,
        "change": change.version_id,
    }
    for label, version_id in versions.items():
        for material in Material.objects.filter(version_id=version_id).order_by("pk"):
            urls[f"file_{label}_{material.item}"] = reverse("filings:download", args=[material.token])
    return urls


def _member_urls(objects) -> dict[str, str]:
    """The unit's own pages of the filings (officials read them on /staff/)."""
    submitted, approved = objects["submitted"], objects["approved"]
    return {
        "detail": reverse("filings:detail", args=[submitted.public_id]),
        "detail_approved": reverse("filings:detail", args=[approved.public_id]),
        "programme": reverse("filings:programme", args=[approved.public_id]),
        "change": reverse("filings:change_detail", args=[objects["change"].public_id]),
    }


def _states():
    return (
        list(Filing.objects.order_by("pk").values_list("pk", "state")),
        list(ChangeRequest.objects.order_by("pk").values_list("pk", "state")),
        ReviewRecord.objects.count(),
    )


def _codes(client, user, urls) -> dict[str, int]:
    client.force_login(user)
    return {name: client.get(url).status_code for name, url in urls.items()}


@pytest.mark.parametrize("who", ["nrta_hunan", "nrta_ministry"])
def test_nrta_staff_are_refused_every_mct_object_and_the_mct_official_gets_each(client, objects, who, member):
    urls = _urls(objects)
    member_urls = _member_urls(objects)
    assert _codes(client, member, member_urls) == dict.fromkeys(member_urls, 200)
    assert len([name for name in urls if name.startswith("file_")]) == 6  # two of each version

    right = _codes(client, official("430000", full_name="湖南文旅审核员"), urls)
    assert right == dict.fromkeys(urls, 200)

    intruder = nrta_official("430000") if who == "nrta_hunan" else nrta_ministry()
    before = _states()
    wrong = _codes(client, intruder, urls | member_urls)
    assert {name: code for name, code in wrong.items() if code not in REFUSED} == {}

    # Acting: through /staff/ and through the one transition service.
    for obj, name in ((objects["submitted"], "accept"), (objects["change"], "accept")):
        response = client.post(reviewer_change_url(obj), {"transition": name, "comment": ""})
        assert response.status_code in REFUSED
        with pytest.raises(NotPermitted):
            perform(obj, name, actor=intruder)
    assert _states() == before


def test_the_mct_official_acts_where_the_nrta_official_was_refused(client, objects):
    submitted, change = objects["submitted"], objects["change"]
    client.force_login(nrta_official("430000"))
    client.post(reviewer_change_url(submitted), {"transition": "accept", "comment": ""})
    assert Filing.objects.get(pk=submitted.pk).state == FilingState.SUBMITTED

    mct = official("430000")
    client.force_login(mct)
    response = client.post(reviewer_change_url(submitted), {"transition": "accept", "comment": ""})
    assert response.status_code == 302
    assert Filing.objects.get(pk=submitted.pk).state == FilingState.REVIEWING
    perform(change, "accept", actor=mct)
    assert ChangeRequest.objects.get(pk=change.pk).state == FilingState.REVIEWING


def test_only_the_mct_official_changes_the_certificate_s_status(client, objects):
    """暂扣 of an MCT certificate: refused to NRTA staff on /staff/ and in the service, done by the MCT official."""
    from review import certificates as certs
    from review.enums import CertificateStatus

    certificate = objects["certificate"]
    url = f"/staff/review/certificate/{certificate.public_id}/status/suspend/"
    form = {"reason": "rectification", "note": "平台直播内容待整改", "confirm": "1"}
    for intruder in (nrta_official("430000"), nrta_ministry()):
        client.force_login(intruder)
        assert client.post(url, form).status_code in REFUSED
        with pytest.raises(certs.CertificateError):
            certs.change_status(certificate, "suspend", actor=intruder, reason="rectification", note="越权")
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID

    client.force_login(official("430000"))
    assert client.post(url, form).status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.SUSPENDED


def test_nrta_official_lists_hold_no_mct_filing_or_certificate(client, objects):
    certificate = objects["certificate"]
    client.force_login(official("430000"))
    assert certificate.number in client.get(reverse("review:certificate_list")).content.decode()
    client.force_login(nrta_official("430000"))
    assert certificate.number not in client.get(reverse("review:certificate_list")).content.decode()
    assert client.get(reverse("staff:filings_filing_changelist")).status_code == 403
