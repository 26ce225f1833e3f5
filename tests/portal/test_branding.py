"""Header and footer follow the programme of the page (issue 12, branding).

MCT pages speak as 中华人民共和国文化和旅游部 / 全国文化市场技术监管与服务平台准入管理系统 (the seed's
screens), NRTA pages as 国家广播电视总局 / 优秀网络视听作品推选活动申报系统 (网络视听节目季度推优),
shared pages as the signed-in user's programme and, for a visitor, as the portal itself.
"""

import re

import pytest
from django.urls import reverse

from portal import branding
from tests.awards.factories import IndividualFactory, InstitutionFactory, nrta_official
from tests.awards.factories import applicant as nrta_applicant
from tests.filings.factories import EnterpriseFactory, applicant, official

pytestmark = pytest.mark.django_db

MCT_AUTHORITY = "中华人民共和国文化和旅游部"
MCT_SYSTEM = "全国文化市场技术监管与服务平台准入管理系统"
NRTA_AUTHORITY = "国家广播电视总局"
NRTA_SYSTEM = "优秀网络视听作品推选活动申报系统"
PORTAL_SYSTEM = "网络文化与视听节目备案申报门户"
MCT_COPYRIGHT = "版权所有: 中华人民共和国文化和旅游部 地址: 东城区朝阳门北大街10号"
NRTA_COPYRIGHT = "版权所有: 国家广播电视总局 地址: 北京市西城区复兴门外大街2号"


def _part(html: str, tag: str) -> str:
    found = re.search(rf"<{tag}\b.*?</{tag}>", html, re.S)
    assert found, f"no <{tag}> on the page"
    return re.sub(r"\s+", " ", found.group(0))


def header_and_footer(response) -> tuple[str, str]:
    html = response.content.decode()
    return _part(html, "header"), _part(html, "footer")


def assert_mct(response):
    header, footer = header_and_footer(response)
    assert MCT_AUTHORITY in header and MCT_SYSTEM in header
    assert NRTA_AUTHORITY not in header and NRTA_SYSTEM not in header and PORTAL_SYSTEM not in header
    assert MCT_COPYRIGHT in footer
    assert NRTA_AUTHORITY not in footer
    assert 'data-brand="mct"' in header


def assert_nrta(response):
    header, footer = header_and_footer(response)
    assert NRTA_AUTHORITY in header and NRTA_SYSTEM in header and "网络视听节目季度推优" in header
    assert MCT_AUTHORITY not in header and MCT_SYSTEM not in header and PORTAL_SYSTEM not in header
    assert NRTA_COPYRIGHT in footer
    # The MCT copyright footer is not shown to the NRTA programme (the complaint).
    assert "文化和旅游部" not in footer and "东城区朝阳门北大街10号" not in footer
    assert 'data-brand="nrta"' in header


def assert_neutral(response):
    header, footer = header_and_footer(response)
    assert PORTAL_SYSTEM in header
    assert MCT_SYSTEM not in header and NRTA_SYSTEM not in header
    assert "版权所有: 中华人民共和国文化和旅游部 国家广播电视总局" in footer
    # Both programmes' help lines, neither programme's address alone.
    assert "400-0009373" in footer and "010-86096235" in footer
    assert "东城区朝阳门北大街10号" not in footer and "复兴门外大街2号" not in footer
    assert 'data-brand="portal"' in header


# --- the programme's own pages -------------------------------------------------------
def test_mct_page_carries_the_ministry_of_culture_and_tourism_header_and_footer(client):
    client.force_login(applicant(EnterpriseFactory()))

    response = client.get(reverse("filings:apply"))

    assert response.status_code == 200
    assert_mct(response)
    assert "MINISTRY OF CULTURE AND TOURISM OF THE PEOPLE" in header_and_footer(response)[0]


def test_nrta_page_carries_the_nrta_header_and_footer(client):
    client.force_login(nrta_applicant(InstitutionFactory()))

    response = client.get(reverse("awards:projects"))

    assert response.status_code == 200
    assert_nrta(response)


