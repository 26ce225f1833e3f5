"""审核人员账号 on /staff/ (issue 12): ministry staff create and disable the reviewer accounts of their own
authority (MCT: provincial officials; NRTA: provincial officials and experts), through the services, audited;
provincial officials, experts, applicants and the other authority cannot (each test asserts both sides)."""

import re

import pytest
from django.urls import reverse

from accounts.enums import Authority, StaffLevel
from accounts.models import AuditEvent, StaffProfile, User
from tests.factories import ApplicantFactory, StaffFactory

pytestmark = pytest.mark.django_db

LIST = reverse("staff:accounts_staffprofile_changelist")
ADD = reverse("staff:accounts_staffprofile_add")


def detail(user) -> str:
    return reverse("staff:accounts_staffprofile_change", args=[user.username])


def listed(response) -> list[str]:
    return sorted(re.findall(r'<th class="field-username"><a href="[^"]+">([^<]+)</a>', response.content.decode()))


def ministry(authority=Authority.MCT, **kw):
    return StaffFactory(profile__authority=authority, profile__level=StaffLevel.MINISTRY, **kw)


def official(province="430000", authority=Authority.MCT, **kw):
    return StaffFactory(profile__authority=authority, profile__province=province, **kw)


def expert(**kw):
    return StaffFactory(profile__authority=Authority.NRTA, profile__level=StaffLevel.EXPERT, **kw)


NEW_OFFICIAL = {
    "username": "mct-hunan-9",
    "full_name": "赵审核",
    "level": "province",
    "province": "430000",
    "phone": "",
    "email": "zhao@example.cn",
}


@pytest.fixture
def people(db):
    return {
        "mct_hunan": official(username="mct-hunan-1"),
        "mct_beijing": official("110000", username="mct-beijing-1"),
        "nrta_hunan": official(authority=Authority.NRTA, username="nrta-hunan-1"),
        "expert": expert(username="expert-1"),
        "mct_other_ministry": ministry(username="mct-ministry-2"),
    }


# --- the list ---------------------------------------------------------------------------------


def test_mct_ministry_lists_mct_officials_only(client, people):
    client.force_login(ministry())

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == ["mct-beijing-1", "mct-hunan-1"]  # no NRTA account, no expert, no ministry
    assert f'href="{ADD}"' in response.content.decode()


def test_nrta_ministry_lists_nrta_officials_and_experts(client, people):
    client.force_login(ministry(Authority.NRTA))

    assert listed(client.get(LIST)) == ["expert-1", "nrta-hunan-1"]
    assert client.get(detail(people["mct_hunan"])).status_code == 404
    assert client.get(detail(people["expert"])).status_code == 200


@pytest.mark.parametrize("who", ["mct_hunan", "expert"])
def test_officials_and_experts_cannot_open_account_management(client, people, who):
    client.force_login(people[who])

    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.get(detail(people["mct_beijing"])).status_code == 404
    response = client.post(detail(people["mct_beijing"]), {"status": "disable", "reason": "越权"})
    assert response.status_code == 404
    assert User.objects.get(pk=people["mct_beijing"].pk).is_active is True


def test_an_applicant_is_sent_away(client, people):
    client.force_login(ApplicantFactory())

    assert client.get(LIST).status_code == 302
    assert client.post(ADD, NEW_OFFICIAL).status_code == 302
    assert not User.objects.filter(username="mct-hunan-9").exists()


