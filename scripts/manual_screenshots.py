#!/usr/bin/env python
"""Screenshots for the user manuals (issue 9), made from the demo data.

Starts the portal on a temporary SQLite database filled by ``manage.py demo``, logs in as the
demo accounts in headless Chromium (Debian's /usr/bin/chromium, the browser tests' launch flags)
and writes each screen the manuals describe to static/help/<programme>/<name>.png, reduced to a
palette of 128 colours (Pillow) so that the committed set stays small.

    .venv/bin/python scripts/manual_screenshots.py            # every screen
    .venv/bin/python scripts/manual_screenshots.py mct-login  # one screen (by name)

``make manual`` runs it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

BASE = Path(__file__).resolve().parent.parent
OUT = BASE / "static" / "help"
PYTHON = sys.executable
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
PASSWORD = "Demo2026portal"
CHART_SETTLE_MS = 1500
PHONE_MAX_HEIGHT = 1800


class Screen(NamedTuple):
    """One picture: static/help/<programme>/<name>.png of ``path`` (then the link named ``follow``, for pages
    whose address holds a random public id) as the demo ``account`` (None: a visitor), cropped to
    ``selector`` (the first match; None: the whole window) at ``width`` pixels."""

    name: str
    programme: str
    account: str | None
    path: str
    selector: str | None
    width: int
    follow: str | None = None


TRAINING = "湖南省网络演出剧（节）目备案业务培训"  # supervision/notices/demo.py
OVERDUE_PROGRAMME = "湘江夜话·线上曲艺专场"  # supervision/inspections/demo.py

SCREENS = [
    Screen("login", "mct", None, "/accounts/login/", "main", 1280),
    Screen("register", "mct", None, "/accounts/register/", "main", 1280),
    Screen("home", "mct", "13800000001", "/", "main", 1280),
    Screen("activate", "mct", "13800000002", "/accounts/activate/", "main", 1280),
    Screen("apply", "mct", "13800000001", "/filings/", "main", 1280),
    Screen("new-domestic", "mct", "13800000001", "/filings/new/domestic/", "main", 1280),
    Screen("programmes", "mct", "13800000001", "/filings/programmes/", "main", 1280),
    Screen("status", "mct", "13800000001", "/filings/status/", "main", 1280),
    Screen("status-phone", "mct", "13800000001", "/filings/status/", None, 390),
    Screen("guidance", "mct", "13800000001", "/supervision/guidance/", "main", 1280),
    Screen("guidance-staff", "mct", "mct-hunan", "/staff/guidance/thread/", "main", 1280),
    Screen("notices", "mct", "13800000001", "/supervision/notices/", "main", 1280),
    Screen("training", "mct", "13800000001", "/supervision/notices/", "main", 1280, follow=TRAINING),
    Screen("deadlines", "mct", "13800000001", "/filings/status/", "#deadline-warnings", 1280),
    Screen("staff-index", "mct", "mct-hunan", "/staff/", "main", 1280),
    Screen("inspections", "mct", "mct-hunan", "/staff/inspections/inspectioncase/", "main", 1280),
    Screen("inspection-case", "mct", "mct-hunan", "/staff/inspections/inspectioncase/", "main", 1280,
           follow=OVERDUE_PROGRAMME),
    Screen("statistics", "mct", "mct-hunan", "/supervision/statistics/mct/", ".stats-section", 1280),
    Screen("home", "nrta", None, "/", "main", 1280),
    Screen("login", "nrta", None, "/accounts/login/", "main", 1280),
    Screen("projects", "nrta", "instdemo", "/awards/", "main", 1280),
    Screen("mine", "nrta", "instdemo", "/awards/mine/", "main", 1280),
    Screen("mine-phone", "nrta", "instdemo", "/awards/mine/", None, 390),
    Screen("notices", "nrta", "instdemo", "/supervision/notices/", "main", 1280),
    Screen("statistics", "nrta", "nrta-hunan", "/supervision/statistics/nrta/", ".stats-section", 1280),
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the portal did not answer at {url}")


def optimise(path: Path) -> None:
    """Quantise to a 128-colour palette: screens are flat colours and text, this keeps them sharp."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def log_in(page, base: str, account: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("账号", exact=True).fill(account)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state("networkidle")


def capture(base: str, only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        contexts = {}
        try:
            for shot in SCREENS:
                full = f"{shot.programme}-{shot.name}"
                if only and full not in only:
                    continue
                key = (shot.account, shot.width)
                if key not in contexts:
                    context = browser.new_context(viewport={"width": shot.width, "height": 900}, locale="zh-CN")
                    page = context.new_page()
                    if shot.account:
                        log_in(page, base, shot.account)
                    contexts[key] = page
                page = contexts[key]
                page.goto(base + shot.path)
                page.wait_for_load_state("networkidle")
                if shot.follow:
                    page.get_by_role("link", name=shot.follow, exact=True).first.click()
                    page.wait_for_load_state("networkidle")
                if page.locator("[data-chart]").count():
                    page.wait_for_timeout(CHART_SETTLE_MS)  # ECharts animates its first drawing
                target = OUT / shot.programme / f"{shot.name}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                if shot.selector and page.locator(shot.selector).count():
                    page.locator(shot.selector).first.screenshot(path=str(target))
                elif shot.selector:
                    raise RuntimeError(f"{full}: nothing matches {shot.selector} on {page.url}")
                elif shot.width < 600:  # a phone: the top of the page (the whole of it can be 7,000 px of cards)
                    height = min(page.evaluate("document.documentElement.scrollHeight"), PHONE_MAX_HEIGHT)
                    clip = {"x": 0, "y": 0, "width": shot.width, "height": height}
                    page.screenshot(path=str(target), full_page=True, clip=clip)
                else:
                    page.screenshot(path=str(target))
                optimise(target)
                written.append(target)
                print(f"{target.relative_to(BASE)}  {target.stat().st_size // 1024} KB")
        finally:
            browser.close()
    return written


def main(argv: list[str]) -> int:
    only = set(argv)
    with tempfile.TemporaryDirectory(prefix="manual-shots-") as tmp:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(
            SQLITE_PATH=str(Path(tmp) / "demo.sqlite3"),
            DJANGO_SETTINGS_MODULE="portal.settings.dev",
            CAPTCHA_TEST_MODE="1",
            REDIS_URL="",
        )
        manage = [PYTHON, str(BASE / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0", "--noinput"], check=True, env=env, cwd=BASE)
        subprocess.run([*manage, "demo"], check=True, env=env, cwd=BASE, stdout=subprocess.DEVNULL)
        port = int(os.environ.get("MANUAL_PORT") or free_port())  # MANUAL_PORT: a port of your own
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
            env=env,
            cwd=BASE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz")
            capture(base, only)
        finally:
            server.terminate()
            server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
