"""The 资质激活 page (accounts:activate) through the test client."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from tests.factories import PASSWORD, ApplicantFactory, LegacyLicenceFactory, StaffFactory

pytestmark = pytest.mark.django_db

CODE = "91430100MA4L678907"
URL = "/accounts/activate/"


@pytest.fixture
def member(client):
    user = ApplicantFactory(organisation__credit_code=CODE, organisation__name="湖南示例文化传媒有限公司")
    client.force_login(user)
    return user


def errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def test_activate_url_name():
    assert reverse("accounts:activate") == URL


def test_activate_page_shows_form(client, member):
    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="h4 mb-3">资质激活</h1>' in html
    assert "原平台账号" in html
    assert "原平台密码" in html
    assert "湖南示例文化传媒有限公司" in html
    assert "91430100MA4L678907" in html


def test_activate_success_redirects_home_with_message(client, member):
    licence = LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)

    response = client.post(URL, {"account": "legacy-ok", "password": PASSWORD}, follow=False)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    org = Organisation.objects.get(pk=member.organisation_id)
    assert org.licence == licence
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"资质激活成功（许可证编号 {licence.licence_no}），现在可以进行网络演出剧（节）目备案申请。"]


def test_activate_wrong_password_keeps_account_not_password(client, member):
    LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)

    response = client.post(URL, {"account": "legacy-ok", "password": "Wrong2026pass"})

    assert response.status_code == 200
    assert errors(response) == ["原平台账号或密码不正确。"]
    html = response.content.decode()
    assert 'value="legacy-ok"' in html
    assert "Wrong2026pass" not in html
    assert "原平台账号或密码不正确。" in html


def test_activate_empty_form_shows_field_messages(client, member):
    response = client.post(URL, {"account": "", "password": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"account": ["请输入原平台账号。"], "password": ["请输入原平台密码。"]}


def test_activate_expired_licence_message_on_page(client, member):
    LegacyLicenceFactory(
        account="legacy-old", credit_code=CODE, valid_from=date(2019, 1, 1), valid_to=date(2022, 12, 31)
    )

    response = client.post(URL, {"account": "legacy-old", "password": PASSWORD})

    assert errors(response) == ["许可证已过期（有效期至 2022年12月31日），不能新增备案。"]


def test_activate_lockout_after_five_failures_returns_429(client, member):
    LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)
    for _ in range(4):
        assert client.post(URL, {"account": "legacy-ok", "password": "Wrong2026pass"}).status_code == 200

    fifth = client.post(URL, {"account": "legacy-ok", "password": "Wrong2026pass"})
    right_but_locked = client.post(URL, {"account": "legacy-ok", "password": PASSWORD})
    page = client.get(URL)

    assert fifth.status_code == 429
    assert errors(right_but_locked) == ["激活失败次数过多，已锁定，请15分钟后再试。"]
    assert right_but_locked.status_code == 429
    assert page.status_code == 429
    assert "激活失败次数过多，已锁定" in page.content.decode()
    assert not Organisation.objects.get(pk=member.organisation_id).is_activated


def test_activate_already_activated_unit_redirects(client):
    user = ApplicantFactory(organisation__activated=True)
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_activate_requires_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("kind", [OrganisationKind.INSTITUTION, OrganisationKind.INDIVIDUAL])
def test_activate_refused_for_nrta_applicants(client, kind, member):
    client.force_login(ApplicantFactory(organisation__kind=kind))

    assert client.get(URL).status_code == 403
    client.force_login(member)  # an enterprise's member has the page
    assert client.get(URL).status_code == 200


def test_activate_refused_for_staff(client, member):
    client.force_login(StaffFactory())

    assert client.get(URL).status_code == 403
    client.force_login(member)
    assert client.get(URL).status_code == 200


def test_activate_member_cannot_use_another_units_licence(client, member):
    other_unit_licence = LegacyLicenceFactory(account="legacy-other", credit_code="91430100MA4L12345A")

    response = client.post(URL, {"account": "legacy-other", "password": PASSWORD})

    assert errors(response) == ["该许可证属于其他单位（统一社会信用代码不一致）。"]
    assert not Organisation.objects.filter(licence=other_unit_licence).exists()


def test_home_page_shows_qualification_block_and_activate_button(client, member):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="qualification" data-state="inactive"' in html
    assert f'href="{URL}" data-testid="activate-button">激活资质</a>' in html


def test_home_page_after_activation_shows_licence(client, member):
    licence = LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)
    client.post(URL, {"account": "legacy-ok", "password": PASSWORD})

    html = client.get(reverse("home")).content.decode()

    assert 'data-state="active"' in html
    assert licence.licence_no in html
    assert "资质激活成功" in html
    assert 'data-testid="activate-button"' not in html
