"""Certificates on the reviewers' admin site: scope, filters, downloads, zip, revocation."""

import datetime as dt
import io
import re
import zipfile

import pytest

from accounts.enums import Authority, StaffLevel
from accounts.models import AuditEvent
from review import certificates as certs
from review.models import Certificate
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory
from tests.review.certtestapp.factories import ProgrammeFactory, issue

pytestmark = pytest.mark.django_db

LIST = "/staff/review/certificate/"


def numbers(response) -> list[str]:
    return re.findall(r'<th class="field-number"><a href="[^"]+">([^<]+)</a></th>', response.content.decode())


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def hunan():
    org = OrganisationFactory(name="湖南芒果网络演艺有限公司", province="430000")
    return [issue(ProgrammeFactory(organisation=org, name=f"湘剧{i}", province="430000")) for i in range(2)]


@pytest.fixture
def beijing():
    org = OrganisationFactory(name="北京长城演艺有限公司", province="110000")
    return issue(ProgrammeFactory(organisation=org, name="京剧", province="110000"))


@pytest.fixture
def ministry_staff():
    return StaffFactory(full_name="部审核", profile__level=StaffLevel.MINISTRY)


def test_admin_official_lists_only_their_province(client, hunan_official, hunan, beijing):
    client.force_login(hunan_official)
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(numbers(response)) == sorted(c.number for c in hunan)
    detail = client.get(f"{LIST}{beijing.public_id}/change/")
    assert detail.status_code == 404
    assert client.get(f"{LIST}{beijing.public_id}/pdf/").status_code == 404


def test_admin_ministry_lists_all_and_filters_by_province_status_and_date(client, ministry_staff, hunan, beijing):
    client.force_login(ministry_staff)
    assert len(numbers(client.get(LIST))) == 3
    assert numbers(client.get(LIST, {"province": "110000"})) == [beijing.number]
    Certificate.objects.filter(pk=hunan[0].pk).update(issued_on=dt.date(2025, 1, 5))
    recent = numbers(client.get(LIST, {"issued_on__gte": "2026-01-01"}))
    assert sorted(recent) == sorted([hunan[1].number, beijing.number])
    certs.revoke_certificate(beijing, actor=ministry_staff, reason="违规")
    assert numbers(client.get(LIST, {"status__exact": "revoked"})) == [beijing.number]
    assert sorted(numbers(client.get(LIST, {"kind": "certtest.programme"}))) == sorted(
        [c.number for c in hunan] + [beijing.number]
    )


def test_admin_list_query_count_is_constant(client, ministry_staff, hunan, django_assert_max_num_queries):
    client.force_login(ministry_staff)
    with django_assert_max_num_queries(20) as before:
        client.get(LIST)
    org = OrganisationFactory(province="440000")
    for _ in range(5):
        issue(ProgrammeFactory(organisation=org, province="440000"), render=False)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(LIST)
    assert len(numbers(response)) == 7


def test_admin_nrta_staff_and_applicants_see_no_mct_certificates(client, hunan):
    nrta = StaffFactory(profile__level=StaffLevel.MINISTRY, profile__authority=Authority.NRTA)
    client.force_login(nrta)
    assert numbers(client.get(LIST)) == []
    assert client.get(f"{LIST}{hunan[0].public_id}/pdf/").status_code == 404
    client.force_login(ApplicantFactory(organisation=hunan[0].organisation))
    response = client.get(LIST)
    assert response.status_code == 302  # not a reviewer: sent away from the admin


def test_admin_downloads_one_pdf(client, hunan_official, hunan):
    client.force_login(hunan_official)
    detail = client.get(f"{LIST}{hunan[0].public_id}/change/")
    assert detail.status_code == 200
    assert "下载PDF" in text(detail)
    assert 'data-testid="certificate-revoke"' in detail.content.decode()  # officials: their province's
    response = client.get(f"{LIST}{hunan[0].public_id}/pdf/")
    assert response.status_code == 200
    assert body(response) == open(hunan[0].pdf.path, "rb").read()
    assert AuditEvent.objects.filter(action="certificate.downloaded", target=hunan[0].number).exists()


def test_admin_zip_of_the_filtered_list(client, ministry_staff, hunan, beijing):
    client.force_login(ministry_staff)
    listing = client.get(LIST, {"province": "430000"})
    assert 'href="/staff/review/certificate/zip/?province=430000"' in listing.content.decode()
    response = client.get(f"{LIST}zip/", {"province": "430000"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(f"{c.number}.pdf" for c in hunan)
    for certificate in hunan:
        assert archive.read(f"{certificate.number}.pdf") == open(certificate.pdf.path, "rb").read()
    event = AuditEvent.objects.get(action="certificate.zip_download")
    assert event.actor == ministry_staff and event.detail["count"] == 2


def test_admin_zip_of_an_official_never_leaves_their_province(client, hunan_official, hunan, beijing):
    client.force_login(hunan_official)
    response = client.get(f"{LIST}zip/", {"province": "110000"})
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert beijing.number + ".pdf" not in archive.namelist()
    # Without the filter the official's zip holds the province's own certificates, still not Beijing's.
    names = zipfile.ZipFile(io.BytesIO(body(client.get(f"{LIST}zip/")))).namelist()
    assert {c.number + ".pdf" for c in hunan} <= set(names)
    assert beijing.number + ".pdf" not in names


def test_admin_zip_action_for_selected_rows(client, ministry_staff, hunan, beijing):
    client.force_login(ministry_staff)
    response = client.post(
        LIST,
        {"action": "download_selected_zip", "_selected_action": [hunan[0].pk, beijing.pk], "index": 0},
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert sorted(archive.namelist()) == sorted([f"{hunan[0].number}.pdf", f"{beijing.number}.pdf"])


def test_admin_zip_action_with_tampered_selection_is_refused_without_error(client, hunan_official, hunan):
    client.force_login(hunan_official)
    data = {"action": "download_selected_zip", "_selected_action": ["x", "1e3"], "index": 0}

    response = client.post(LIST, data, follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["所选条目无效，请重新勾选。"]
