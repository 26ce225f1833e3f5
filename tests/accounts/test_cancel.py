"""注销账号: password confirmation, freed mobile and login name, unit records stay (SPEC §A3)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.forms.common import phone_in_use
from accounts.models import AuditEvent, Organisation, User
from accounts.services.auth import CancelRefused, cancel_account
from tests.factories import PASSWORD, ApplicantFactory, OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CANCEL = "/accounts/cancel/"


def page(response) -> str:
    return response.content.decode()


def test_cancel_page(client):
    client.force_login(ApplicantFactory())
    html = page(client.get(CANCEL))
    for text in ("注销账号", "注销原因", "登录密码", "确认注销", "单位的备案、审查和申报记录仍保留在单位名下"):
        assert text in html


def test_cancel_sole_member_frees_phone_keeps_unit_and_logs_out(client):
    org = OrganisationFactory(name="湖南星辰文化传媒有限公司")
    user = ApplicantFactory(username="13900000071", organisation=org)
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    response = client.post(CANCEL, {"reason": "公司注销", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:login")
    assert "账号已注销。单位的备案和申报记录仍由单位保留。" in page(client.get(response["Location"]))
    assert "_auth_user_id" not in client.session
    assert other_device.get("/accounts/profile/")["Location"].startswith("/accounts/login/")

    user.refresh_from_db()
    assert user.cancelled_at is not None
    assert (user.is_active, user.phone, user.has_usable_password()) == (False, None, False)
    assert re.fullmatch(r"cancelled-[0-9a-f]{16}", user.username)
    assert user.organisation == org  # the unit keeps its records and history
    assert Organisation.objects.filter(pk=org.pk, name="湖南星辰文化传媒有限公司").exists()

    event = AuditEvent.objects.get(action="account.cancelled")
    assert (event.actor, event.target) == (user, "13900000071")
    assert event.detail == {"organisation": "湖南星辰文化传媒有限公司", "reason": "公司注销"}
    assert PASSWORD not in str(event.detail)


def test_cancel_the_phone_can_register_again(client):
    user = ApplicantFactory(username="13900000072")
    cancel_account(user)
    assert phone_in_use("13900000072") is False
    again = User.objects.create_user(username="13900000072", phone="13900000072", password=PASSWORD)
    assert again.pk != user.pk


def test_cancel_frees_an_individuals_id_number(client):
    user = UserFactory(username="person2026")
    user.set_id_number("11010519491231002X")
    user.save()
    cancel_account(user)
    user.refresh_from_db()
    assert (user.id_number_digest, user.id_number_encrypted) == (None, "")
    other = UserFactory(username="person2027")
    other.set_id_number("11010519491231002X")
    other.save()  # no IntegrityError: the number is free


def test_cancel_cancelled_account_cannot_log_in(client):
    user = ApplicantFactory(username="13900000073")
    cancel_account(user)
    response = client.post(
        "/accounts/login/", {"username": "13900000073", "password": PASSWORD, "captcha_0": "k", "captcha_1": "PASSED"}
    )
    assert "账号或密码不正确" in page(response)


def test_cancel_wrong_password(client):
    user = ApplicantFactory()
    client.force_login(user)
    html = page(client.post(CANCEL, {"reason": "不再使用", "password": "Wrong2026Secret"}))
    assert '<div class="invalid-feedback d-block" id="id_password_error">登录密码不正确。</div>' in html
    assert "不再使用" in html  # typed reason kept
    user.refresh_from_db()
    assert user.cancelled_at is None and user.is_active


def test_cancel_administrator_with_members_must_transfer_first(client):
    org = OrganisationFactory()
    admin = ApplicantFactory(username="13900000074", organisation=org)
    member = ApplicantFactory(username="13900000075", organisation=org)
    client.force_login(admin)
    message = "您是单位管理员，请先在成员管理中将管理员身份移交给其他成员，再注销账号。"
    html = page(client.get(CANCEL))
    assert f'<div class="alert alert-danger" role="alert" id="cancel-refusal">{message}</div>' in html
    assert 'name="password"' not in html
    html = page(client.post(CANCEL, {"password": PASSWORD}))
    assert message in html
    admin.refresh_from_db()
    assert admin.cancelled_at is None
    with pytest.raises(CancelRefused):
        cancel_account(admin)

    # A member (not the administrator) may cancel.
    other = Client()
    other.force_login(member)
    assert other.post(CANCEL, {"password": PASSWORD})["Location"] == reverse("accounts:login")
    member.refresh_from_db()
    assert member.cancelled_at is not None
    # Now the administrator is alone and may cancel too.
    assert client.post(CANCEL, {"password": PASSWORD})["Location"] == reverse("accounts:login")


def test_cancel_staff_refused(client):
    staff = StaffFactory()
    client.force_login(staff)
    html = page(client.post(CANCEL, {"password": PASSWORD}))
    assert "审核人员和管理员账号由部级工作人员管理，不能自行注销。" in html
    staff.refresh_from_db()
    assert staff.is_active and staff.cancelled_at is None


def test_cancel_anonymous_is_sent_to_login(client):
    assert client.get(CANCEL)["Location"] == "/accounts/login/?next=/accounts/cancel/"
    assert client.post(CANCEL, {"password": PASSWORD})["Location"].startswith("/accounts/login/")


def test_cancel_twice_is_harmless():
    user = ApplicantFactory()
    cancel_account(user)
    cancel_account(user)
    assert AuditEvent.objects.filter(action="account.cancelled").count() == 1


def test_cancel_wrong_password_is_limited(client):
    user = ApplicantFactory()
    client.force_login(user)
    for _ in range(5):
        client.post(CANCEL, {"password": "Wrong2026Secret"})
    html = page(client.post(CANCEL, {"password": PASSWORD}))
    assert (
        '<div class="invalid-feedback d-block" id="id_password_error">密码错误次数过多，请15分钟后再试。</div>' in html
    )
    user.refresh_from_db()
    assert user.cancelled_at is None