def test_the_page_programme_wins_over_the_user_programme(client):
    """An MCT unit's member reading the NRTA projects sees the NRTA system; an NRTA official on an MCT page the MCT one."""
    client.force_login(applicant(EnterpriseFactory()))
    assert_nrta(client.get(reverse("awards:projects")))

    client.force_login(nrta_official())
    assert_mct(client.get(reverse("manual", args=["mct"])))


def test_each_programme_registration_page_has_its_brand(client):
    assert_mct(client.get(reverse("accounts:register")))
    assert_nrta(client.get(reverse("accounts:register_institution")))
    assert_nrta(client.get(reverse("accounts:register_individual")))


def test_login_page_follows_its_programme(client):
    assert_mct(client.get(reverse("accounts:login")))
    assert_nrta(client.get(reverse("accounts:login") + "?programme=nrta"))


def test_each_manual_has_its_programme_brand(client):
    assert_mct(client.get(reverse("manual", args=["mct"])))
    assert_nrta(client.get(reverse("manual", args=["nrta"])))


# --- shared pages -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["home", "help", "notices:list"])
def test_shared_public_page_is_neutral_for_a_visitor(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_neutral(response)


def test_page_about_is_neutral_for_a_visitor(client):
    assert_neutral(client.get(reverse("page", args=["about"])))


@pytest.mark.parametrize(
    "make_user",
    [lambda: nrta_applicant(InstitutionFactory()), lambda: nrta_applicant(IndividualFactory()), nrta_official],
)
@pytest.mark.parametrize("name", ["home", "review:messages", "accounts:profile", "notices:list"])
def test_nrta_user_on_a_shared_page_sees_the_nrta_brand_not_the_mct_footer(client, make_user, name):
    client.force_login(make_user())

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_nrta(response)


@pytest.mark.parametrize("make_user", [lambda: applicant(EnterpriseFactory()), official])
def test_mct_user_on_a_shared_page_sees_the_mct_brand(client, make_user):
    client.force_login(make_user())

    response = client.get(reverse("review:messages"))

    assert response.status_code == 200
    assert_mct(response)


def test_error_page_follows_the_user_programme(client):
    assert_neutral(client.get("/verify/no-such-token/"))

    client.force_login(nrta_applicant(InstitutionFactory()))
    response = client.get("/verify/no-such-token/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert_nrta(response)
    # Its help line is the programme's own.
    assert "010-86096235" in response.content.decode().split("<footer")[0]


# --- the rule itself ------------------------------------------------------------------
def test_user_programme_costs_no_query_beyond_what_the_header_reads(django_assert_num_queries):
    member = applicant(EnterpriseFactory())
    staff = nrta_official()
    member.organisation  # noqa: B018 (the header reads the unit: cached on the user)
    staff.staff_profile_or_none  # noqa: B018 (the header asks is_reviewer)

    with django_assert_num_queries(0):
        assert branding.user_programme(member) == branding.MCT
        assert branding.user_programme(staff) == branding.NRTA


def test_a_view_may_name_its_programme():
    assert branding.brand_of(None, "nrta").key == branding.NRTA
    assert branding.brand_of(None, "bogus").key == branding.PORTAL


def test_the_500_page_follows_the_user_programme_and_survives_a_broken_database(rf, monkeypatch):
    """The 500 page renders without context processors; its brand needs only the request."""
    from django.db import DatabaseError

    from portal.views import server_error

    request = rf.get("/filings/")
    request.user = nrta_applicant(InstitutionFactory())
    response = server_error(request)
    assert response.status_code == 500
    assert_nrta(response)

    def broken(user):
        raise DatabaseError("database is gone")

    monkeypatch.setattr(branding, "user_programme", broken)
    response = server_error(request)
    assert response.status_code == 500
    assert "系统繁忙" in response.content.decode()
    assert_neutral(response)  # the layout still shows, in the portal's own name
