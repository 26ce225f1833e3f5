"""A1b members of a unit, and change of one's own mobile."""

import pytest
from django.urls import reverse

from accounts.enums import OrganisationKind
from accounts.models import AuditEvent, User
from tests.accounts.test_registration_support import (
    CAPTCHA_OK,
    field_errors,
    field_value,
    messages_text,
    page,
    text_of,
    wrong_code,
)
from tests.conftest import last_sms_code
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory, UserFactory

MEMBERS = reverse("accounts:members")
ADD = reverse("accounts:member_add")
REMOVE = reverse("accounts:member_remove")
TRANSFER = reverse("accounts:member_transfer")
PHONE = reverse("accounts:phone_change")
pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    org = OrganisationFactory(name="湖南星光文化传媒有限公司")
    admin = ApplicantFactory(organisation=org, username="13800000001", full_name="李华")
    member = ApplicantFactory(organisation=org, username="13800000002", full_name="王芳")
    return org, admin, member


def _rows(response):
    table = next(e for e in page(response).iter() if e.get("data-testid") == "members-table")
    body = next(table.iter("{http://www.w3.org/1999/xhtml}tbody"))
    return [[text_of(td) for td in tr.iter("{http://www.w3.org/1999/xhtml}td")] for tr in body]


def _add(client, name="赵敏", phone="13800000003"):
    data = {"full_name": name, "phone": phone, **CAPTCHA_OK}
    sent = client.post(ADD, {**data, "action": "send_code"})
    assert "验证码已发送，5分钟内有效。" in messages_text(sent), sent.content.decode()[-3000:]
    return client.post(ADD, {**data, "sms_code": last_sms_code(phone)})


# --- list ---------------------------------------------------------------------
def test_members_list_for_administrator_shows_full_phones_and_actions(client, unit):
    org, admin, member = unit
    client.force_login(admin)
    response = client.get(MEMBERS)

    assert response.status_code == 200
    assert _rows(response) == [
        ["李华 （我）", "13800000001", "管理员", ""],
        ["王芳", "13800000002", "成员", "设为管理员 移除"],
    ]
    assert "添加成员" in response.content.decode()
    assert "请其在登录页选择“验证码登录”" in response.content.decode()


def test_members_list_for_member_masks_other_phones_and_hides_actions(client, unit):
    org, admin, member = unit
    client.force_login(member)
    response = client.get(MEMBERS)

    assert _rows(response) == [["李华", "138****0001", "管理员"], ["王芳 （我）", "13800000002", "成员"]]
    html = response.content.decode()
    assert "添加成员" not in html and ADD not in html and REMOVE not in html
    assert "只有单位管理员可以添加、移除成员。" in html


def test_members_list_shows_only_own_unit(client, unit):
    org, admin, member = unit
    ApplicantFactory(full_name="外单位的人")
    client.force_login(admin)

    assert [row[0] for row in _rows(client.get(MEMBERS))] == ["李华 （我）", "王芳"]  # the unit's own, no other


def test_members_list_query_count(client, unit, django_assert_max_num_queries):
    org, admin, member = unit
    for _ in range(10):
        ApplicantFactory(organisation=org)
    client.force_login(admin)

    with django_assert_max_num_queries(12):
        response = client.get(MEMBERS)
    assert len(_rows(response)) == 12


