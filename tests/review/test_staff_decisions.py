"""Decisions on /staff/ (issue 12, officials): confirmed first (no JavaScript), errors at the top and at the
field, the reviewer kept at the decision form (#review-act), the typed comment kept throughout."""

import re

import pytest
from django.urls import reverse

from filings.enums import FilingState
from filings.models import Filing
from review.models import Certificate, ReviewRecord
from tests.filings.factories import EnterpriseFactory, make_filing, official

pytestmark = pytest.mark.django_db


def detail_url(filing):
    return reverse("staff:filings_filing_change", args=[filing.public_id])


def page_form(**fields):
    """What the detail page's own form posts (its hidden review_step asks for the confirmation)."""
    return {"review_step": "confirm", "comment": "", **fields}


@pytest.fixture
def hunan(db):
    return official("430000", full_name="湖南审核员")


@pytest.fixture
def reviewing(db):
    unit = EnterpriseFactory(name="湖南示例文化传媒有限公司")
    return make_filing(organisation=unit, state=FilingState.REVIEWING, name="湘江音乐会")


def test_the_page_form_posts_to_the_decision_anchor_and_asks_for_confirmation(client, hunan, reviewing):
    client.force_login(hunan)
    body = client.get(detail_url(reviewing)).content.decode()

    form = body.split('id="review-act"')[1]
    assert '<form method="post" action="#review-act" novalidate>' in form
    assert '<input type="hidden" name="review_step" value="confirm">' in form


def test_approve_is_confirmed_before_the_certificate_is_issued(client, hunan, reviewing):
    client.force_login(hunan)

    asked = client.post(detail_url(reviewing), page_form(transition="approve", comment="材料齐全，同意备案"))

    assert asked.status_code == 200
    body = asked.content.decode()
    assert 'data-testid="review-confirm"' in body
    assert "请确认：通过" in body
    assert "通过后将签发电子证照" in body
    assert '<dd data-testid="confirm-comment">材料齐全，同意备案</dd>' in body
    assert re.search(r'<button type="submit" name="transition" value="approve" autofocus[^>]*>确认通过</button>', body)
    assert '<input type="hidden" name="comment" value="材料齐全，同意备案">' in body
    assert '<input type="hidden" name="review_step" value="perform">' in body
    # nothing happened yet
    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.REVIEWING
    assert not ReviewRecord.objects.filter(transition="approve").exists()
    assert not Certificate.objects.exists()

    done = client.post(
        detail_url(reviewing),
        {"review_step": "perform", "transition": "approve", "comment": "材料齐全，同意备案"},
        follow=True,
    )

    assert done.redirect_chain == [(detail_url(reviewing), 302)]
    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.APPROVED
    record = ReviewRecord.objects.get(transition="approve")
    assert (record.actor, record.comment) == (hunan, "材料齐全，同意备案")
    # the outcome is shown where the reviewer is kept (the anchor survives the redirect)
    outcome = done.content.decode().split('data-testid="review-outcome"')[1].split("</ul>")[0]
    assert "已通过：" in outcome


def test_cancel_on_the_confirmation_returns_to_the_form_with_the_comment(client, hunan, reviewing):
    client.force_login(hunan)

    response = client.post(
        detail_url(reviewing), {"review_step": "perform", "cancel": "approve", "comment": "再看看演员名单"}
    )

    body = response.content.decode()
    assert 'data-testid="review-confirm"' not in body
    assert "再看看演员名单</textarea>" in body
    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.REVIEWING
    assert not ReviewRecord.objects.filter(transition="approve").exists()


@pytest.mark.parametrize(("transition", "label"), [("reject", "不通过"), ("return", "退回修改")])
def test_a_decision_without_comment_shows_errors_at_the_top_and_at_the_field(
    client, hunan, reviewing, transition, label
):
    client.force_login(hunan)

    response = client.post(detail_url(reviewing), page_form(transition=transition))

    assert response.status_code == 200
    body = response.content.decode()
    message = f"请填写意见（{label}时必须说明理由）。"
    # at the top of the page, linked to the field
    top = body.split('data-testid="review-errors"')[1].split("</div>")[0]
    assert f'<a href="#id_comment">审核意见：{message}</a>' in top
    assert body.index('data-testid="review-errors"') < body.index('id="review-application"')
    # beside the field, which gets the focus and is tied to its message
    assert f'<ul class="errorlist" id="comment-errors"><li>{message}</li></ul>' in body
    assert re.search(r'<textarea name="comment"[^>]*aria-invalid="true"[^>]*autofocus', body) or re.search(
        r'<textarea name="comment"[^>]*autofocus[^>]*aria-invalid="true"', body
    )
    # no confirmation for an invalid decision, nothing done
    assert 'data-testid="review-confirm"' not in body
    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.REVIEWING
    assert not ReviewRecord.objects.filter(transition=transition).exists()


def test_return_with_comment_is_confirmed_then_done(client, hunan, reviewing):
    client.force_login(hunan)

    asked = client.post(detail_url(reviewing), page_form(transition="return", comment="请补充演员名单"))
    assert "请确认：退回修改" in asked.content.decode()
    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.REVIEWING

    client.post(detail_url(reviewing), {"review_step": "perform", "transition": "return", "comment": "请补充演员名单"})

    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.RETURNED
    assert ReviewRecord.objects.get(transition="return").comment == "请补充演员名单"


def test_accept_needs_no_confirmation(client, hunan):
    filing = make_filing(organisation=EnterpriseFactory(), state=FilingState.SUBMITTED)
    client.force_login(hunan)

    client.post(detail_url(filing), page_form(transition="accept"))

    assert Filing.objects.get(pk=filing.pk).state == FilingState.REVIEWING


def test_a_confirmation_overtaken_by_another_reviewer_shows_the_message_not_a_500(client, hunan, reviewing):
    from review.engine import perform

    client.force_login(hunan)
    asked = client.post(detail_url(reviewing), page_form(transition="approve", comment="同意"))
    assert 'data-testid="review-confirm"' in asked.content.decode()
    perform(Filing.objects.get(pk=reviewing.pk), "reject", actor=official("430000"), comment="材料不全")

    response = client.post(
        detail_url(reviewing), {"review_step": "perform", "transition": "approve", "comment": "同意"}
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["该申请已被其他审核人员处理，请刷新后查看最新状态。"]
    assert 'data-testid="review-confirm"' not in response.content.decode()
    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.REJECTED


def test_another_province_cannot_reach_the_confirmation(client, reviewing):
    client.force_login(official("110000"))

    response = client.post(detail_url(reviewing), page_form(transition="approve", comment="同意"))

    assert response.status_code == 404
    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.REVIEWING
    client.force_login(official("430000"))  # the province's own official is asked to confirm
    asked = client.post(detail_url(reviewing), page_form(transition="approve", comment="同意"))
    assert asked.status_code == 200 and 'data-testid="review-confirm"' in asked.content.decode()


def test_the_bulk_decision_page_lists_its_errors_at_the_top(client, hunan, reviewing):
    client.force_login(hunan)
    data = {"action": "transition_reject", "_selected_action": [reviewing.pk], "post": "yes", "comment": ""}

    response = client.post(reverse("staff:filings_filing_changelist"), data)

    body = response.content.decode()
    top = body.split('data-testid="review-errors"')[1].split("</div>")[0]
    assert '<a href="#id_comment">审核意见：请填写意见（不通过时必须说明理由）。</a>' in top
    assert Filing.objects.get(pk=reviewing.pk).state == FilingState.REVIEWING
