"""统计分析 in headless Chromium: the page draws each chart (a canvas or svg inside its container after load)
from the ECharts served at /static/ (no other origin is asked for anything), beside the same figures as a
table; screenshots at 1280 and 390 px (no sideways scrolling) go to $PORTAL_SCREENSHOTS."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts.enums import Authority, StaffLevel
from portal import volume
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)
MCT = "/supervision/statistics/mct/"
ECHARTS = "/static/vendor/echarts/echarts.min.js"
CHARTED = ("type_state", "province", "month")  # tables with rows in the generated data (and a chart type)


def log_in(page, account: str, password: str = "Demo2026portal"):
    page.goto(page.url_for("/accounts/login/"))
    page.get_by_label("账号", exact=True).fill(account)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _watch(page) -> tuple[list[str], list[str]]:
    """Every URL the page asks for, and the page's uncaught script errors."""
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return requests, errors


def _assert_drawn(page, requests: list[str], errors: list[str]) -> None:
    for key in CHARTED:
        box = page.locator(f'[data-chart="{key}"]')
        expect(box.locator("canvas, svg").first).to_be_attached()
        expect(box).to_be_visible()
        size = box.bounding_box()
        assert size is not None and size["width"] > 100 and size["height"] > 100, key
        expect(page.get_by_test_id(f"table-{key}").locator("tbody tr").first).to_be_visible()
    assert page.evaluate("typeof window.echarts") == "object"
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.base_url))
    loaded = [u for u in requests if urlsplit(u).path.endswith("echarts.min.js")]
    assert loaded == [origin + ECHARTS]  # vendored, from our /static/, once
    foreign = [u for u in requests if not u.startswith(("data:", "blob:")) and not u.startswith(origin + "/")]
    assert foreign == []
    assert errors == []


def test_statistics_page_draws_its_charts_from_static(new_page, shot):
    volume.generate(filings=120, nominations=30, units=12, seed=9, say=lambda *_: None)
    StaffFactory(
        username="stats-ministry",
        full_name="文旅部工作人员",
        profile__authority=Authority.MCT,
        profile__level=StaffLevel.MINISTRY,
        profile__province="",
    )

    page = new_page()
    log_in(page, "stats-ministry")
    requests, errors = _watch(page)
    page.goto(page.url_for(MCT))
    expect(page.get_by_test_id("stats-scope")).to_contain_text("全国")
    _assert_drawn(page, requests, errors)
    shot(page, "statistics-mct-1280")

    phone = new_page(viewport={"width": 390, "height": 844})
    log_in(phone, "stats-ministry")
    requests, errors = _watch(phone)
    phone.goto(phone.url_for(MCT))
    _assert_drawn(phone, requests, errors)
    assert phone.evaluate("document.documentElement.scrollWidth") == 390
    shot(phone, "statistics-mct-390")
