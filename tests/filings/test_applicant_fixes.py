"""What applicants hit (issue 12): the header, the partner session picker, downloaded file names."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from accounts.enums import OrganisationKind
from filings.enums import MaterialItem
from filings.models import FilingVersion, Partner, Session
from tests.factories import ApplicantFactory, OrganisationFactory

from .factories import add_material, make_filing, png_bytes
from .helpers import browser_post

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the header -----------------------------------------------------------------------------


def test_an_individuals_header_shows_the_name_once_and_a_units_header_shows_unit_and_name(client, member):
    person = OrganisationFactory(kind=OrganisationKind.INDIVIDUAL, name="陈晓雨")
    individual = ApplicantFactory(organisation=person, full_name="陈晓雨")
    client.force_login(individual)
    header = text(client.get(reverse("home"))).split("</header>")[0]
    assert header.count("陈晓雨") == 1

    client.force_login(member)
    header = text(client.get(reverse("home"))).split("</header>")[0]
    assert member.organisation.name in header and member.full_name in header


# --- 联合播出: sessions are picked by their public key ------------------------------------------


PARTNER = {
    "joint-joint_broadcast": "True",
    "partners-new-company": "联合公司",
    "partners-new-safety_officer": "甲",
    "partners-new-contact": "乙",
    "partners-new-platform": "平台",
}


def test_the_partner_session_picker_offers_public_keys_not_database_ids(member_client, draft):
    session = Session.objects.get(version_id=draft.application_version_id)
    FilingVersion.objects.filter(pk=draft.application_version_id).update(joint_broadcast=True)
    body = member_client.get(reverse("filings:edit", args=[draft.public_id])).content.decode()
    boxes = re.findall(r'<input[^>]*name="partners-new-sessions"[^>]*>', body)
    assert len(boxes) == 1
    assert f'value="{session.key}"' in boxes[0]
    assert f'value="{session.pk}"' not in boxes[0]


def test_a_forged_session_of_another_unit_is_refused_with_a_message_and_the_own_one_accepted(
    member_client, draft, other_member
):
    foreign = make_filing(by=other_member)
    foreign_session = Session.objects.get(version_id=foreign.application_version_id)
    own_session = Session.objects.get(version_id=draft.application_version_id)
    url = reverse("filings:edit", args=[draft.public_id])
    for forged in (foreign_session.key, str(foreign_session.pk), str(own_session.pk)):
        response = browser_post(member_client, url, "row-add:partners", {**PARTNER, "partners-new-sessions": [forged]})
        assert response.status_code == 200
        assert "所选场次不属于本申请，请重新选择。" in text(response)
        assert "联合公司" in text(response)  # what was typed is kept
        assert Partner.objects.count() == 0
    browser_post(member_client, url, "row-add:partners", {**PARTNER, "partners-new-sessions": [own_session.key]})
    partner = Partner.objects.get()
    assert list(partner.sessions.all()) == [own_session]
    assert list(foreign_session.partners.all()) == []


def test_editing_a_partner_row_keeps_its_sessions_ticked_by_key(member_client, draft):
    version = FilingVersion.objects.get(pk=draft.application_version_id)
    FilingVersion.objects.filter(pk=version.pk).update(joint_broadcast=True)
    session = Session.objects.get(version=version)
    partner = Partner.objects.create(
        version=version, company="甲公司", safety_officer="甲", contact="乙", platform="丙"
    )
    partner.sessions.set([session])
    url = reverse("filings:edit", args=[draft.public_id]) + f"?edit=partners:{partner.key}"
    body = member_client.get(url).content.decode()
    box = re.search(rf'<input[^>]*name="partners-{partner.key}-sessions"[^>]*>', body).group(0)
    assert f'value="{session.key}"' in box and "checked" in box


# --- downloads keep their Chinese names -------------------------------------------------------


def test_a_downloaded_material_keeps_its_chinese_name(member_client, draft, other_member, client):
    material = add_material(
        FilingVersion.objects.get(pk=draft.application_version_id),
        MaterialItem.PROGRAMME_LIST,
        "演出节目单.png",
        png_bytes(),
        "image/png",
    )
    response = member_client.get(reverse("filings:download", args=[material.token]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('演出节目单.png')}" in disposition
    assert 'filename=".png"' not in disposition
    assert re.search(r'filename="[\w.-]+\.png"', disposition)
    client.force_login(other_member)
    assert client.get(reverse("filings:download", args=[material.token])).status_code == 404
