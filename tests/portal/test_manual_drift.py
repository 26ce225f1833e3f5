"""The manuals' pictures never drift (issue 9): every figure is a shot of scripts/manual_screenshots.py.

The script's list of shots (SCREENS) and the manuals' <img> must be the same set, with no stale PNG under
static/help/; and every page the script visits opens (200) for the demo account it logs in with, holding
the element it crops to, so ``make manual`` cannot silently photograph a login or error page. Chromium is
not started here: the pages are fetched with the test client on ``manage.py demo``'s data.
"""

from __future__ import annotations

import html
import importlib.util
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
STATIC_HELP = ROOT / "static" / "help"


def screenshot_script():
    spec = importlib.util.spec_from_file_location("manual_screenshots", ROOT / "scripts" / "manual_screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shot_files(script) -> list[str]:
    return [f"help/{shot.programme}/{shot.name}.png" for shot in script.SCREENS]


def manual_images(client, programme: str) -> list[str]:
    page = client.get(f"/help/{programme}/").content.decode()
    return re.findall(r'<img [^>]*src="([^"]+)"', page.split("<main", 1)[-1])


def test_every_figure_of_the_manuals_is_a_shot_of_the_script_and_every_shot_is_used(client):
    script = screenshot_script()
    shots = shot_files(script)
    assert len(shots) == len(set(shots)), "a shot is listed twice"

    figures = []
    for programme in ("mct", "nrta"):
        images = manual_images(client, programme)
        assert images, programme
        for src in images:
            assert src.startswith(f"/static/help/{programme}/"), f"{src}: not a shot of the script"
            figures.append(src.removeprefix("/static/"))
    assert len(figures) == len(set(figures)), "a picture is used twice"

    assert sorted(set(figures) - set(shots)) == [], "figures the script does not make"
    assert sorted(set(shots) - set(figures)) == [], "shots no manual shows"
    on_disk = sorted(str(path.relative_to(STATIC_HELP.parent)) for path in STATIC_HELP.rglob("*.png"))
    assert on_disk == sorted(shots), "PNG files under static/help/ that are not the script's shots"


@pytest.fixture
def demo(db):
    call_command("demo", stdout=StringIO())


def crop_target_is_on(page: str, selector: str | None) -> bool:
    if selector is None:
        return True
    if selector.startswith("#"):
        return f'id="{selector[1:]}"' in page
    if selector.startswith("."):
        return re.search(rf'class="([^"]* )?{re.escape(selector[1:])}( [^"]*)?"', page) is not None
    return f"<{selector}" in page  # an element name


def link_named(page: str, text: str) -> str | None:
    """The address of the first link whose text is ``text`` (what the script clicks)."""
    for href, inner in re.findall(r'<a\b[^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, re.S):
        if html.unescape(" ".join(re.sub(r"<[^>]+>", "", inner).split())) == text:
            return html.unescape(href)
    return None


def test_every_page_the_script_visits_opens_for_its_demo_account(client, demo):
    script = screenshot_script()
    opened = {}
    for shot in script.SCREENS:
        key = f"{shot.programme}-{shot.name}"
        client.logout()
        if shot.account is not None:
            user = User.objects.filter(username=shot.account, is_active=True).first()
            if user is None or not user.check_password(script.PASSWORD):
                opened[key] = (f"no demo account {shot.account} with the script's password", False)
                continue
            client.force_login(user)
        response = client.get(shot.path)
        page = response.content.decode() if response.status_code == 200 else ""
        if shot.follow and response.status_code == 200:
            href = link_named(page, shot.follow)
            if href is None:
                opened[key] = (f"no link “{shot.follow}” on {shot.path}", False)
                continue
            response = client.get(href)
            page = response.content.decode() if response.status_code == 200 else ""
        opened[key] = (response.status_code, crop_target_is_on(page, shot.selector))
    assert opened == dict.fromkeys(opened, (200, True))


# programme → (the chapter's anchor, its title, the setting with its support numbers)
SUPPORT_CHAPTERS = {
    "mct": ("ch8", "常见问题处理", "MCT_SUPPORT_PHONES"),
    "nrta": ("ch10", "技术支持电话", "NRTA_SUPPORT_PHONES"),
}


def section(html: str, anchor: str) -> str:
    found = re.search(rf'<section id="{anchor}"[^>]*>(.*?)</section>', html, re.S)
    assert found, anchor
    return " ".join(re.sub(r"<[^>]+>", " ", found[1]).split())


@pytest.mark.parametrize("programme", sorted(SUPPORT_CHAPTERS))
def test_each_manual_has_its_faq_or_support_chapter_with_the_support_numbers_of_its_programme(
    client, settings, programme
):
    settings.PORTAL = {
        **settings.PORTAL,
        "MCT_SUPPORT_PHONES": ["400-7770001", "010-7770002"],
        "NRTA_SUPPORT_PHONES": ["010-8880001", "178-8880002"],
    }
    anchor, title, setting = SUPPORT_CHAPTERS[programme]
    other = next(key for p, (_a, _t, key) in SUPPORT_CHAPTERS.items() if p != programme)
    html = client.get(f"/help/{programme}/").content.decode()

    assert f'<li><a href="#{anchor}">{title}</a></li>' in html  # in the table of contents
    chapter = section(html, anchor)
    assert chapter.split(" ", 1)[1].startswith(title), chapter[:40]
    for phone in settings.PORTAL[setting]:
        assert phone in chapter, (programme, phone)
    page = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for phone in settings.PORTAL[other]:
        assert phone not in page, (programme, phone)
