"""资质激活 (A5): the service, the rule for new filings and the page."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from accounts.enums import LicenceStatus, OrganisationKind
from accounts.models import AuditEvent, Organisation
from accounts.services.activation import (
    ActivationError,
    ActivationLocked,
    activate_qualification,
    filing_block_reason,
    qualification_state,
)
from tests.factories import PASSWORD, ApplicantFactory, LegacyLicenceFactory, OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

CODE = "91430100MA4L678907"
OTHER_CODE = "91430100MA4L12345A"
CHINA = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def member():
    return ApplicantFactory(organisation__credit_code=CODE, organisation__name="湖南示例文化传媒有限公司")


def request_from(ip="10.0.0.1"):
    return RequestFactory().post("/accounts/activate/", REMOTE_ADDR=ip)


def activate(member, account, password=PASSWORD, ip="10.0.0.1"):
    return activate_qualification(
        actor=member, organisation=member.organisation, account=account, password=password, request=request_from(ip)
    )


def error_of(member, account, password=PASSWORD, ip="10.0.0.1") -> ActivationError:
    with pytest.raises(ActivationError) as info:
        activate(member, account, password, ip)
    return info.value


# --- the service ------------------------------------------------------------------------


def test_activate_qualification_binds_licence_and_audits(member):
    licence = LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)

    result = activate(member, " legacy-ok ")

    org = Organisation.objects.get(pk=member.organisation_id)
    assert result == licence
    assert org.licence == licence
    assert org.activated_at is not None
    assert org.is_activated
    event = AuditEvent.objects.get(action="qualification.activated")
    assert event.actor == member
    assert event.ip == "10.0.0.1"
    assert event.detail == {"licence_no": licence.licence_no, "credit_code": CODE}


def test_activate_qualification_accepts_half_width_scope(member):
    LegacyLicenceFactory(account="legacy-half", credit_code=CODE, scope="网络音乐、网络演出剧(节)目")

    activate(member, "legacy-half")

    assert Organisation.objects.get(pk=member.organisation_id).is_activated


def test_activate_qualification_wrong_password_does_not_say_which(member):
    LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)

    wrong_password = error_of(member, "legacy-ok", "WrongPass2026")
    unknown_account = error_of(member, "no-such-account")

    assert wrong_password.message == unknown_account.message == "原平台账号或密码不正确。"
    assert not Organisation.objects.get(pk=member.organisation_id).is_activated
    failed = AuditEvent.objects.filter(action="qualification.activation_failed").order_by("at")
    assert [e.detail["reason"] for e in failed] == ["credentials", "credentials"]
    assert all("WrongPass2026" not in str(e.detail) for e in failed)


def test_activate_qualification_with_another_units_account_is_refused(member):
    LegacyLicenceFactory(account="legacy-other", credit_code=OTHER_CODE)

    assert error_of(member, "legacy-other").message == "该许可证属于其他单位（统一社会信用代码不一致）。"


@time_machine.travel(datetime(2026, 3, 1, 10, 0, tzinfo=CHINA), tick=False)
def test_activate_qualification_expired_licence_names_the_date(member):
    LegacyLicenceFactory(
        account="legacy-old", credit_code=CODE, valid_from=date(2020, 1, 1), valid_to=date(2025, 12, 31)
    )

    assert error_of(member, "legacy-old").message == "许可证已过期（有效期至 2025年12月31日），不能新增备案。"


def test_activate_qualification_uses_beijing_date_for_validity(member):
    LegacyLicenceFactory(account="legacy-edge", credit_code=CODE, valid_to=date(2026, 3, 1))
    # 2026-03-01 16:30 UTC is already 2026-03-02 00:30 in Beijing: the licence has expired.
    with time_machine.travel(datetime(2026, 3, 1, 16, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        assert error_of(member, "legacy-edge").code == "expired"
    with time_machine.travel(datetime(2026, 3, 1, 15, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        activate(member, "legacy-edge")
    assert Organisation.objects.get(pk=member.organisation_id).is_activated


def test_activate_qualification_not_yet_valid(member):
    LegacyLicenceFactory(
        account="legacy-future", credit_code=CODE, valid_from=date(2099, 1, 1), valid_to=date(2099, 12, 31)
    )

    assert error_of(member, "legacy-future").message == "许可证尚未生效（有效期自 2099年1月1日）。"


def test_activate_qualification_revoked_licence(member):
    LegacyLicenceFactory(account="legacy-revoked", credit_code=CODE, status=LicenceStatus.REVOKED)

    assert error_of(member, "legacy-revoked").message == "许可证已吊销，不能激活。"


def test_activate_qualification_scope_without_network_performance(member):
    LegacyLicenceFactory(account="legacy-music", credit_code=CODE, scope="网络音乐、网络游戏")

    assert error_of(member, "legacy-music").message == "经营范围不含网络演出剧（节）目，不能激活。"


def test_activate_qualification_licence_claimed_by_another_unit(member):
    licence = LegacyLicenceFactory(account="legacy-taken", credit_code=CODE)
    # A unit that claimed it earlier (e.g. before a credit code correction).
    OrganisationFactory(credit_code=OTHER_CODE, licence=licence, activated_at=datetime(2025, 1, 1, tzinfo=CHINA))

    assert error_of(member, "legacy-taken").message == "该许可证已被其他单位激活。"


def test_activate_qualification_twice_is_refused(member):
    LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)
    activate(member, "legacy-ok")

    assert error_of(member, "legacy-ok").message == "本单位资质已激活。"


def test_activate_qualification_by_non_member_is_refused(member):
    LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)
    outsider = ApplicantFactory()

    with pytest.raises(ActivationError) as info:
        activate_qualification(
            actor=outsider,
            organisation=member.organisation,
            account="legacy-ok",
            password=PASSWORD,
            request=request_from(),
        )
    assert info.value.code == "forbidden"
    assert not Organisation.objects.get(pk=member.organisation_id).is_activated
    # The unit's own member activates with the same licence.
    activate_qualification(
        actor=member, organisation=member.organisation, account="legacy-ok", password=PASSWORD, request=request_from()
    )
    assert Organisation.objects.get(pk=member.organisation_id).is_activated


def test_activate_qualification_locks_after_five_failures_and_releases(member):
    LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)
    start = datetime(2026, 5, 1, 9, 0, tzinfo=CHINA)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(4):
            assert error_of(member, "legacy-ok", "bad-password").code == "credentials"
        fifth = error_of(member, "legacy-ok", "bad-password")
        assert isinstance(fifth, ActivationLocked)
        assert fifth.message == "原平台账号或密码不正确。 激活失败次数过多，已锁定，请15分钟后再试。"

        # Locked: even the right password is refused, without being checked.
        traveller.shift(timedelta(minutes=5))
        locked = error_of(member, "legacy-ok")
        assert isinstance(locked, ActivationLocked)
        assert locked.message == "激活失败次数过多，已锁定，请10分钟后再试。"
        # Another IP address is not locked.
        assert error_of(member, "legacy-ok", "bad-password", ip="10.0.0.2").code == "credentials"

        traveller.shift(timedelta(minutes=10, seconds=1))
        activate(member, "legacy-ok")
    assert Organisation.objects.get(pk=member.organisation_id).is_activated


def test_activate_qualification_failures_expire_after_window(member):
    LegacyLicenceFactory(account="legacy-ok", credit_code=CODE)
    with time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=CHINA), tick=False) as traveller:
        for _ in range(4):
            error_of(member, "legacy-ok", "bad-password")
        traveller.shift(timedelta(minutes=16))
        # The count started again: this failure is the first of a new window, not the fifth.
        assert not isinstance(error_of(member, "legacy-ok", "bad-password"), ActivationLocked)


# --- the rule before a new filing ---------------------------------------------------------


def test_filing_block_reason_for_each_state():
    inactive = OrganisationFactory(credit_code=CODE)
    active = OrganisationFactory(activated=True)
    expired = OrganisationFactory(
        activated=True, licence__valid_to=date(2020, 12, 31), licence__valid_from=date(2018, 1, 1)
    )
    revoked = OrganisationFactory(activated=True, licence__status=LicenceStatus.REVOKED)
    no_scope = OrganisationFactory(activated=True, licence__scope="网络音乐")

    assert filing_block_reason(active) is None
    assert filing_block_reason(inactive) == "本单位未激活资质，不能新增备案。请先在首页点击“激活资质”。"
    assert filing_block_reason(None) == "本单位未激活资质，不能新增备案。请先在首页点击“激活资质”。"
    assert filing_block_reason(expired) == "许可证已过期（有效期至 2020年12月31日），不能新增备案。"
    assert filing_block_reason(revoked) == "许可证已吊销，不能新增备案。"
    assert filing_block_reason(no_scope) == "经营范围不含网络演出剧（节）目，不能新增备案。"


def test_filing_block_reason_follows_time():
    org = OrganisationFactory(activated=True, licence__valid_to=date(2026, 6, 30))
    with time_machine.travel(datetime(2026, 6, 30, 23, 59, tzinfo=CHINA), tick=False):
        assert filing_block_reason(org) is None
    with time_machine.travel(datetime(2026, 7, 1, 0, 1, tzinfo=CHINA), tick=False):
        assert filing_block_reason(org) == "许可证已过期（有效期至 2026年6月30日），不能新增备案。"


def test_qualification_state_status():
    assert qualification_state(OrganisationFactory()).status == "inactive"
    assert qualification_state(OrganisationFactory(activated=True)).status == "active"
    assert (
        qualification_state(OrganisationFactory(activated=True, licence__status=LicenceStatus.REVOKED)).status
        == "revoked"
    )


# --- the home page block ---------------------------------------------------------------------


def render_block(user):
    return render_to_string("accounts/_home_qualification.html", {"user": user})


def test_home_qualification_inactive_shows_activate_button():
    user = ApplicantFactory()

    html = render_block(user)

    assert 'data-state="inactive"' in html
    assert "未激活" in html
    assert f'href="{reverse("accounts:activate")}"' in html
    assert ">激活资质</a>" in html


def test_home_qualification_active_shows_licence():
    user = ApplicantFactory(
        organisation__activated=True,
        organisation__licence__licence_no="湘网文〔2024〕0001号",
        organisation__licence__scope="网络演出剧（节）目、网络音乐",
        organisation__licence__valid_from=date(2024, 1, 1),
        organisation__licence__valid_to=date(2028, 12, 31),
    )

    html = render_block(user)

    assert 'data-state="active"' in html
    assert "湘网文〔2024〕0001号" in html
    assert "网络演出剧（节）目、网络音乐" in html
    assert "2024-01-01 至 2028-12-31" in html
    assert ">激活资质</a>" not in html
    assert "qualification-warning" not in html


def test_home_qualification_expired_and_revoked_warn():
    expired = ApplicantFactory(
        organisation__activated=True,
        organisation__licence__valid_from=date(2018, 1, 1),
        organisation__licence__valid_to=date(2021, 3, 31),
    )
    revoked = ApplicantFactory(organisation__activated=True, organisation__licence__status=LicenceStatus.REVOKED)

    expired_html = render_block(expired)
    revoked_html = render_block(revoked)

    assert "许可证已过期（有效期至 2021年3月31日），不能新增备案。" in expired_html
    assert 'data-state="expired"' in expired_html
    assert "许可证已吊销，不能新增备案。" in revoked_html


def test_home_qualification_hidden_for_institutions_and_staff():
    institution_user = ApplicantFactory(organisation__kind=OrganisationKind.INSTITUTION)
    official = StaffFactory()

    assert render_block(institution_user).strip() == ""
    assert render_block(official).strip() == ""
