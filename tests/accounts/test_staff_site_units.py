"""单位管理 on /staff/ (issue 12): ministry staff reassign a unit's province there (until now only the
superuser admin could), through ``reassign_province`` (audited, with the reason); MCT staff move 经营单位,
NRTA staff 机构 and 个人; provincial officials and the other authority cannot (both sides asserted)."""

import re

import pytest
from django.urls import reverse

from accounts.enums import Authority, OrganisationKind, StaffLevel
from accounts.models import AuditEvent, Organisation
from tests.factories import OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

LIST = reverse("staff:accounts_organisation_changelist")


def detail(org) -> str:
    return reverse("staff:accounts_organisation_change", args=[org.pk])


def listed(response) -> list[str]:
    return sorted(re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a>', response.content.decode()))


def ministry(authority=Authority.MCT):
    return StaffFactory(profile__authority=authority, profile__level=StaffLevel.MINISTRY, full_name="部级")


@pytest.fixture
def units(db):
    return {
        "enterprise": OrganisationFactory(name="新疆示例文化公司", province="650000", credit_code="91650000MA0000001X"),
        "institution": OrganisationFactory(kind=OrganisationKind.INSTITUTION, name="湖南示例电视台", province="430000"),
    }


def test_mct_ministry_lists_enterprises_and_nrta_ministry_institutions(client, units):
    client.force_login(ministry())
    assert listed(client.get(LIST)) == ["新疆示例文化公司"]
    assert client.get(detail(units["institution"])).status_code == 404

    client.force_login(ministry(Authority.NRTA))
    assert listed(client.get(LIST)) == ["湖南示例电视台"]
    assert client.get(detail(units["enterprise"])).status_code == 404


def test_mct_ministry_reassigns_a_unit_s_province_with_an_audit_record(client, units):
    actor = ministry()
    unit = units["enterprise"]
    client.force_login(actor)

    page = client.get(detail(unit)).content.decode()
    assert '<dd data-testid="unit-province">新疆维吾尔自治区</dd>' in page

    response = client.post(detail(unit), {"province": "660000", "note": "注册地变更至兵团"}, follow=True)

    assert Organisation.objects.get(pk=unit.pk).province == "660000"
    assert [str(m) for m in response.context["messages"]] == [
        "已将“新疆示例文化公司”的所属省份调整为新疆生产建设兵团。"
    ]
    event = AuditEvent.objects.get(action="organisation.province_changed")
    assert event.actor == actor
    assert (event.detail["from"], event.detail["to"], event.detail["reason"]) == (
        "650000",
        "660000",
        "注册地变更至兵团",
    )
    history = response.content.decode().split('data-testid="province-history"')[1]
    assert "新疆维吾尔自治区 → 新疆生产建设兵团" in history and "注册地变更至兵团" in history


def test_missing_province_and_reason_are_shown_at_the_top_and_at_the_fields(client, units):
    client.force_login(ministry())

    response = client.post(detail(units["enterprise"]), {"province": "", "note": ""})

    body = response.content.decode()
    assert response.status_code == 200
    top = body.split('data-testid="form-errors"')[1].split("</div>")[0]
    assert '<a href="#id_province">新的所属省份：请选择省份。</a>' in top
    assert '<a href="#id_note">调整原因：请填写调整原因。</a>' in top
    assert '<ul class="errorlist" id="province-errors"><li>请选择省份。</li></ul>' in body
    assert Organisation.objects.get(pk=units["enterprise"].pk).province == "650000"
    assert not AuditEvent.objects.filter(action="organisation.province_changed").exists()


def test_a_provincial_official_sees_own_units_read_only_and_cannot_reassign(client, units):
    client.force_login(StaffFactory(profile__province="650000"))

    assert client.get(LIST).status_code == 403
    page = client.get(detail(units["enterprise"]))
    assert page.status_code == 200  # e.g. opened from a 培训报名 that links its unit
    assert 'name="province"' not in page.content.decode()
    assert client.post(detail(units["enterprise"]), {"province": "430000", "note": "越权"}).status_code == 403
    assert Organisation.objects.get(pk=units["enterprise"].pk).province == "650000"
    assert not AuditEvent.objects.filter(action="organisation.province_changed").exists()


def test_an_official_of_another_province_or_authority_gets_404(client, units):
    for user in (
        StaffFactory(profile__province="430000"),
        StaffFactory(profile__province="650000", profile__authority=Authority.NRTA),
    ):
        client.force_login(user)
        assert client.get(detail(units["enterprise"])).status_code == 404
        assert client.post(detail(units["enterprise"]), {"province": "430000", "note": "越权"}).status_code == 404
    assert Organisation.objects.get(pk=units["enterprise"].pk).province == "650000"
    client.force_login(ministry())  # the MCT ministry opens the unit
    assert client.get(detail(units["enterprise"])).status_code == 200


def test_the_other_authority_cannot_move_the_unit(client, units):
    client.force_login(ministry(Authority.NRTA))

    response = client.post(detail(units["enterprise"]), {"province": "430000", "note": "越权"})

    assert response.status_code == 404
    assert Organisation.objects.get(pk=units["enterprise"].pk).province == "650000"
    # MCT ministry staff move the same 经营单位.
    client.force_login(ministry())
    client.post(detail(units["enterprise"]), {"province": "430000", "note": "注册地迁至湖南"})
    assert Organisation.objects.get(pk=units["enterprise"].pk).province == "430000"


def test_the_service_refuses_the_other_authority_too():
    from django.core.exceptions import PermissionDenied

    from accounts.services.staff import reassign_province

    unit = OrganisationFactory(province="650000")
    with pytest.raises(PermissionDenied):
        reassign_province(ministry(Authority.NRTA), unit, "430000")
    assert reassign_province(ministry(), unit, "430000") is True


def test_the_list_costs_the_same_queries_for_few_and_many(client, django_assert_max_num_queries):
    client.force_login(ministry())
    OrganisationFactory()
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    OrganisationFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(listed(response)) == 21


def test_search_by_credit_code(client, units):
    client.force_login(ministry())

    assert listed(client.get(LIST, {"q": "91650000MA0000001X"})) == ["新疆示例文化公司"]
