"""The Nu HTML Checker (vnu.jar) finds no error on any page a role sees (issue 12, markup).

The pages come from walking the demo data's links as each role
(tests/browser/role_pages.py), plus the forms that bounce bad input (an empty
login or registration post), fetched with the Django test client and checked in
one run of the checker. Warnings (informational) do not count; errors do.

Needs Java and the checker's jar: ``$VNU_JAR``, or ``var/vnu/vnu.jar`` which
``scripts/system-deps.sh test`` (``make test``) fetches from the npm package
``vnu-jar``. Skipped without them, except in CI, where they are required.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser import role_pages

pytestmark = [pytest.mark.django_db, pytest.mark.markup]

# The forms that answer bad input with the page again (errors beside the fields and at the top).
BAD_INPUT = (
    "/accounts/login/",
    "/accounts/login/sms/",
    "/accounts/register/",
    "/accounts/register/institution/",
    "/accounts/register/individual/",
    "/accounts/password/reset/",
)


def vnu_command() -> list[str]:
    jar = os.environ.get("VNU_JAR") or str(Path(settings.BASE_DIR) / "var" / "vnu" / "vnu.jar")
    java = shutil.which("java")
    missing = [what for what, ok in (("java", java), (jar, os.path.exists(jar))) if not ok]
    if missing:
        message = f"Nu HTML Checker needs {' and '.join(missing)} (scripts/system-deps.sh test installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-Xss4m", "-jar", jar]


def check(pages: dict[str, str], tmp_path: Path) -> dict[str, list[str]]:
    """{page label: ["line 12: message «extract»", …]} for every page with errors."""
    names = {}
    for i, (label, html) in enumerate(pages.items()):
        path = tmp_path / f"page-{i:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = label
    result = subprocess.run(
        [
            *vnu_command(),
            "--format",
            "json",
            "--exit-zero-always",
            "--stdout",
            *sorted(str(p) for p in tmp_path.glob("page-*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors: dict[str, list[str]] = {}
    for message in messages:
        if message["type"] not in ("error", "non-document-error"):
            continue
        url = message.get("url", "?")
        label = names.get(url.rsplit("/", 1)[-1], url)
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(label, []).append(f"line {message.get('lastLine', '?')}: {message['message']}  «{extract}»")
    return errors


def report(errors: dict[str, list[str]]) -> str:
    lines = [f"{sum(map(len, errors.values()))} Nu HTML Checker errors on {len(errors)} pages:"]
    for label, found in errors.items():
        lines.append(f"\n{label}")
        lines.extend(f"    {line}" for line in found)
    return "\n".join(lines)


def test_no_markup_error_on_any_page_a_role_sees(tmp_path):
    vnu_command()  # skip early, before the demo data, when the checker is missing
    role_pages.load_demo()

    walk = role_pages.walk()
    pages = {f"{page.role}  {page.path}": page.html for page in walk.pages}
    bad = role_pages.client_for(None)
    for path in BAD_INPUT:
        response = bad.post(path, {})
        assert response.status_code == 200, path  # the form again, with its errors
        pages[f"anonymous  {path} (posted empty)"] = response.content.decode()

    errors = check(pages, tmp_path)

    assert not (errors or walk.server_errors()), report(errors) + "\nServer errors: " + ", ".join(walk.server_errors())
    # The walk reached every role's working pages, not only the public ones.
    checked = {label.split("  ")[1] for label in pages}
    for expected in (
        "/accounts/login/",
        "/filings/status/",
        "/filings/programmes/",
        "/awards/mine/",
        "/awards/expert/",
        "/staff/",
        "/supervision/statistics/mct/",
    ):
        assert expected in checked, expected
    assert len(pages) > 100
    print(f"Nu HTML Checker: {len(pages)} pages of {len(role_pages.ROLES)} roles, no error")


def test_the_checker_reports_an_error_it_is_shown(tmp_path):
    """The harness itself: a duplicate id and a stray attribute are reported, with the page's label."""
    html = '<!DOCTYPE html><html lang="zh-CN"><head><title>t</title></head><body><p id="a">1</p><p id="a">2</p><input type="hidden" placeholder="x"></body></html>'

    errors = check({"sample": html}, tmp_path)

    assert list(errors) == ["sample"]
    assert any("Duplicate ID" in line for line in errors["sample"])
    assert any("placeholder" in line for line in errors["sample"])
