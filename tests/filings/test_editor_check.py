"""核对信息 → 确认提交: the whole application with links back to each section, then the one submit service."""

import pytest
from django.urls import reverse

from filings.enums import FilingState
from filings.models import Filing

pytestmark = pytest.mark.django_db


def test_check_button_saves_then_shows_every_section_with_links_back(member_client, draft):
    edit = reverse("filings:edit", args=[draft.public_id])
    check = reverse("filings:check", args=[draft.public_id])
    response = member_client.post(edit, {"sections": "programme", "action": "check"} | _programme("核对音乐会"))
    assert (response.status_code, response["Location"]) == (302, check)
    page = member_client.get(check).content.decode()
    assert "核对音乐会" in page and "示例乐团" in page and "第一场" in page
    for section in ("basic", "programme", "performers", "sessions", "partners", "materials", "pledge"):
        assert f'href="{edit}#section-{section}" aria-describedby="h-{section}">修改</a>' in page
    assert "确认提交</button>" in page and "error-summary" not in page
    assert Filing.objects.get(pk=draft.pk).state == FilingState.DRAFT  # nothing submitted by looking


def test_confirm_submits_and_goes_to_status(member_client, draft):
    check = reverse("filings:check", args=[draft.public_id])
    response = member_client.post(check, follow=True)
    filing = Filing.objects.get(pk=draft.pk)
    assert filing.state == FilingState.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("filings:status")
    assert f"提交成功，受理编号 {filing.reference}" in response.content.decode()


def test_check_of_an_incomplete_application_lists_problems_and_offers_no_submit(member_client, empty_draft):
    check = reverse("filings:check", args=[empty_draft.public_id])
    edit = reverse("filings:edit", args=[empty_draft.public_id])
    page = member_client.get(check).content.decode()
    assert "申请信息不完整，请修改以下问题后再提交。" in page
    assert f'href="{edit}#section-performers"' in page
    assert "确认提交</button>" not in page
    response = member_client.post(check)  # a forced post shows the problems, submits nothing
    assert response.status_code == 200
    assert "申请信息不完整" in response.content.decode()
    assert Filing.objects.get(pk=empty_draft.pk).state == FilingState.DRAFT


def test_check_page_is_the_units_own(client, member, other_member, draft):
    check = reverse("filings:check", args=[draft.public_id])
    client.force_login(member)
    assert "确认提交</button>" in client.get(check).content.decode()
    client.force_login(other_member)
    assert client.get(check).status_code == 404
    assert client.post(check).status_code == 404
    assert Filing.objects.get(pk=draft.pk).state == FilingState.DRAFT


def test_submitted_application_has_no_check_page(member_client, unit, member):
    from tests.filings.factories import make_filing

    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    response = member_client.get(reverse("filings:check", args=[filing.public_id]))
    assert response["Location"] == reverse("filings:detail", args=[filing.public_id])


def _programme(name):
    return {
        "programme-name": name,
        "programme-safety_officer": "李安全",
        "programme-contact": "王联系",
        "programme-first_recorded": "False",
        "programme-video_url": "https://video.example.cn/1.mp4",
        "programme-replay": "False",
        "programme-platform": "示例平台",
        "programme-synopsis": "简介",
    }
