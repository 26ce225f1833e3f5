"""The superuser admin at /admin/ for accounts."""

from datetime import date

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import Authority, LicenceStatus, OrganisationKind, StaffLevel
from accounts.models import AuditEvent, LegacyLicence, Organisation, StaffProfile, User
from accounts.services.activation import activate_qualification
from tests.factories import (
    PASSWORD,
    ApplicantFactory,
    LegacyLicenceFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ID_NUMBER = "430102199003070020"


@pytest.fixture
def superuser(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def person():
    user = ApplicantFactory(
        username="persondemo", phone=None, full_name="陈晓雨", organisation__kind=OrganisationKind.INDIVIDUAL
    )
    user.set_id_number(ID_NUMBER)
    user.save()
    return user


@pytest.mark.parametrize("name", ["user", "organisation", "legacylicence", "auditevent"])
def test_admin_changelists_load_for_superuser(client, superuser, person, name, django_assert_max_num_queries):
    StaffFactory()
    OrganisationFactory(activated=True)
    LegacyLicenceFactory()
    AuditEvent.objects.create(action="login.success", target="someone")

    with django_assert_max_num_queries(20):
        response = client.get(reverse(f"admin:accounts_{name}_changelist"))

    assert response.status_code == 200
    assert ID_NUMBER not in response.content.decode()


def test_admin_list_queries_do_not_grow_with_rows(client, superuser, django_assert_max_num_queries):
    for _ in range(15):
        StaffFactory()
        OrganisationFactory(activated=True)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:accounts_organisation_changelist")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:accounts_legacylicence_changelist")).status_code == 200


