"""``manage.py demo``: demonstration accounts, idempotent, refused under production settings."""

import sys
import types

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.enums import Authority, InstitutionType, LicenceStatus, OrganisationKind, StaffLevel
from accounts.models import LegacyLicence, Organisation, StaffProfile, User
from accounts.services.activation import ActivationError, activate_qualification, filing_block_reason
from common.validators import validate_credit_code, validate_resident_id

pytestmark = pytest.mark.django_db

PASSWORD = "Demo2026portal"


def counts():
    return (
        User.objects.count(),
        Organisation.objects.count(),
        LegacyLicence.objects.count(),
        StaffProfile.objects.count(),
    )


def run_demo() -> str:
    from io import StringIO

    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_twice_gives_the_same_counts():
    run_demo()
    first = counts()
    hashes = dict(User.objects.values_list("username", "password"))

    run_demo()

    assert counts() == first
    # Re-running keeps the stored hashes (nothing changes).
    assert dict(User.objects.values_list("username", "password")) == hashes


def test_demo_accounts_part_creates_exactly_the_documented_rows(monkeypatch):
    from portal.management.commands import demo

    monkeypatch.setattr(demo, "DEMO_APPS", ())  # without the other apps' demo data
    run_demo()
    run_demo()

    # users: admin, 7 staff, 2 enterprise members, instdemo, persondemo;
    # organisations: 2 enterprises, 1 institution, 1 individual; 6 licences; 7 staff profiles
    assert counts() == (12, 4, 6, 7)


def test_demo_accounts_and_roles():
    run_demo()

    for username in (
        "admin",
        "mct-hunan",
        "mct-beijing",
        "nrta-hunan",
        "nrta-beijing",
        "mct-ministry",
        "nrta-ministry",
        "expert-1",
        "13800000001",
        "13800000002",
        "instdemo",
        "persondemo",
    ):
        assert User.objects.get(username=username).check_password(PASSWORD), username
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    profiles = {
        p.user.username: (p.authority, p.level, p.province) for p in StaffProfile.objects.select_related("user")
    }
    assert profiles == {
        "mct-hunan": (Authority.MCT, StaffLevel.PROVINCE, "430000"),
        "mct-beijing": (Authority.MCT, StaffLevel.PROVINCE, "110000"),
        "nrta-hunan": (Authority.NRTA, StaffLevel.PROVINCE, "430000"),
        "nrta-beijing": (Authority.NRTA, StaffLevel.PROVINCE, "110000"),
        "mct-ministry": (Authority.MCT, StaffLevel.MINISTRY, ""),
        "nrta-ministry": (Authority.NRTA, StaffLevel.MINISTRY, ""),
        "expert-1": (Authority.NRTA, StaffLevel.EXPERT, ""),
        # the rest of the expert panel of awards.demo_experts
        **{f"expert-{n}": (Authority.NRTA, StaffLevel.EXPERT, "") for n in range(2, 8)},
    }


def test_demo_enterprises():
    run_demo()

    active = User.objects.get(username="13800000001")
    assert active.full_name == "李明"
    assert active.phone == "13800000001"
    org = active.organisation
    assert (org.name, org.credit_code, org.province, org.kind) == (
        "湖南示例文化传媒有限公司",
        "91430100MA4L678907",
        "430000",
        OrganisationKind.ENTERPRISE,
    )
    assert org.administrator == active
    assert org.is_activated
    assert filing_block_reason(org) is None

    inactive = User.objects.get(username="13800000002").organisation
    assert validate_credit_code(inactive.credit_code) == inactive.credit_code
    assert inactive.credit_code[2:4] == "43"
    assert not inactive.is_activated
    assert filing_block_reason(inactive) == "本单位未激活资质，不能新增备案。请先在首页点击“激活资质”。"


def test_demo_institution_and_person():
    run_demo()

    inst = User.objects.get(username="instdemo").organisation
    assert (inst.name, inst.kind, inst.institution_type) == (
        "湖南示例网络视听机构",
        OrganisationKind.INSTITUTION,
        InstitutionType.PUBLIC,
    )
    assert validate_credit_code(inst.credit_code)
    person = User.objects.get(username="persondemo")
    assert person.organisation.kind == OrganisationKind.INDIVIDUAL
    assert validate_resident_id(person.id_number) == person.id_number
    assert person.id_number not in person.id_number_encrypted
    assert person.personal_info_consent_at is not None


def test_demo_legacy_licences():
    run_demo()

    free = LegacyLicence.objects.get(account="legacy-hunan-001")
    assert (free.unit_name, free.credit_code) == ("长沙星光演艺有限公司", "91430100MA4L12345A")
    assert "网络演出剧（节）目" in free.scope
    assert str(free.valid_to) == "2028-12-31"
    assert not Organisation.objects.filter(licence=free).exists()
    assert LegacyLicence.objects.get(account="legacy-hunan-revoked").status == LicenceStatus.REVOKED
    assert str(LegacyLicence.objects.get(account="legacy-hunan-expired").valid_to) == "2023-12-31"


def test_demo_inactive_unit_can_try_every_message_then_activate():
    run_demo()
    member = User.objects.get(username="13800000002")

    def attempt(account):
        return activate_qualification(
            actor=member,
            organisation=member.organisation,
            account=account,
            password=PASSWORD,
            request=RequestFactory().post("/", REMOTE_ADDR="10.9.9.9"),
        )

    codes = []
    for account in ("legacy-hunan-001", "legacy-hunan-expired", "legacy-hunan-revoked", "legacy-hunan-noscope"):
        with pytest.raises(ActivationError) as info:
            attempt(account)
        codes.append(info.value.code)
    assert codes == ["other_unit", "expired", "revoked", "scope"]
    attempt("legacy-hunan-002")
    assert Organisation.objects.get(pk=member.organisation_id).is_activated

    # A re-run restores the documented demo state.
    run_demo()
    assert not Organisation.objects.get(pk=member.organisation_id).is_activated


def test_demo_prints_the_account_table():
    out = run_demo()

    assert "演示账号（密码均为 Demo2026portal）：" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("账号"))
    assert header.split() == ["账号", "角色", "单位", "/", "省份"]
    assert any(line.startswith("mct-hunan ") and "湖南省" in line for line in lines)
    assert any(line.startswith("13800000001 ") and "湖南示例文化传媒有限公司" in line for line in lines)


def test_demo_refuses_production_settings(monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "portal.settings.production")

    with pytest.raises(CommandError) as info:
        call_command("demo")

    assert "生产环境" in str(info.value)
    assert User.objects.count() == 0


def test_demo_calls_populate_of_app_demo_modules(monkeypatch):
    calls = []
    module = types.ModuleType("filings.demo")
    module.populate = lambda stdout: calls.append(stdout)
    monkeypatch.setitem(sys.modules, "filings.demo", module)
    # find_spec consults sys.modules first, so the fake module is found.
    module.__spec__ = types.SimpleNamespace(name="filings.demo")

    run_demo()

    assert len(calls) == 1