def test_the_list_costs_the_same_queries_for_few_and_many(client, django_assert_max_num_queries):
    actor = ministry()
    official(username="mct-a-1")
    client.force_login(actor)
    client.get(LIST)  # warm the session and the site
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for n in range(20):
        official(username=f"mct-b-{n}", profile__created_by=actor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(listed(response)) == 21


# --- create ------------------------------------------------------------------------------------


def test_mct_ministry_creates_a_provincial_official_and_sees_the_password_once(client):
    actor = ministry(full_name="部级审核")
    client.force_login(actor)

    form = client.get(ADD).content.decode()
    assert re.findall(r'<option value="(\w+)"', form.split('name="level"')[1].split("</select>")[0]) == ["province"]

    response = client.post(ADD, NEW_OFFICIAL)

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    password = re.search(r'<code data-testid="initial-password">([^<]+)</code>', response.content.decode()).group(1)
    user = User.objects.get(username="mct-hunan-9")
    assert user.check_password(password) and user.is_active
    profile = StaffProfile.objects.get(user=user)
    assert (profile.authority, profile.level, profile.province, profile.created_by) == (
        "mct",
        "province",
        "430000",
        actor,
    )
    event = AuditEvent.objects.get(action="staff.created", target="mct-hunan-9")
    assert event.actor == actor
    # the account's page never shows it again
    assert password not in client.get(detail(user)).content.decode()


def test_nrta_ministry_creates_an_expert(client):
    client.force_login(ministry(Authority.NRTA))

    client.post(ADD, {**NEW_OFFICIAL, "username": "expert-new", "level": "expert", "province": ""})

    profile = StaffProfile.objects.get(user__username="expert-new")
    assert (profile.authority, profile.level) == ("nrta", "expert")


@pytest.mark.parametrize("level", ["expert", "ministry"])
def test_mct_ministry_cannot_create_an_expert_or_a_ministry_account(client, level):
    client.force_login(ministry())

    response = client.post(ADD, {**NEW_OFFICIAL, "level": level, "province": ""})

    assert response.status_code == 200
    assert "您无权创建该级别的账号。" in response.content.decode()
    assert not User.objects.filter(username="mct-hunan-9").exists()


def test_bad_input_is_shown_at_the_top_and_at_each_field_with_values_kept(client, people):
    client.force_login(ministry())

    response = client.post(ADD, {**NEW_OFFICIAL, "username": "mct-hunan-1", "province": "", "email": "不是邮箱"})

    body = response.content.decode()
    assert response.status_code == 200
    top = body.split('data-testid="form-errors"')[1].split("</div>")[0]
    assert '<a href="#id_username">登录账号：该登录账号已存在。</a>' in top
    assert '<a href="#id_province">省份：省级审核人员须选择省份。</a>' in top
    assert '<a href="#id_email">电子邮箱：请输入正确的电子邮箱。</a>' in top
    assert '<ul class="errorlist" id="username-errors"><li>该登录账号已存在。</li></ul>' in body
    assert 'value="赵审核"' in body and 'value="不是邮箱"' in body
    assert re.search(r'<input type="text" name="username"[^>]*aria-invalid="true"', body)
    assert StaffProfile.objects.filter(user__username="mct-hunan-1").count() == 1


# --- disable / enable ------------------------------------------------------------------------------


def test_mct_ministry_disables_and_re_enables_an_official_with_audit(client, people):
    actor = ministry()
    target = people["mct_hunan"]
    client.force_login(actor)

    missing = client.post(detail(target), {"status": "disable", "reason": ""})
    assert "请填写停用原因。" in missing.content.decode()
    assert User.objects.get(pk=target.pk).is_active is True

    client.post(detail(target), {"status": "disable", "reason": "调离审核岗位"})
    assert User.objects.get(pk=target.pk).is_active is False
    event = AuditEvent.objects.get(action="staff.disabled")
    assert (event.actor, event.target, event.detail["reason"]) == (actor, "mct-hunan-1", "调离审核岗位")
    page = client.get(detail(target)).content.decode()
    assert '<dd data-testid="account-status">已停用</dd>' in page
    assert "调离审核岗位" in page

    client.post(detail(target), {"status": "enable"})
    assert User.objects.get(pk=target.pk).is_active is True
    assert AuditEvent.objects.filter(action="staff.enabled", target="mct-hunan-1").count() == 1


def test_a_disabled_official_is_signed_out_at_the_next_request(client, people):
    target = people["mct_hunan"]
    official_client = type(client)()
    official_client.force_login(target)
    assert official_client.get("/staff/").status_code == 200

    client.force_login(ministry())
    client.post(detail(target), {"status": "disable", "reason": "离职"})

    assert official_client.get("/staff/").status_code == 302


def test_the_other_authority_cannot_disable(client, people):
    client.force_login(ministry(Authority.NRTA))

    response = client.post(detail(people["mct_hunan"]), {"status": "disable", "reason": "越权"})

    assert response.status_code == 404
    assert User.objects.get(pk=people["mct_hunan"].pk).is_active is True
    assert not AuditEvent.objects.filter(action="staff.disabled").exists()
    # The official's own authority may.
    client.force_login(ministry())
    client.post(detail(people["mct_hunan"]), {"status": "disable", "reason": "调离审核岗位"})
    assert User.objects.get(pk=people["mct_hunan"].pk).is_active is False


def test_ministry_colleagues_are_not_managed_here(client, people):
    client.force_login(ministry())

    assert client.get(detail(people["mct_other_ministry"])).status_code == 404
    client.post(detail(people["mct_other_ministry"]), {"status": "disable", "reason": "x"})
    assert User.objects.get(pk=people["mct_other_ministry"].pk).is_active is True
    assert client.get(detail(people["mct_hunan"])).status_code == 200  # a provincial official is managed here
