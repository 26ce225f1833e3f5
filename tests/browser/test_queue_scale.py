"""The reviewers' queue when its history is longer than the count's cap (issue 11), in headless Chromium:
the list says 超过 N 条 under the pages at 1280 px, at 390 px without sideways scrolling, and with
JavaScript off. (The cap is lowered for the test: the same page as at 1,000+ rows.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from filings.enums import FilingState
from tests.factories import StaffFactory
from tests.filings.factories import EnterpriseFactory, make_filing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUEUE = "/staff/filings/filing/"


def log_in(page, account: str, password: str = "Demo2026portal"):
    page.goto(page.url_for("/accounts/login/"))
    page.get_by_label("账号", exact=True).fill(account)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.fixture
def long_queue(monkeypatch):
    from filings.admin import FilingAdmin
    from review.staff.pagination import CappedPaginator

    unit = EnterpriseFactory(name="湖南长队列文化传媒有限公司", province="430000")
    for i in range(5):
        make_filing(organisation=unit, state=FilingState.SUBMITTED, name=f"湘江长夜第{i + 1}场")
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    monkeypatch.setattr(FilingAdmin, "list_per_page", 2)
    return StaffFactory(username="hn-queue", full_name="湖南审核员")


@pytest.mark.parametrize(
    "name, options",
    [
        ("queue-capped-1280", {}),
        ("queue-capped-390", {"viewport": {"width": 390, "height": 844}}),
        ("queue-capped-nojs", {"java_script_enabled": False}),
    ],
)
def test_a_long_queue_says_it_lists_the_newest_rows(new_page, shot, long_queue, name, options):
    page = new_page(**options)
    log_in(page, long_queue.username)
    page.goto(page.url_for(QUEUE))
    note = page.get_by_test_id("count-capped")
    expect(note).to_be_visible()
    expect(note).to_contain_text("超过 3 条")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    assert page.locator(".paginator a").count() >= 1  # the second page is reachable
    if options.get("viewport", {}).get("width") == 390:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, name)