def test_members_anonymous_goes_to_login(client):
    response = client.get(MEMBERS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_members_staff_without_unit_is_forbidden(client, unit):
    client.force_login(StaffFactory())

    assert client.get(MEMBERS).status_code == 403
    client.force_login(unit[2])  # a unit's member has the page
    assert client.get(MEMBERS).status_code == 200


# --- add ----------------------------------------------------------------------
def test_member_add_with_sms_confirmation(client, unit, sms_outbox):
    org, admin, member = unit
    client.force_login(admin)
    response = _add(client)

    assert response.status_code == 302
    new = User.objects.get(username="13800000003")
    assert (new.phone, new.full_name, new.organisation, new.is_active) == ("13800000003", "赵敏", org, True)
    assert not new.has_usable_password()
    assert [m.template for m in sms_outbox] == ["SMS_ADD_MEMBER"]
    event = AuditEvent.objects.get(action="member.add")
    assert (event.actor, event.detail["member"]) == (admin, "13800000003")
    page_after = client.get(MEMBERS)
    assert "已添加成员赵敏。该成员可使用手机号通过“验证码登录”进入系统并设置密码。" in messages_text(page_after)
    assert ["赵敏", "13800000003", "成员 待设置密码", "设为管理员 移除"] in _rows(page_after)


def test_member_add_send_code_keeps_name(client, unit):
    org, admin, member = unit
    client.force_login(admin)
    response = client.post(ADD, {"full_name": "赵敏", "phone": "13800000003", **CAPTCHA_OK, "action": "send_code"})

    assert field_value(response, "full_name") == "赵敏"
    assert field_value(response, "phone") == "13800000003"
    assert "图形验证码已验证" in response.content.decode()


def test_member_add_wrong_code(client, unit):
    org, admin, member = unit
    client.force_login(admin)
    data = {"full_name": "赵敏", "phone": "13800000003", **CAPTCHA_OK}
    client.post(ADD, {**data, "action": "send_code"})
    response = client.post(ADD, {**data, "sms_code": wrong_code(last_sms_code("13800000003"))})

    assert field_errors(response, "sms_code") == ["短信验证码不正确，还可尝试4次。"]
    assert field_value(response, "full_name") == "赵敏"
    assert not User.objects.filter(username="13800000003").exists()


def test_member_add_code_for_registration_does_not_count(client, unit):
    from accounts.services.sms_codes import issue_code

    org, admin, member = unit
    client.force_login(admin)
    issue_code("13800000003", "register")
    response = client.post(
        ADD, {"full_name": "赵敏", "phone": "13800000003", **CAPTCHA_OK, "sms_code": last_sms_code("13800000003")}
    )

    assert field_errors(response, "sms_code") == ["请先获取短信验证码。"]


def test_member_add_phone_in_use(client, unit, sms_outbox):
    org, admin, member = unit
    client.force_login(admin)
    ApplicantFactory(username="13800000009")
    response = client.post(ADD, {"full_name": "赵敏", "phone": "13800000009", **CAPTCHA_OK, "action": "send_code"})

    assert field_errors(response, "phone") == ["该手机号已被其他账号使用。"]
    assert sms_outbox == []


def test_member_add_by_non_admin_is_forbidden(client, unit, sms_outbox):
    org, admin, member = unit
    client.force_login(member)

    sending = client.post(ADD, {"full_name": "赵敏", "phone": "13800000003", **CAPTCHA_OK, "action": "send_code"})
    adding = client.post(ADD, {"full_name": "赵敏", "phone": "13800000003", **CAPTCHA_OK, "sms_code": "123456"})

    assert (sending.status_code, adding.status_code) == (403, 403)
    assert sms_outbox == []
    assert not User.objects.filter(username="13800000003").exists()


def test_member_add_get_goes_back_to_list(client, unit):
    client.force_login(unit[1])

    assert client.get(ADD)["Location"] == MEMBERS


def test_individual_cannot_add_members(client):
    org = OrganisationFactory(kind=OrganisationKind.INDIVIDUAL)
    person = ApplicantFactory(organisation=org, username="person01", phone="13800000008")
    client.force_login(person)

    assert client.get(MEMBERS).status_code == 200
    assert client.post(ADD, {"full_name": "x", "phone": "13800000003"}).status_code == 403


# --- remove -------------------------------------------------------------------
def test_member_remove_asks_then_detaches(client, unit):
    org, admin, member = unit
    client.force_login(admin)

    confirm = client.post(REMOVE, {"member": member.username})
    assert confirm.status_code == 200
    assert "确定将王芳移出本单位吗？" in confirm.content.decode()
    member.refresh_from_db()
    assert member.organisation == org

    response = client.post(REMOVE, {"member": member.username, "confirm": "1"})

    assert response["Location"] == MEMBERS
    member.refresh_from_db()
    assert (member.organisation, member.is_active) == (None, False)
    assert AuditEvent.objects.get(action="member.remove").detail == {"member": "13800000002"}
    assert "已移除成员王芳，其填报的记录仍保留在本单位。" in messages_text(client.get(MEMBERS))


def test_removed_member_is_logged_out(client, unit):
    org, admin, member = unit
    from accounts.services.members import remove_member

    client.force_login(member)
    remove_member(admin, member)

    assert client.get(MEMBERS)["Location"].startswith(reverse("accounts:login"))


def test_removed_member_can_be_added_again(client, unit):
    org, admin, member = unit
    from accounts.services.members import remove_member

    remove_member(admin, member)
    client.force_login(admin)
    response = _add(client, name="王芳", phone="13800000002")

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.organisation, member.is_active, member.has_usable_password()) == (org, True, False)


