"""The rules 提交 checks (SPEC §B2), one by one."""

from datetime import date

import pytest

from filings.enums import FilingKind, MaterialItem, ReplayType
from filings.models import FilingVersion, Partner, Performer, Session
from filings.services.validation import problems

from .factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _problems(filing):
    version = FilingVersion.objects.get(pk=filing.application_version_id)
    return [(p.section, p.field, p.message) for p in problems(version, filing.kind, filing.organisation_id)]


def _update(filing, **fields):
    FilingVersion.objects.filter(pk=filing.application_version_id).update(**fields)


def test_complete_application_has_no_problem(draft):
    assert _problems(draft) == []


def test_every_programme_field_is_required(draft):
    _update(
        draft,
        name="",
        safety_officer="",
        contact="",
        first_recorded=None,
        video_url="",
        replay=None,
        platform="",
        synopsis="",
    )
    assert _problems(draft) == [
        ("programme", "name", "此项为必填项。"),
        ("programme", "safety_officer", "此项为必填项。"),
        ("programme", "contact", "此项为必填项。"),
        ("programme", "first_recorded", "请选择是或否。"),
        ("programme", "video_url", "此项为必填项。"),
        ("programme", "replay", "请选择是或否。"),
        ("programme", "platform", "此项为必填项。"),
        ("programme", "synopsis", "此项为必填项。"),
    ]


def test_replay_yes_requires_type_and_address(draft):
    _update(draft, replay=True, replay_type="", replay_url="")
    assert _problems(draft) == [
        ("programme", "replay_type", "提供回看时请选择回看期限类型。"),
        ("programme", "replay_url", "提供回看时请填写回看地址。"),
    ]


def test_replay_no_requires_nothing_more(draft):
    _update(draft, replay=False, replay_type="", replay_url="", replay_from=None, replay_to=None)
    assert _problems(draft) == []


def test_period_requires_both_dates(draft):
    _update(draft, replay=True, replay_type=ReplayType.PERIOD, replay_from=None, replay_to=None)
    assert _problems(draft) == [
        ("programme", "replay_from", "回看期限为时间段时，请填写开始日期。"),
        ("programme", "replay_to", "回看期限为时间段时，请填写结束日期。"),
    ]


def test_permanent_replay_needs_no_dates(draft):
    _update(draft, replay=True, replay_type=ReplayType.PERMANENT, replay_from=None, replay_to=None)
    assert _problems(draft) == []


def test_period_end_must_be_after_start_in_database():
    from django.db import IntegrityError, transaction

    from .factories import make_filing

    filing = make_filing()
    with pytest.raises(IntegrityError), transaction.atomic():
        _update(filing, replay_from=date(2026, 5, 1), replay_to=date(2026, 5, 1))


def test_synopsis_longer_than_2000_characters_is_refused(draft):
    _update(draft, synopsis="演" * 2001)
    assert _problems(draft) == [("programme", "synopsis", "演出内容简介不能超过2000字。")]


def test_synopsis_of_exactly_2000_characters_is_accepted(draft):
    _update(draft, synopsis="演" * 2000)
    assert _problems(draft) == []


def test_at_least_one_performer_and_one_session(draft):
    Performer.objects.filter(version_id=draft.application_version_id).delete()
    Session.objects.filter(version_id=draft.application_version_id).delete()
    assert _problems(draft) == [
        ("performers", "", "请至少添加一个演员/团体。"),
        ("sessions", "", "请至少添加一个场次。"),
    ]


def test_joint_broadcast_must_be_answered(draft):
    _update(draft, joint_broadcast=None)
    assert _problems(draft) == [("partners", "joint_broadcast", "请选择是或否。")]


def test_joint_broadcast_yes_requires_a_partner(draft):
    _update(draft, joint_broadcast=True)
    assert _problems(draft) == [("partners", "", "联合播出时请至少添加一家联合播出企业。")]


def test_partner_must_choose_a_session(draft):
    _update(draft, joint_broadcast=True)
    PartnerFactory(version_id=draft.application_version_id, company="联合公司")
    assert _problems(draft) == [("partners", "", "联合播出企业“联合公司”未选择演出场次。")]


def test_partner_with_session_is_complete(draft):
    _update(draft, joint_broadcast=True)
    partner = PartnerFactory(version_id=draft.application_version_id)
    partner.sessions.set(Session.objects.filter(version_id=draft.application_version_id))
    assert _problems(draft) == []
    assert Partner.objects.count() == 1


def test_required_materials_default_to_self_review_and_copyright(draft):
    from filings.models import Material

    Material.objects.filter(version_id=draft.application_version_id).delete()
    assert _problems(draft) == [
        ("materials", "copyright", "请上传此项材料。"),
        ("materials", "self_review", "请上传此项材料。"),
    ]


def test_required_materials_come_from_the_setting(draft, settings):
    settings.FILINGS_REQUIRED_MATERIALS = [MaterialItem.PROGRAMME_LIST]
    assert _problems(draft) == [("materials", "programme_list", "请上传此项材料。")]


def test_pledge_is_required(draft):
    _update(draft, pledged=False)
    assert _problems(draft) == [("pledge", "pledged", "请阅读承诺书并勾选“确认以上承诺”。")]


def test_basic_people_must_be_members_of_the_unit(draft, other_member):
    _update(draft, filler=other_member, manager=None, email="")
    assert _problems(draft) == [
        ("basic", "filler", "所选人员已不是本单位成员，请重新选择。"),
        ("basic", "manager", "请选择本单位的成员。"),
        ("basic", "email", "此项为必填项。"),
    ]


def test_import_basic_labels_follow_its_screen(import_draft):
    _update(import_draft, filler=None, email="")
    version = FilingVersion.objects.get(pk=import_draft.application_version_id)
    found = problems(version, FilingKind.IMPORT, import_draft.organisation_id)
    assert [(p.label, p.anchor) for p in found] == [("申请人", "id_basic-filler"), ("电子邮箱", "id_basic-email")]
