"""作废 (issue 12): an application or change with a reference is never deleted; it is 作废 with a record
(who, when, why), kept, shown as 已作废 in 受理状态 and read-only. 删除 is for drafts never submitted."""

import re

import pytest
from django.urls import reverse

from filings.enums import FilingState
from filings.models import ChangeRequest, Filing
from filings.services import lifecycle
from filings.services.actions import applicant_actions
from filings.services.errors import FilingError
from review.engine import perform
from review.models import ReviewRecord

from .factories import make_change, make_filing

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def withdrawn(unit, member) -> Filing:
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    return perform(filing, "withdraw", actor=member)


def test_a_withdrawn_numbered_application_offers_void_not_delete(member_client, unit, member):
    filing = withdrawn(unit, member)
    assert filing.state == FilingState.DRAFT and filing.reference.startswith("WY-湘-")
    actions = applicant_actions(member, filing)
    assert (actions.delete, actions.void, actions.edit) == (False, True, True)

    body = text(member_client.get(reverse("filings:status")))
    row = re.search(rf"<tr data-testid=\"status-row\">.*?{re.escape(filing.reference)}.*?</tr>", body).group(0)
    assert ">作废<" in row and ">删除<" not in row
    assert reverse("filings:void", args=[filing.public_id]) in row
    assert reverse("filings:delete", args=[filing.public_id]) not in row

    # a draft never submitted: 删除, no 作废
    fresh = make_filing(organisation=unit, by=member)
    actions = applicant_actions(member, fresh)
    assert (actions.delete, actions.void) == (True, False)


def test_deleting_a_numbered_application_is_refused_and_it_is_kept(member_client, unit, member):
    filing = withdrawn(unit, member)
    with pytest.raises(FilingError) as caught:
        lifecycle.delete_draft(member, filing)
    assert caught.value.message == "已有受理编号的申请不能删除，可以作废（保留记录）。"
    response = member_client.post(reverse("filings:delete", args=[filing.public_id]), follow=True)
    assert "该申请当前不能删除。" in text(response)
    assert Filing.objects.filter(pk=filing.pk, reference=filing.reference).exists()


def test_void_keeps_the_record_with_who_when_and_why_and_shows_it(member_client, unit, member):
    filing = withdrawn(unit, member)
    url = reverse("filings:void", args=[filing.public_id])
    page = text(member_client.get(url))
    assert "作废后该申请保留受理编号和全部记录" in page and filing.reference in page
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT  # GET only asks

    response = member_client.post(url, {"reason": "演出计划取消"}, follow=True)
    assert "已作废，申请记录已保留。" in text(response)
    voided = Filing.objects.get(pk=filing.pk)
    assert (voided.state, voided.reference) == (FilingState.VOIDED, filing.reference)
    record = ReviewRecord.objects.filter(object_id=filing.pk, transition="void").get()
    assert (record.actor_id, record.comment, record.to_state) == (member.pk, "演出计划取消", "voided")
    assert record.at is not None

    status = text(member_client.get(reverse("filings:status") + "?state=voided"))
    assert '<option value="voided" selected>已作废</option>' in status
    row = re.search(rf"<tr data-testid=\"status-row\">.*?{re.escape(filing.reference)}.*?</tr>", status).group(0)
    assert ">已作废</span>" in row
    assert ">修改<" not in row and ">删除<" not in row and ">作废<" not in row and ">撤回<" not in row

    detail = text(member_client.get(reverse("filings:detail", args=[filing.public_id])))
    assert 'data-testid="state">已作废</span>' in detail
    assert "<td>已作废</td>" in detail and "演出计划取消" in detail and member.get_full_name() in detail
    assert "该申请已作废，记录和受理编号保留，不能修改或提交。" in detail

    # not editable, not submittable, not voidable twice
    edit = member_client.get(reverse("filings:edit", args=[filing.public_id]), follow=True)
    assert "提交后不能修改。" in text(edit)
    with pytest.raises(FilingError):
        lifecycle.submit(member, voided)
    with pytest.raises(FilingError):
        lifecycle.void(member, voided, "再次")


def test_void_without_a_reason_keeps_the_page_with_the_message_beside_the_field_and_on_top(member_client, unit, member):
    filing = withdrawn(unit, member)
    url = reverse("filings:void", args=[filing.public_id])
    response = member_client.post(url, {"reason": "   "})
    body = text(response)
    assert response.status_code == 200
    assert 'id="error-summary"' in body
    assert body.count("请填写作废原因。") == 2  # at the top and beside the field
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT


def test_only_the_units_member_may_void(client, unit, member, other_member, hunan_official):
    filing = withdrawn(unit, member)
    url = reverse("filings:void", args=[filing.public_id])
    for outsider in (other_member, hunan_official):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "不是我的"}).status_code == 404
        with pytest.raises(FilingError):
            lifecycle.void(outsider, filing, "不是我的")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT
    client.force_login(member)
    assert client.post(url, {"reason": "放弃办理"}).status_code == 302
    assert Filing.objects.get(pk=filing.pk).state == FilingState.VOIDED


def test_a_returned_application_may_be_voided_and_a_reviewing_one_not(member_client, unit, member):
    returned = make_filing(organisation=unit, by=member, state=FilingState.RETURNED)
    reviewing = make_filing(organisation=unit, by=member, state=FilingState.REVIEWING)
    assert lifecycle.void(member, returned, "不再补正").state == FilingState.VOIDED
    response = member_client.post(reverse("filings:void", args=[reviewing.public_id]), {"reason": "x"}, follow=True)
    assert "该申请当前不能作废。" in text(response)
    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.REVIEWING


def test_a_draft_never_submitted_cannot_be_voided_only_deleted(unit, member):
    fresh = make_filing(organisation=unit, by=member)
    with pytest.raises(FilingError) as caught:
        lifecycle.void(member, fresh, "x")
    assert caught.value.message == "未提交过的草稿没有受理编号，请直接删除。"
    lifecycle.delete_draft(member, fresh)
    assert not Filing.objects.filter(pk=fresh.pk).exists()


def test_a_withdrawn_change_is_voided_and_frees_the_programme_for_a_new_change(unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    change = perform(make_change(filing, by=member, state=FilingState.SUBMITTED), "withdraw", actor=member)
    assert applicant_actions(member, change).void and not applicant_actions(member, change).delete
    with pytest.raises(FilingError):
        lifecycle.delete_draft(member, change)
    voided = lifecycle.void(member, change, "改为重新变更")
    assert (voided.state, voided.reference) == (FilingState.VOIDED, f"{filing.reference}-BG01")
    again = make_change(filing, by=member, state=FilingState.SUBMITTED)
    assert again.reference == f"{filing.reference}-BG02"
    assert ChangeRequest.objects.filter(filing=filing).count() == 2


@pytest.mark.parametrize("extra", [0, 5])  # 3 and 18 rows, one page
def test_status_with_voided_rows_and_change_references_has_constant_queries(member_client, unit, member, extra):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(1 + extra):
        lifecycle.void(member, withdrawn(unit, member), "放弃")
        approved = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
        make_change(approved, by=member, state=FilingState.SUBMITTED)
    member_client.get(reverse("filings:status"))
    with CaptureQueriesContext(connection) as counted:
        body = text(member_client.get(reverse("filings:status")))
    assert body.count(">已作废</span>") == 1 + extra
    assert len(re.findall(r"WY-湘-\d{4}-\d{6}-BG01", body)) == 1 + extra
    assert len(counted) == STATUS_QUERIES, [q["sql"][:80] for q in counted]


STATUS_QUERIES = 6  # user, unit, the page's keys and count, its filings, its changes, deadline warnings