def test_member_remove_by_non_admin_is_forbidden(client, unit):
    org, admin, member = unit
    other = ApplicantFactory(organisation=org)
    client.force_login(member)

    response = client.post(REMOVE, {"member": other.username, "confirm": "1"})

    assert response.status_code == 403
    other.refresh_from_db()
    assert other.organisation == org and other.is_active
    # The administrator's same post removes them.
    client.force_login(admin)
    assert client.post(REMOVE, {"member": other.username, "confirm": "1"})["Location"] == MEMBERS
    other.refresh_from_db()
    assert (other.organisation, other.is_active) == (None, False)


def test_member_remove_self_is_forbidden(client, unit):
    org, admin, member = unit
    client.force_login(admin)

    assert client.post(REMOVE, {"member": admin.username, "confirm": "1"}).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active


def test_member_remove_other_unit_member_is_refused(client, unit):
    org, admin, member = unit
    outsider = ApplicantFactory(username="13900000001")
    client.force_login(admin)

    response = client.post(REMOVE, {"member": outsider.username, "confirm": "1"})

    assert response["Location"] == MEMBERS
    assert "该成员不存在或已被移除。" in messages_text(client.get(MEMBERS))
    outsider.refresh_from_db()
    assert outsider.is_active and outsider.organisation is not None


def test_member_remove_get_is_refused(client, unit):
    client.force_login(unit[1])

    assert client.get(REMOVE).status_code == 405


# --- hand over the administrator role ----------------------------------------------
def test_member_transfer_administrator(client, unit):
    org, admin, member = unit
    client.force_login(admin)

    confirm = client.post(TRANSFER, {"member": member.username})
    assert "确定将单位管理员移交给王芳吗？" in confirm.content.decode()
    response = client.post(TRANSFER, {"member": member.username, "confirm": "1"})

    assert response["Location"] == MEMBERS
    org.refresh_from_db()
    assert org.administrator == member
    assert AuditEvent.objects.get(action="member.transfer_admin").detail == {"new_administrator": "13800000002"}
    # The former administrator is now an ordinary member.
    assert client.post(ADD, {"full_name": "x", "phone": "13800000003"}).status_code == 403
    assert client.post(TRANSFER, {"member": member.username, "confirm": "1"}).status_code == 403


def test_member_transfer_by_non_admin_is_forbidden(client, unit):
    org, admin, member = unit
    client.force_login(member)

    assert client.post(TRANSFER, {"member": member.username, "confirm": "1"}).status_code == 403
    org.refresh_from_db()
    assert org.administrator == admin
    client.force_login(admin)  # the administrator's same post hands it over
    assert client.post(TRANSFER, {"member": member.username, "confirm": "1"})["Location"] == MEMBERS
    org.refresh_from_db()
    assert org.administrator == member


def test_member_transfer_to_other_unit_is_refused(client, unit):
    org, admin, member = unit
    outsider = ApplicantFactory(username="13900000001")
    client.force_login(admin)

    client.post(TRANSFER, {"member": outsider.username, "confirm": "1"})

    org.refresh_from_db()
    assert org.administrator == admin


def test_member_service_refuses_stale_administrator(unit):
    """A former administrator whose page still shows the buttons cannot act (re-read under lock)."""
    from django.core.exceptions import PermissionDenied

    from accounts.services.members import remove_member, transfer_administrator

    org, admin, member = unit
    third = ApplicantFactory(organisation=org)
    stale = User.objects.get(pk=admin.pk)
    stale.organisation  # the caller's cached copy says it is the administrator  # noqa: B018
    transfer_administrator(admin, member)

    with pytest.raises(PermissionDenied):
        remove_member(stale, third)


