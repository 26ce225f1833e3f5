"""The programme's header and footer in Chromium: desktop, a 390 px phone, and without JavaScript (issue 12).

``PORTAL_SCREENSHOTS=/tmp/shots-brand`` keeps the PNGs.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.awards.factories import InstitutionFactory
from tests.awards.factories import applicant as nrta_applicant
from tests.browser.conftest import browser, new_page, screenshot_dir, shot  # noqa: F401 (the browser fixtures)
from tests.filings.factories import EnterpriseFactory, applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def signed_in(new_page, user, **options):  # noqa: F811
    page = new_page(**options)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": page.base_url}])
    return page


def brand_of(page) -> dict:
    return page.evaluate(
        """() => ({
            brand: document.querySelector('header.portal-header').dataset.brand,
            authority: document.querySelector('[data-testid=brand-authority]').innerText.trim(),
            system: document.querySelector('[data-testid=brand-system]').innerText.trim(),
            copyright: document.querySelector('[data-testid=footer-copyright]').innerText.trim(),
            sideways: document.documentElement.scrollWidth - window.innerWidth,
            headerHeight: document.querySelector('header.portal-header').getBoundingClientRect().height,
        })"""
    )


@pytest.fixture
def people():
    return {
        "mct": applicant(EnterpriseFactory(name="湖南品牌测试演艺公司")),
        "nrta": nrta_applicant(InstitutionFactory()),
    }


CASES = [
    ("mct-apply", "mct", lambda: reverse("filings:apply"), "mct", "中华人民共和国文化和旅游部"),
    ("nrta-projects", "nrta", lambda: reverse("awards:projects"), "nrta", "国家广播电视总局"),
    ("portal-home", None, lambda: reverse("home"), "portal", "文化和旅游部 · 国家广播电视总局"),
    ("nrta-user-messages", "nrta", lambda: reverse("review:messages"), "nrta", "国家广播电视总局"),
    ("portal-404", None, lambda: "/verify/mistyped-token/", "portal", "文化和旅游部 · 国家广播电视总局"),
]


@pytest.mark.parametrize(("name", "who", "path", "expected", "authority"), CASES, ids=[case[0] for case in CASES])
@pytest.mark.parametrize("viewport", ["desktop", "phone", "nojs"])
def test_header_and_footer_follow_the_page_programme_on_every_screen(
    new_page,  # noqa: F811
    shot,  # noqa: F811
    people,
    name,
    who,
    path,
    expected,
    authority,
    viewport,
):
    options = {"viewport": PHONE} if viewport == "phone" else {}
    if viewport == "nojs":
        options["java_script_enabled"] = False
    page = signed_in(new_page, people[who] if who else None, **options)

    page.goto(page.base_url + path())
    shot(page, f"brand-{name}-{viewport}")
    if viewport == "nojs":  # no page.evaluate without JavaScript: read the markup
        assert page.locator("header.portal-header").get_attribute("data-brand") == expected
        assert page.locator("[data-testid=brand-authority]").inner_text().strip() == authority
        return
    found = brand_of(page)

    assert found["brand"] == expected
    assert found["authority"] == authority
    if expected == "nrta":
        assert "文化和旅游部" not in found["copyright"]
    assert found["sideways"] <= 0, f"{name} scrolls sideways by {found['sideways']} px"
    if viewport == "phone":  # the header stays a header, not half the screen
        assert found["headerHeight"] < 300
