"""The life of an application (SPEC §B3): transitions, reference numbers, side effects, reviewers."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from filings.certificates import certificate, public_details
from filings.enums import FilingKind, FilingState
from filings.models import Filing
from filings.services import editing, lifecycle
from filings.services.actions import may_edit
from filings.services.errors import FilingError, Incomplete, NotEditable
from review.engine import NotPermitted, TransitionNotAllowed, available_transitions, perform
from review.models import OutboxEvent, ReviewRecord

from .factories import EnterpriseFactory, applicant, make_filing, official

pytestmark = pytest.mark.django_db


def records(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(
        ReviewRecord.objects.filter(content_type=ct, object_id=obj.pk).values_list(
            "transition", "from_state", "to_state"
        )
    )


def test_submit_assigns_a_domestic_reference(draft, member):
    filing = lifecycle.submit(member, draft)
    assert filing.state == FilingState.SUBMITTED
    assert re.fullmatch(r"WY-湘-\d{4}-000001", filing.reference)
    assert filing.submitted_at is not None
    assert filing.province == "430000"


def test_import_reference_has_its_own_prefix_and_sequence(unit, member):
    make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    imported = make_filing(organisation=unit, by=member, kind=FilingKind.IMPORT, state=FilingState.SUBMITTED)
    assert re.fullmatch(r"JK-湘-\d{4}-000001", imported.reference)


def test_references_count_per_province_and_never_repeat(unit, member):
    beijing = EnterpriseFactory(province="110000")
    first = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    other = make_filing(organisation=beijing, state=FilingState.SUBMITTED)
    second = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    assert [first.reference[-6:], second.reference[-6:]] == ["000001", "000002"]
    assert other.reference.startswith("WY-京-") and other.reference.endswith("-000001")


def test_withdraw_and_resubmit_keeps_the_reference_and_history(member, draft, hunan_official):
    filing = lifecycle.submit(member, draft)
    reference = filing.reference
    filing = lifecycle.withdraw(member, filing)
    assert filing.state == FilingState.DRAFT
    filing = lifecycle.submit(member, filing)
    assert filing.reference == reference
    assert records(filing) == [
        ("submit", "draft", "submitted"),
        ("withdraw", "submitted", "draft"),
        ("submit", "draft", "submitted"),
    ]


def test_withdraw_while_reviewing_is_refused(member, unit):
    filing = make_filing(organisation=unit, by=member, state=FilingState.REVIEWING)
    with pytest.raises(FilingError) as info:
        lifecycle.withdraw(member, filing)
    assert info.value.message == "审批中的数据不可撤回"
    assert Filing.objects.get(pk=filing.pk).state == FilingState.REVIEWING


def test_perform_withdraw_while_reviewing_gives_the_seed_message(member, unit):
    filing = make_filing(organisation=unit, by=member, state=FilingState.REVIEWING)
    with pytest.raises(TransitionNotAllowed) as info:
        perform(filing, "withdraw", actor=member)
    assert info.value.message == "审批中的数据不可撤回"


def test_approving_a_draft_is_refused(draft, hunan_official):
    with pytest.raises(TransitionNotAllowed):
        perform(draft, "approve", actor=hunan_official)
    assert Filing.objects.get(pk=draft.pk).state == FilingState.DRAFT


def test_applicant_cannot_accept(member, unit, hunan_official):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    with pytest.raises(NotPermitted):
        perform(filing, "accept", actor=member)
    assert perform(filing, "accept", actor=hunan_official).state == FilingState.REVIEWING


def test_reject_and_return_need_a_comment(member, unit, hunan_official):
    filing = make_filing(organisation=unit, by=member, state=FilingState.REVIEWING)
    for name in ("reject", "return"):
        with pytest.raises(Exception) as info:
            perform(filing, name, actor=hunan_official, comment="  ")
        assert "请填写意见" in str(info.value)


def test_returned_application_is_editable_and_resubmitted(member, unit):
    filing = make_filing(organisation=unit, by=member, state=FilingState.RETURNED)
    assert may_edit(filing)
    editing.save_pledge(member, filing, True)  # given again after the return
    filing = lifecycle.submit(member, Filing.objects.get(pk=filing.pk))
    assert filing.state == FilingState.SUBMITTED
    assert [r[0] for r in records(filing)] == ["submit", "accept", "return", "submit"]


def test_submitted_application_cannot_be_submitted_again(member, unit):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    with pytest.raises(NotEditable) as info:
        lifecycle.submit(member, filing)
    assert info.value.message == "提交后不能修改。"


def test_incomplete_application_is_not_submitted(member, empty_draft):
    with pytest.raises(Incomplete) as info:
        lifecycle.submit(member, empty_draft)
    assert [p.message for p in info.value.problems] == [
        "请至少添加一个演员/团体。",
        "请至少添加一个场次。",
        "请上传此项材料。",
        "请上传此项材料。",
    ]
    assert Filing.objects.get(pk=empty_draft.pk).state == FilingState.DRAFT
    assert Filing.objects.get(pk=empty_draft.pk).reference == ""


def test_blocked_unit_cannot_submit(member, draft):
    unit = member.organisation
    unit.activated_at = None
    unit.save()
    with pytest.raises(FilingError) as info:
        lifecycle.submit(member, draft)
    assert info.value.message == "本单位未激活资质，不能新增备案。请先在首页点击“激活资质”。"


def test_domestic_filing_is_reviewed_by_its_province(unit, member, hunan_official, beijing_official, ministry_staff):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    assert [t.name for t in available_transitions(hunan_official, filing)] == ["accept"]
    assert available_transitions(beijing_official, filing) == []
    assert [t.name for t in available_transitions(ministry_staff, filing)] == ["accept"]
    with pytest.raises(NotPermitted):
        perform(filing, "accept", actor=beijing_official)


def test_import_review_by_ministry_when_set(settings, unit, member, hunan_official, ministry_staff):
    settings.FILINGS_IMPORT_REVIEWER = "ministry"
    filing = make_filing(organisation=unit, by=member, kind=FilingKind.IMPORT, state=FilingState.SUBMITTED)
    assert available_transitions(hunan_official, filing) == []
    assert [t.name for t in available_transitions(ministry_staff, filing)] == ["accept"]
    from review.engine import get_kind

    assert list(get_kind("filing.import").reviewer_queryset(hunan_official)) == []
    assert list(get_kind("filing.import").reviewer_queryset(ministry_staff)) == [filing]


def test_import_review_by_province_by_default(unit, member, hunan_official):
    filing = make_filing(organisation=unit, by=member, kind=FilingKind.IMPORT, state=FilingState.SUBMITTED)
    assert [t.name for t in available_transitions(hunan_official, filing)] == ["accept"]


def test_reviewer_queue_never_shows_drafts(unit, member, hunan_official):
    from review.engine import get_kind

    make_filing(organisation=unit, by=member)
    submitted = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    assert list(get_kind("filing.domestic").reviewer_queryset(hunan_official)) == [submitted]


def test_side_effects_of_each_step(unit, member, hunan_official):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    submitted = OutboxEvent.objects.get()
    assert submitted.topic == "notify"
    assert submitted.payload["reviewers"] == {"authority": "mct", "province": "430000"}
    assert submitted.payload["title"] == "新的国产网络演出剧(节)目备案待受理"
    assert submitted.payload["link"] == f"/staff/filings/filing/{filing.public_id}/change/"
    OutboxEvent.objects.all().delete()
    filing = perform(filing, "accept", actor=hunan_official)
    filing = perform(filing, "approve", actor=hunan_official)
    events = list(OutboxEvent.objects.order_by("pk").values_list("topic", "payload"))
    assert [topic for topic, _p in events] == ["notify", "notify", "certificate.issue"]
    assert events[0][1]["organisation_id"] == unit.pk
    assert events[1][1]["title"] == "国产网络演出剧(节)目备案审核通过"
    assert events[2][1] == {"kind": "filing.domestic", "id": filing.pk}


def test_return_notice_carries_the_comment(unit, member, hunan_official):
    filing = make_filing(organisation=unit, by=member, state=FilingState.REVIEWING)
    OutboxEvent.objects.all().delete()
    perform(filing, "return", actor=hunan_official, comment="请补充版权证明")
    event = OutboxEvent.objects.get()
    assert event.payload["body"].endswith("退回修改。意见：请补充版权证明")


def test_approval_sets_current_version_and_decision_time(approved):
    assert approved.current_version_id == approved.application_version_id
    assert approved.decided_at is not None
    assert approved.state_label == "已通过"


def test_certificate_spec(approved):
    spec = certificate(approved)
    year = approved.decided_at.astimezone().year
    assert spec.format_number(123) == f"网演备〔{year}〕湘字第000123号"
    assert spec.issuing_department == "湖南省文化和旅游厅"
    assert spec.sequence_key == f"cert:网演备:{year}:430000"
    assert spec.reference == approved.reference
    assert spec.title == approved.current_version.name


def test_import_certificate_by_ministry_names_the_ministry(settings, unit, member):
    settings.FILINGS_IMPORT_REVIEWER = "ministry"
    from .factories import ministry

    staff = ministry()
    filing = make_filing(organisation=unit, by=member, kind=FilingKind.IMPORT, state=FilingState.SUBMITTED)
    filing = perform(filing, "accept", actor=staff)
    filing = perform(filing, "approve", actor=staff)
    spec = certificate(Filing.objects.get(pk=filing.pk))
    assert spec.issuing_department == "文化和旅游部"
    assert spec.format_number(45).endswith("湘字第000045号") and spec.format_number(45).startswith("网演审〔")


def test_public_details_mask_personal_data(approved):
    rows = dict(public_details(approved))
    assert "状态" not in rows  # the verify page shows the certificate's status, not the programme's state
    assert rows["内容安全负责人"] == "李**"
    assert rows["演出联系人(申报单位)"] == "王**"
    assert rows["电子邮件"] == "f***@example.cn"
    assert rows["单位名称"] == approved.organisation.name
    assert rows["播出平台"] == "示例视频平台"
    assert rows["场次信息"] == "第一场 直播 2026-03-01 20:00 https://live.example.cn/1"


def test_other_unit_member_cannot_withdraw(unit, member, other_member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    with pytest.raises(FilingError):
        lifecycle.withdraw(other_member, filing)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED


def test_second_member_of_the_unit_may_withdraw(unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    colleague = applicant(unit)
    assert lifecycle.withdraw(colleague, filing).state == FilingState.DRAFT


def test_official_is_never_treated_as_applicant(unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    staff = official("430000")
    with pytest.raises(FilingError):
        lifecycle.withdraw(staff, filing)
    assert lifecycle.withdraw(member, filing).state == FilingState.DRAFT  # the unit's member withdraws it


def test_factory_traits_reach_each_state_through_the_workflow():
    from .factories import FilingFactory

    assert FilingFactory().state == FilingState.DRAFT
    assert FilingFactory(submitted=True).state == FilingState.SUBMITTED
    approved = FilingFactory(approved=True, kind=FilingKind.IMPORT)
    assert (approved.state, approved.reference[:5]) == (FilingState.APPROVED, "JK-湘-")
    assert [r[0] for r in records(approved)] == ["submit", "accept", "approve"]


def test_returned_application_asks_for_the_pledge_again(member, unit, hunan_official):
    filing = make_filing(organisation=unit, by=member, state=FilingState.REVIEWING)
    assert filing.application_version.pledged is True

    perform(filing, "return", actor=hunan_official, comment="请补充自审报告")

    version = Filing.objects.get(pk=filing.pk).application_version
    assert (version.pledged, version.pledged_at) == (False, None)
    with pytest.raises(Incomplete) as info:
        lifecycle.submit(member, Filing.objects.get(pk=filing.pk))
    assert [p.message for p in info.value.problems] == ["请阅读承诺书并勾选“确认以上承诺”。"]