# --- change of mobile -------------------------------------------------------------
def _phone_flow(client, new_phone="13800000007", old_phone="13800000001"):
    base = {"new_phone": new_phone, **CAPTCHA_OK}
    first = client.post(PHONE, {**base, "action": "send_old"})
    assert "验证码已发送，5分钟内有效。" in messages_text(first), first.content.decode()[-2000:]
    second = client.post(PHONE, {**base, "action": "send_new"})
    assert "验证码已发送，5分钟内有效。" in messages_text(second), second.content.decode()[-2000:]
    return base


def test_phone_change_confirms_both_numbers(client, unit):
    org, admin, member = unit
    client.force_login(admin)
    base = _phone_flow(client)
    response = client.post(
        PHONE, {**base, "old_code": last_sms_code("13800000001"), "new_code": last_sms_code("13800000007")}
    )

    assert response["Location"] == reverse("accounts:profile")
    admin.refresh_from_db()
    assert (admin.phone, admin.username) == ("13800000007", "13800000007")
    event = AuditEvent.objects.get(action="account.phone_change")
    assert event.detail == {"old": "138****0001", "new": "138****0007"}


def test_phone_change_keeps_login_account_that_is_not_the_phone(client):
    user = UserFactory(username="StarMedia", phone="13800000001")
    client.force_login(user)
    base = _phone_flow(client)
    client.post(PHONE, {**base, "old_code": last_sms_code("13800000001"), "new_code": last_sms_code("13800000007")})

    user.refresh_from_db()
    assert (user.phone, user.username) == ("13800000007", "StarMedia")


def test_phone_change_wrong_old_code(client, unit):
    org, admin, member = unit
    client.force_login(admin)
    base = _phone_flow(client)
    response = client.post(
        PHONE, {**base, "old_code": wrong_code(last_sms_code("13800000001")), "new_code": last_sms_code("13800000007")}
    )

    assert field_errors(response, "old_code") == ["短信验证码不正确，还可尝试4次。"]
    assert field_errors(response, "new_code") == []
    assert field_value(response, "new_phone") == "13800000007"
    admin.refresh_from_db()
    assert admin.phone == "13800000001"
    # The right new code was not used up by the failed attempt.
    response = client.post(
        PHONE, {**base, "old_code": last_sms_code("13800000001"), "new_code": last_sms_code("13800000007")}
    )
    assert response.status_code == 302


def test_phone_change_new_number_rules(client, unit):
    org, admin, member = unit
    client.force_login(admin)

    same = client.post(PHONE, {"new_phone": "13800000001", **CAPTCHA_OK, "action": "send_new"})
    taken = client.post(PHONE, {"new_phone": "13800000002", **CAPTCHA_OK, "action": "send_new"})

    assert field_errors(same, "new_phone") == ["新手机号与当前手机号相同。"]
    assert field_errors(taken, "new_phone") == ["该手机号已被其他账号使用。"]


def test_phone_change_without_old_mobile_needs_only_new_code(client):
    org = OrganisationFactory(kind=OrganisationKind.INSTITUTION)
    user = ApplicantFactory(organisation=org, username="HunanMedia", phone=None)
    client.force_login(user)
    page_before = client.get(PHONE)
    assert "未绑定" in page_before.content.decode()
    base = {"new_phone": "13800000007", **CAPTCHA_OK}
    client.post(PHONE, {**base, "action": "send_new"})
    response = client.post(PHONE, {**base, "new_code": last_sms_code("13800000007")})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.phone, user.username) == ("13800000007", "HunanMedia")


def test_phone_change_anonymous_goes_to_login(client):
    assert client.get(PHONE)["Location"].startswith(reverse("accounts:login"))


def test_phone_change_shows_masked_old_number(client, unit):
    client.force_login(unit[1])
    response = client.get(PHONE)

    old = next(e for e in page(response).iter() if e.get("data-testid") == "old-phone")
    assert text_of(old) == "138****0001"
