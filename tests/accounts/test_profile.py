"""账户 page: own details only, masked phone and ID number, unit, links (SPEC §A3)."""

import pytest
from django.urls import reverse

from accounts.enums import Authority, OrganisationKind, StaffLevel
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def page(response) -> str:
    return response.content.decode()


def test_profile_enterprise_member(client, django_assert_max_num_queries):
    org = OrganisationFactory(name="湖南星辰文化传媒有限公司", credit_code="91430100MA4L678907", province="430000")
    user = ApplicantFactory(username="13912345678", full_name="李四", email="lisi@example.cn", organisation=org)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        response = client.get(PROFILE)
    html = page(response)
    assert response.status_code == 200
    for text in (
        "李四",
        "13912345678",
        "139****5678",
        "lisi@example.cn",
        "湖南星辰文化传媒有限公司",
        "91430100MA4L678907",
        "湖南省",
        "未激活",
        "单位管理员",
    ):
        assert text in html, text
    assert '<dd class="col-sm-8" id="profile-phone">139****5678</dd>' in html
    for name in ("members", "phone_change", "password_change", "cancel", "activate"):
        assert f'href="{reverse("accounts:" + name)}"' in html, name
    assert reverse("accounts:otp_setup") not in html
    assert "身份证号" not in html


def test_profile_activated_unit(client):
    user = ApplicantFactory(organisation=OrganisationFactory(activated=True))
    client.force_login(user)
    html = page(client.get(PROFILE))
    assert '<span class="badge text-bg-success">已激活</span>' in html
    assert f'href="{reverse("accounts:activate")}"' not in html


def test_profile_individual_shows_masked_id_number(client):
    org = OrganisationFactory(kind=OrganisationKind.INDIVIDUAL, name="王五", province="110000")
    user = UserFactory(username="wangwu2026", phone="13800001111", full_name="王五", organisation=org)
    user.set_id_number("11010519491231002X")
    user.save()
    client.force_login(user)
    html = page(client.get(PROFILE))
    assert '<dd class="col-sm-8" id="profile-id-number">1101**********002X</dd>' in html
    assert "11010519491231002X" not in html
    assert "wangwu2026" in html
    assert f'href="{reverse("accounts:members")}"' not in html  # an individual has no members
    assert "unit-details" not in html


def test_profile_institution_without_mobile(client):
    org = OrganisationFactory(kind=OrganisationKind.INSTITUTION, name="某某广播电视台", credit_code=None)
    user = UserFactory(username="OrgLogin2026", phone=None, organisation=org)
    client.force_login(user)
    html = page(client.get(PROFILE))
    assert '<dd class="col-sm-8" id="profile-phone">未登记</dd>' in html
    assert f'href="{reverse("accounts:phone_change")}"' not in html
    assert "资质状态" not in html  # activation is for MCT enterprises


def test_profile_staff_sees_second_factor_and_no_cancel(client):
    staff = StaffFactory(profile__authority=Authority.NRTA, profile__level=StaffLevel.MINISTRY)
    client.force_login(staff)
    html = page(client.get(PROFILE))
    assert f'href="{reverse("accounts:otp_setup")}"' in html
    assert "国家广播电视总局" in html and "部级工作人员" in html
    assert f'href="{reverse("accounts:cancel")}"' not in html


def test_profile_shows_only_the_viewer(client):
    org = OrganisationFactory()
    admin = ApplicantFactory(username="13900000061", full_name="管理员甲", organisation=org)
    member = ApplicantFactory(username="13900000062", full_name="成员乙", organisation=org)
    client.force_login(member)
    html = page(client.get(PROFILE))
    assert "成员乙" in html
    assert "管理员甲" not in html and admin.username not in html
    assert "单位管理员" not in html


def test_profile_anonymous_is_sent_to_login(client):
    assert client.get(PROFILE)["Location"] == "/accounts/login/?next=/accounts/profile/"
