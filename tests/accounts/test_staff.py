"""Reviewer accounts (A6): who may create them, validation, the command, the OTP rule."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.enums import Authority, StaffLevel
from accounts.models import AuditEvent, Organisation, StaffProfile, User
from accounts.services.staff import (
    create_staff,
    generate_password,
    reassign_province,
    set_central_unit,
    staff_needs_otp,
    staff_otp_required,
)
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def ministry(authority=Authority.MCT):
    return StaffFactory(profile__authority=authority, profile__level=StaffLevel.MINISTRY)


def new_official(actor, **overrides):
    values = {
        "username": "mct-hunan-2",
        "full_name": "赵审核",
        "authority": Authority.MCT,
        "level": StaffLevel.PROVINCE,
        "province": "430000",
        "email": "zhao@example.cn",
        "phone": "",
    }
    values.update(overrides)
    return create_staff(actor, **values)


def test_create_staff_by_ministry_staff(settings):
    actor = ministry()

    created = new_official(actor, province="湘")

    user = created.user
    assert user.username == "mct-hunan-2"
    assert user.full_name == "赵审核"
    assert user.is_staff is False and user.is_superuser is False
    assert created.generated is True
    assert user.check_password(created.password)
    profile = StaffProfile.objects.get(user=user)
    assert (profile.authority, profile.level, profile.province, profile.created_by) == (
        "mct",
        "province",
        "430000",
        actor,
    )
    event = AuditEvent.objects.get(action="staff.created")
    assert event.actor == actor
    assert event.target == "mct-hunan-2"
    assert event.detail == {"authority": "mct", "level": "province", "province": "430000"}


def test_create_staff_by_superuser_any_authority():
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)

    created = new_official(
        admin,
        username="expert-9",
        authority=Authority.NRTA,
        level=StaffLevel.EXPERT,
        province="",
        password="Expert2026pass",
    )

    assert created.generated is False
    assert created.user.check_password("Expert2026pass")
    assert created.user.staff_profile.province == ""


def test_create_staff_refused_for_other_authority_ministry():
    with pytest.raises(PermissionDenied):
        new_official(ministry(Authority.NRTA))
    assert not User.objects.filter(username="mct-hunan-2").exists()
    # The same account, asked by the MCT ministry, is created.
    assert new_official(ministry(Authority.MCT)).user.username == "mct-hunan-2"


@pytest.mark.parametrize(
    "make_actor",
    [
        lambda: StaffFactory(profile__authority=Authority.MCT, profile__level=StaffLevel.PROVINCE),
        lambda: StaffFactory(profile__authority=Authority.NRTA, profile__level=StaffLevel.EXPERT),
        lambda: ApplicantFactory(),
        lambda: AnonymousUser(),
        lambda: None,
    ],
)
def test_create_staff_refused_for_everyone_else(make_actor):
    with pytest.raises(PermissionDenied):
        new_official(make_actor())
    assert not User.objects.filter(username="mct-hunan-2").exists()
    assert new_official(ministry()).user.username == "mct-hunan-2"  # what they asked for is possible


def test_create_staff_refused_for_inactive_ministry_staff():
    actor = ministry()
    actor.is_active = False
    actor.save()

    with pytest.raises(PermissionDenied):
        new_official(actor)


def test_create_staff_validates_every_field():
    UserFactory(username="taken-name")
    UserFactory(username="13800000077", phone="13800000077")

    with pytest.raises(ValidationError) as info:
        new_official(
            ministry(),
            username="Taken-Name",
            full_name="",
            level=StaffLevel.PROVINCE,
            province="火星",
            email="not-an-email",
            phone="13800000077",
        )

    assert info.value.message_dict == {
        "username": ["该登录账号已存在。"],
        "full_name": ["请输入姓名。"],
        "province": ["省份无法识别。"],
        "email": ["请输入正确的电子邮箱。"],
        "phone": ["该手机号已被其他账号使用。"],
    }


def test_create_staff_province_level_needs_province_and_username_rule():
    with pytest.raises(ValidationError) as info:
        new_official(ministry(), username="a b", province="")
    assert info.value.message_dict == {
        "username": ["登录账号只能由字母、数字和 . _ - 组成，长度4-30位。"],
        "province": ["省级审核人员须选择省份。"],
    }
    with pytest.raises(ValidationError) as info:
        new_official(ministry(), username="13912345678")
    assert info.value.message_dict == {"username": ["登录账号不能是纯数字（以免与手机号混淆）。"]}


def test_create_staff_weak_password_is_refused():
    with pytest.raises(ValidationError) as info:
        new_official(ministry(), password="short")
    assert info.value.message_dict["password"][0] == "密码长度应为10-20位。"


def test_generate_password_meets_the_rule():
    from django.contrib.auth.password_validation import validate_password

    for _ in range(20):
        password = generate_password()
        validate_password(password)  # raises if not
        assert len(password) == 14


# --- the command ------------------------------------------------------------------------


def test_create_staff_command_prints_generated_password(capsys):
    call_command(
        "create_staff",
        "nrta-hunan-2",
        "--full-name",
        "钱审核",
        "--authority",
        "nrta",
        "--level",
        "province",
        "--province",
        "湖南省",
    )

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "已创建 nrta-hunan-2（国家广播电视总局 省级审核人员 湖南省）"
    assert out[1].startswith("初始密码: ")
    password = out[1].removeprefix("初始密码: ")
    user = User.objects.get(username="nrta-hunan-2")
    assert user.check_password(password)
    assert user.staff_profile.created_by is None
    assert AuditEvent.objects.get(action="staff.created").actor is None


def test_create_staff_command_with_password_prints_no_password(capsys):
    call_command(
        "create_staff",
        "mct-min-2",
        "--full-name",
        "孙部",
        "--authority",
        "mct",
        "--level",
        "ministry",
        "--password",
        "Ministry2026x",
    )

    out = capsys.readouterr().out
    assert out.strip() == "已创建 mct-min-2（文化和旅游部 部级工作人员）"
    assert "Ministry2026x" not in out
    assert User.objects.get(username="mct-min-2").check_password("Ministry2026x")


def test_create_staff_command_reports_errors():
    with pytest.raises(CommandError) as info:
        call_command("create_staff", "mct-x-1", "--full-name", "李", "--authority", "mct", "--level", "province")
    assert str(info.value) == "province: 省级审核人员须选择省份。"


# --- second factor rule ------------------------------------------------------------------


def request_for(user, verified: bool):
    user.is_verified = lambda: verified  # what django_otp.middleware.OTPMiddleware attaches
    return user


def test_staff_needs_otp_only_for_unverified_ministry_staff_when_required(settings):
    settings.STAFF_OTP_REQUIRED_FOR_MINISTRY = True
    minister = ministry()
    official = StaffFactory()
    applicant = ApplicantFactory()

    assert staff_otp_required(minister) is True
    assert staff_needs_otp(request_for(minister, verified=False)) is True
    assert staff_needs_otp(request_for(minister, verified=True)) is False
    assert staff_needs_otp(request_for(official, verified=False)) is False
    assert staff_needs_otp(request_for(applicant, verified=False)) is False
    assert staff_needs_otp(AnonymousUser()) is False
    # A user object without the middleware's is_verified counts as not verified.
    assert staff_needs_otp(User.objects.get(pk=minister.pk)) is True


def test_staff_needs_otp_off_when_setting_off(settings):
    settings.STAFF_OTP_REQUIRED_FOR_MINISTRY = False

    assert staff_needs_otp(request_for(ministry(), verified=False)) is False


# --- staff actions on units ---------------------------------------------------------------


def test_reassign_province_by_ministry_staff_is_audited():
    org = OrganisationFactory(province="650000", name="新疆示例公司")
    actor = ministry()
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.1.1")

    assert reassign_province(actor, org, "兵团", request=request) is True

    org.refresh_from_db()
    assert org.province == "660000"
    event = AuditEvent.objects.get(action="organisation.province_changed")
    assert event.actor == actor
    assert event.target == "新疆示例公司"
    assert event.ip == "10.1.1.1"
    assert event.detail == {
        "organisation": org.pk,
        "from": "650000",
        "to": "660000",
        "from_name": "新疆维吾尔自治区",
        "to_name": "新疆生产建设兵团",
    }


def test_reassign_province_same_province_changes_nothing():
    org = OrganisationFactory(province="430000")

    assert reassign_province(ministry(), org, "430000") is False
    assert not AuditEvent.objects.filter(action="organisation.province_changed").exists()


def test_reassign_province_by_provincial_official_only_own_province():
    hunan = StaffFactory(profile__province="430000")
    own = OrganisationFactory(province="430000")
    foreign = OrganisationFactory(province="110000")

    assert reassign_province(hunan, own, "110000") is True
    with pytest.raises(PermissionDenied):
        reassign_province(hunan, foreign, "430000")
    with pytest.raises(PermissionDenied):
        reassign_province(ApplicantFactory(organisation=foreign), foreign, "430000")
    foreign.refresh_from_db()
    assert foreign.province == "110000"


def test_reassign_province_unknown_province():
    with pytest.raises(ValidationError):
        reassign_province(ministry(), OrganisationFactory(), "999999")


def test_set_central_unit_only_nrta_ministry_or_superuser():
    org = OrganisationFactory()

    with pytest.raises(PermissionDenied):
        set_central_unit(ministry(Authority.MCT), org, True)
    assert set_central_unit(ministry(Authority.NRTA), org, True) is True

    assert Organisation.objects.get(pk=org.pk).is_central is True
    assert AuditEvent.objects.get(action="organisation.central_changed").detail == {
        "organisation": org.pk,
        "is_central": True,
    }


@pytest.mark.django_db
def test_staff_department_is_the_official_name_of_the_authority():
    from tests.factories import StaffFactory

    hunan_mct = StaffFactory(profile__authority="mct", profile__level="province", profile__province="430000")
    xpcc_nrta = StaffFactory(profile__authority="nrta", profile__level="province", profile__province="660000")
    ministry = StaffFactory(profile__authority="nrta", profile__level="ministry")
    assert hunan_mct.staff_profile.department == "湖南省文化和旅游厅"
    assert xpcc_nrta.staff_profile.department == "新疆生产建设兵团文化体育广电和旅游局"
    assert ministry.staff_profile.department == "国家广播电视总局"
