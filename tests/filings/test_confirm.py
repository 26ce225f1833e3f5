"""撤回 / 删除 / 作废 / 提交 ask on a page of their own (issue 12): GET shows what will happen, POST does it —
the same with and without JavaScript (no dialog is the only confirmation)."""

import re

import pytest
from django.urls import reverse

from filings.enums import FilingState
from filings.models import ChangeRequest, Filing

from .factories import make_change, make_filing

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


CASES = [
    ("withdraw", FilingState.SUBMITTED, "确认撤回", "撤回后申请回到草稿状态", FilingState.DRAFT),
    ("delete", FilingState.DRAFT, "确认删除", "删除后该草稿及其上传的材料将被永久删除", None),
]


@pytest.mark.parametrize(("action", "state", "button", "consequence", "after"), CASES)
def test_get_asks_and_post_acts_for_an_application(
    member_client, client, unit, member, other_member, action, state, button, consequence, after
):
    filing = make_filing(organisation=unit, by=member, state=state)
    url = reverse(f"filings:{action}", args=[filing.public_id])

    page = member_client.get(url)
    body = text(page)
    assert page.status_code == 200
    assert button in body and consequence in body
    assert '<form method="post" novalidate>' in body and "data-confirm" not in body
    assert Filing.objects.get(pk=filing.pk).state == state  # nothing happened yet

    client.force_login(other_member)  # the wrong user: not even the question
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Filing.objects.get(pk=filing.pk).state == state

    client.force_login(member)
    response = client.post(url)
    assert response.status_code == 302
    if after is None:
        assert not Filing.objects.filter(pk=filing.pk).exists()
    else:
        assert Filing.objects.get(pk=filing.pk).state == after


@pytest.mark.parametrize(("action", "state", "button", "consequence", "after"), CASES)
def test_get_asks_and_post_acts_for_a_change(member_client, unit, member, action, state, button, consequence, after):
    filing = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    change = make_change(filing, by=member, state=state)
    url = reverse(f"filings:change_{action}", args=[change.public_id])
    body = text(member_client.get(url))
    assert button in body and consequence in body and "网络演出剧(节)目变更" in body
    assert ChangeRequest.objects.get(pk=change.pk).state == state
    member_client.post(url)
    if after is None:
        assert not ChangeRequest.objects.filter(pk=change.pk).exists()
    else:
        assert ChangeRequest.objects.get(pk=change.pk).state == after


def test_status_and_detail_link_to_the_confirmation_pages_without_script_dialogs(member_client, unit, member):
    submitted = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    draft = make_filing(organisation=unit, by=member)
    status = member_client.get(reverse("filings:status")).content.decode()
    assert f'<a href="{reverse("filings:withdraw", args=[submitted.public_id])}">撤回</a>' in status
    assert f'href="{reverse("filings:delete", args=[draft.public_id])}" class="link-danger">删除</a>' in status
    assert "data-confirm" not in status
    detail = member_client.get(reverse("filings:detail", args=[submitted.public_id])).content.decode()
    withdraw = reverse("filings:withdraw", args=[submitted.public_id])
    assert f'href="{withdraw}?next=' in detail and "data-confirm" not in detail


def test_the_confirmation_page_returns_to_where_it_was_opened(member_client, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    detail = reverse("filings:detail", args=[filing.public_id])
    url = reverse("filings:withdraw", args=[filing.public_id]) + f"?next={detail}"
    body = text(member_client.get(url))
    assert f'<input type="hidden" name="next" value="{detail}">' in body
    assert f'href="{detail}">返回</a>' in body
    evil = text(member_client.get(reverse("filings:withdraw", args=[filing.public_id]) + "?next=//evil.example/"))
    assert '<input type="hidden" name="next" value="/filings/status/">' in evil
    assert 'href="//evil.example/"' not in evil


def test_submit_asks_on_the_check_page_and_only_post_submits(member_client, draft):
    url = reverse("filings:check", args=[draft.public_id])
    body = text(member_client.get(url))
    assert "确认提交" in body and "提交后不能修改" in body and "data-confirm" not in body
    assert Filing.objects.get(pk=draft.pk).state == FilingState.DRAFT
    member_client.post(url)
    assert Filing.objects.get(pk=draft.pk).state == FilingState.SUBMITTED
