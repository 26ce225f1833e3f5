"""Playwright driving Debian's Chromium (never a downloaded browser).

Fixtures:
* ``browser``   one headless Chromium per test module;
* ``new_page``  factory ``new_page(**context_options)``: a fresh context (own cookies)
                on the live server, e.g. ``new_page(java_script_enabled=False)``;
* ``page``      ``new_page()`` with defaults: zh-CN, 1280×900;
* ``shot``      ``shot(page, "name")`` saves ``<name>.png`` into ``$PORTAL_SCREENSHOTS``
                (does nothing when the variable is unset);
* ``screenshot_dir`` the folder from ``$PORTAL_SCREENSHOTS`` or None.

Every page has ``page.base_url`` (the live server) and ``page.url_for(path)``.
The live server runs in this process, so the SMS ``locmem`` outbox
(``tests.conftest.last_sms_code``) sees the codes it sends, and
``CAPTCHA_TEST_MODE`` (portal/settings/test.py) accepts the answer ``PASSED``.
"""

import os
import re
import shutil

import pytest

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Playwright's sync API keeps an asyncio loop running in this thread while it
    is started, so Django's async-safety check needs DJANGO_ALLOW_ASYNC_UNSAFE
    for the ORM calls of the tests. Module scope (not session) stops the loop
    and restores the variable before the next module runs in the same worker
    (``-n 2 --dist loadfile``), so other tests keep the normal checks and can
    use ``async_to_sync``.
    """
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def new_page(browser, live_server, settings):
    """Factory: ``new_page(**browser_context_options)`` → a page in a fresh context."""
    settings.CAPTCHA_TEST_MODE = True
    contexts = []

    def make(**options):
        options = {"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        page.url_for = lambda path: live_server.url + path
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot_dir():
    path = os.environ.get("PORTAL_SCREENSHOTS")
    if path:
        os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture
def shot(screenshot_dir):
    def take(page, name: str) -> str | None:
        if not screenshot_dir:
            return None
        path = os.path.join(screenshot_dir, re.sub(r"[^\w.-]+", "-", name) + ".png")
        page.screenshot(path=path, full_page=True)
        return path

    return take