def test_admin_refused_for_staff_and_applicants(client):
    for user in (StaffFactory(profile__level=StaffLevel.MINISTRY), ApplicantFactory()):
        client.force_login(user)
        response = client.get(reverse("admin:accounts_user_changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_admin_user_page_masks_id_number_and_audits_the_view(client, superuser, person):
    response = client.get(reverse("admin:accounts_user_change", args=[person.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "4301**********0020" in html
    assert ID_NUMBER not in html
    assert person.id_number_encrypted not in html
    event = AuditEvent.objects.get(action="personal_data.viewed")
    assert event.actor == superuser
    assert event.target == "persondemo"
    assert event.detail["via"] == "admin:user"


def test_admin_user_list_masks_phones(client, superuser):
    ApplicantFactory(username="13812345678", phone="13812345678", full_name="王五")

    response = client.get(reverse("admin:accounts_user_changelist"), {"q": "王五"})

    html = response.content.decode()
    assert "138****5678" in html
    assert '<td class="field-phone_masked">138****5678</td>' in html


def test_admin_own_user_page_is_not_audited_as_personal_data(client, superuser):
    client.get(reverse("admin:accounts_user_change", args=[superuser.pk]))

    assert not AuditEvent.objects.filter(action="personal_data.viewed").exists()


def test_admin_user_page_has_staff_profile_inline(client, superuser):
    official = StaffFactory(profile__authority=Authority.NRTA, profile__province="110000")

    response = client.get(reverse("admin:accounts_user_change", args=[official.pk]))

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].instance == official.staff_profile


def test_admin_user_add_and_search(client, superuser):
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new-admin",
            "usable_password": "true",
            "password1": "Admin2026pass!",
            "password2": "Admin2026pass!",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="new-admin").check_password("Admin2026pass!")

    found = client.get(reverse("admin:accounts_user_changelist"), {"q": "new-admin"})
    assert [u.username for u in found.context["cl"].result_list] == ["new-admin"]


def test_admin_staff_inline_requires_province_for_provincial_level(client, superuser):
    user = UserFactory(username="will-be-staff")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone or "",
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "staff_profile-TOTAL_FORMS": "1",
        "staff_profile-INITIAL_FORMS": "0",
        "staff_profile-MIN_NUM_FORMS": "0",
        "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-authority": "mct",
        "staff_profile-0-level": "province",
        "staff_profile-0-province": "",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors == [{"province": ["省级审核人员须选择省份。"]}]
    assert not StaffProfile.objects.filter(user=user).exists()

    data["staff_profile-0-province"] = "430000"
    response = client.post(url, data)
    assert response.status_code == 302
    profile = StaffProfile.objects.get(user=user)
    assert (profile.province, profile.created_by) == ("430000", superuser)


# --- organisations ---------------------------------------------------------------------------


def test_admin_organisation_search_and_filters(client, superuser):
    OrganisationFactory(name="湖南星光文化", credit_code="91430100MA4L678907", province="430000")
    OrganisationFactory(name="北京示例", province="110000", kind=OrganisationKind.INSTITUTION)
    url = reverse("admin:accounts_organisation_changelist")

    def names(params):
        return sorted(o.name for o in client.get(url, params).context["cl"].result_list)

    assert names({"q": "91430100MA4L678907"}) == ["湖南星光文化"]
    assert names({"q": "星光"}) == ["湖南星光文化"]
    assert names({"province": "110000"}) == ["北京示例"]
    assert names({"kind": "institution"}) == ["北京示例"]


def test_admin_reassign_province_action_writes_audit(client, superuser):
    org = OrganisationFactory(name="新疆示例公司", province="650000")
    other = OrganisationFactory(name="已在兵团", province="660000")
    url = reverse("admin:accounts_organisation_changelist")

    confirm = client.post(url, {"action": "reassign_province_action", "_selected_action": [org.pk, other.pk]})
    assert confirm.status_code == 200
    assert "重新指定所属省份" in confirm.content.decode()

    done = client.post(
        url,
        {
            "action": "reassign_province_action",
            "_selected_action": [org.pk, other.pk],
            "apply": "1",
            "province": "660000",
        },
        follow=True,
    )

    assert done.status_code == 200
    assert "已调整 1 个单位的所属省份。" in done.content.decode()
    org.refresh_from_db()
    assert org.province == "660000"
    event = AuditEvent.objects.get(action="organisation.province_changed")
    assert event.actor == superuser
    assert event.target == "新疆示例公司"
    assert (event.detail["from"], event.detail["to"]) == ("650000", "660000")


def test_admin_reassign_province_action_requires_a_province(client, superuser):
    org = OrganisationFactory(province="650000")
    response = client.post(
        reverse("admin:accounts_organisation_changelist"),
        {"action": "reassign_province_action", "_selected_action": [org.pk], "apply": "1", "province": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"province": ["请选择省份。"]}
    org.refresh_from_db()
    assert org.province == "650000"


def test_admin_organisation_change_form_routes_province_and_central_through_services(client, superuser):
    org = OrganisationFactory(name="某单位", province="430000", credit_code="91430100MA4L678907")
    data = {
        "kind": "enterprise",
        "name": "某单位（更名）",
        "institution_type": "",
        "credit_code": org.credit_code,
        "province": "110000",
        "is_central": "on",
        "email": "",
        "contact_name": "",
        "contact_phone": "",
        "administrator": "",
    }

    response = client.post(reverse("admin:accounts_organisation_change", args=[org.pk]), data)

    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.province, org.is_central) == ("某单位（更名）", "110000", True)
    actions = sorted(AuditEvent.objects.filter(action__startswith="organisation.").values_list("action", flat=True))
    assert actions == ["organisation.central_changed", "organisation.province_changed"]


def test_admin_mark_central_action(client, superuser):
    org = OrganisationFactory()

    client.post(
        reverse("admin:accounts_organisation_changelist"), {"action": "mark_central", "_selected_action": [org.pk]}
    )

    org.refresh_from_db()
    assert org.is_central is True
    assert AuditEvent.objects.filter(action="organisation.central_changed").count() == 1


def test_admin_release_licence_action(client, superuser):
    member = ApplicantFactory(organisation__credit_code="91430100MA4L678907")
    licence = LegacyLicenceFactory(account="legacy-x")
    from django.test import RequestFactory

    activate_qualification(
        actor=member,
        organisation=member.organisation,
        account="legacy-x",
        password=PASSWORD,
        request=RequestFactory().post("/"),
    )

    client.post(
        reverse("admin:accounts_organisation_changelist"),
        {"action": "release_licence", "_selected_action": [member.organisation_id]},
    )

    org = Organisation.objects.get(pk=member.organisation_id)
    assert (org.licence, org.activated_at) == (None, None)
    assert AuditEvent.objects.get(action="qualification.deactivated").detail == {"licence_no": licence.licence_no}


# --- legacy licences -------------------------------------------------------------------------


def test_admin_licence_page_never_shows_the_hash(client, superuser):
    licence = LegacyLicenceFactory()

    response = client.get(reverse("admin:accounts_legacylicence_change", args=[licence.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert licence.password_hash not in html
    assert "已设置（md5）" in html  # the test settings hash with MD5


def test_admin_licence_list_filters(client, superuser):
    LegacyLicenceFactory(account="valid-one")
    LegacyLicenceFactory(account="revoked-one", status=LicenceStatus.REVOKED, province="110000")
    url = reverse("admin:accounts_legacylicence_changelist")

    def accounts(params):
        return sorted(lic.account for lic in client.get(url, params).context["cl"].result_list)

    assert accounts({"status__exact": "revoked"}) == ["revoked-one"]
    assert accounts({"province__exact": "430000"}) == ["valid-one"]
    assert accounts({"q": "valid-one"}) == ["valid-one"]


def test_admin_licence_add_requires_password_and_valid_credit_code(client, superuser):
    url = reverse("admin:accounts_legacylicence_add")
    data = {
        "licence_no": "湘网文〔2026〕0001号",
        "unit_name": "示例",
        "credit_code": "91430100MA4L678900",
        "scope": "网络演出剧（节）目",
        "valid_from": "2026-01-01",
        "valid_to": "2025-01-01",
        "province": "430000",
        "account": "new-acc",
        "status": "valid",
        "new_password": "",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "credit_code": ["统一社会信用代码校验位不正确，请核对后重新输入。"],
        "valid_to": ["有效期至早于有效期自。"],
        "new_password": ["新增许可证须设置原平台密码。"],
    }

    data.update(credit_code="91430100MA4L678907", valid_to="2028-12-31", new_password="Legacy2026pw")
    assert client.post(url, data).status_code == 302
    licence = LegacyLicence.objects.get(account="new-acc")
    assert check_password("Legacy2026pw", licence.password_hash)
    event = AuditEvent.objects.get(action="licence.saved")
    assert event.detail["password_changed"] is True
    assert "Legacy2026pw" not in str(event.detail)


def test_admin_licence_edit_without_password_keeps_hash(client, superuser):
    licence = LegacyLicenceFactory(valid_to=date(2027, 1, 1))
    old_hash = licence.password_hash
    data = {
        "licence_no": licence.licence_no,
        "unit_name": licence.unit_name,
        "credit_code": licence.credit_code,
        "scope": licence.scope,
        "valid_from": "2024-01-01",
        "valid_to": "2029-01-01",
        "province": "430000",
        "account": licence.account,
        "status": "valid",
        "new_password": "",
    }

    assert client.post(reverse("admin:accounts_legacylicence_change", args=[licence.pk]), data).status_code == 302

    licence.refresh_from_db()
    assert licence.valid_to == date(2029, 1, 1)
    assert licence.password_hash == old_hash


def test_admin_licence_import_page(client, superuser):
    url = reverse("admin:accounts_legacylicence_import")
    assert client.get(url).status_code == 200
    assert "导入 CSV" in client.get(reverse("admin:accounts_legacylicence_changelist")).content.decode()
    csv = (
        "licence_no,unit_name,credit_code,scope,valid_from,valid_to,province,account,password\n"
        "湘网文〔2024〕0101号,长沙示例,91430100MA4L678907,网络演出剧（节）目,2024-01-01,2028-12-31,湘,acc-1,Pw2026abcdef\n"
        "湘网文〔2024〕0102号,长沙示例二,BAD,网络演出剧（节）目,2024-01-01,2028-12-31,湘,acc-2,Pw2026abcdef\n"
    ).encode("gb18030")

    response = client.post(url, {"file": SimpleUploadedFile("list.csv", csv, content_type="text/csv")})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<p id="import-summary">新增 1 条，更新 0 条，拒绝 1 条</p>' in html
    assert "<td>3</td><td>湘网文〔2024〕0102号</td>" in html
    assert list(LegacyLicence.objects.values_list("account", flat=True)) == ["acc-1"]


def test_admin_licence_import_bad_file(client, superuser):
    response = client.post(
        reverse("admin:accounts_legacylicence_import"),
        {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")},
    )

    assert response.status_code == 200
    assert response.context["error"].startswith("缺少列：")


def test_admin_licence_import_refused_for_non_superuser(client):
    client.force_login(ApplicantFactory())

    response = client.get(reverse("admin:accounts_legacylicence_import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- audit log --------------------------------------------------------------------------------


def test_admin_audit_log_is_read_only(client, superuser):
    event = AuditEvent.objects.create(action="login.failed", target="13800000001")

    changelist = client.get(reverse("admin:accounts_auditevent_changelist"), {"action": "login.failed"})
    detail = client.get(reverse("admin:accounts_auditevent_change", args=[event.pk]))
    delete = client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"})
    add = client.get(reverse("admin:accounts_auditevent_add"))

    assert [e.pk for e in changelist.context["cl"].result_list] == [event.pk]
    assert changelist.context["action_form"] is None  # no actions at all, not even "delete selected"
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert delete.status_code == 403
    assert add.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
