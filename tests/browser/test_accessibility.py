"""axe-core finds no serious or critical problem on any page a role sees (issue 12, accessibility).

The pages are those the demo data's links lead each role to
(tests/browser/role_pages.py: anonymous visitor, MCT units, NRTA institution and
individual, MCT and NRTA provincial officials and ministries, expert), one of each
shape, opened in Chromium at 1280 px and the role's main pages again at 390 px and
with none of the portal's scripts (as without JavaScript).
axe-core (tests/browser/vendor/axe-core, MPL-2.0, injected only by this test)
runs its WCAG 2.x A/AA and best-practice rules; any violation of impact serious or
critical fails the test, printed rule by rule with the elements concerned. The pages
run under the portal's own Content-Security-Policy (axe-core is an init script).
``PORTAL_A11Y_ROLES=anonymous,13800000001`` limits a run to those accounts' pages.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser import role_pages

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Pages checked again on a phone (reflow, target sizes, hidden-but-focusable content).
PHONE_SHAPES = (
    "/",
    "/accounts/login/",
    "/accounts/register/",
    "/filings/status/",
    "/filings/programmes/",
    "/filings/applications/*/edit/",
    "/awards/mine/",
    "/awards/expert/",
    "/staff/",
    "/verify/*/",
)


# Pages whose markup or colours this work changed: saved at both widths when $PORTAL_SCREENSHOTS is set.
SHOT_SHAPES = (
    *PHONE_SHAPES,
    "/staff/filings/filing/",
    "/staff/notices/notice/add/",
    "/staff/awards/expertassignment/ranking/",
    "/staff/filings/changerequest/*/change/",
    "/supervision/guidance/threads/*/",
)


def run_axe(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # a page made with set_content
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary, html: n.html})),
            }));
        }"""
    )


def describe(found: dict[str, list[dict]]) -> str:
    count = sum(len(v["nodes"]) for violations in found.values() for v in violations)
    lines = [f"axe-core: {count} serious/critical findings on {len(found)} pages"]
    for label, violations in found.items():
        lines.append(f"\n{label}")
        for violation in violations:
            lines.append(
                f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({len(violation['nodes'])}×)"
            )
            for node in violation["nodes"][:4]:
                summary = " ".join((node["summary"] or "").split())
                lines.append(f"      {node['target']}  {node['html'][:160]}")
                lines.append(f"        {summary[:300]}")
    return "\n".join(lines)


def without_scripts(route):
    if route.request.resource_type == "script":
        route.abort()
    else:
        route.continue_()


def browser_for(new_page, account: str | None, *, scripts: bool = True, **options):
    """A context signed in as ``account`` (a session made by the test client), axe-core loaded into every
    page before the portal's own scripts, as an init script (which the page's CSP does not govern).

    ``scripts=False`` is the page without JavaScript as far as the portal goes: none of its scripts load
    (axe-core needs the browser's JavaScript itself, so <noscript> content is not rendered)."""
    page = new_page(**options)
    page.context.add_init_script(path=str(AXE))
    if not scripts:
        page.context.route("**/*", without_scripts)
    if account:
        client = role_pages.client_for(account)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": page.base_url,
                }
            ]
        )
    return page


def check_pages(new_page, pages, *, shot=None, **options) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    browsers: dict[str, object] = {}
    for item in pages:
        account = role_pages.ROLES[item.role][0]
        if item.role not in browsers:
            browsers[item.role] = browser_for(new_page, account, **options)
        page = browsers[item.role]
        response = page.goto(page.url_for(item.path), wait_until="load")
        assert response.status == 200, (item.role, item.path, response.status)
        violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
        if violations:
            width = (options.get("viewport") or {}).get("width", 1280)
            no_js = ", no JavaScript" if options.get("scripts") is False else ""
            found[f"{item.role}  {item.path}  ({width} px{no_js})"] = violations
        if shot is not None and role_pages.shape(item.path) in SHOT_SHAPES:
            width = (options.get("viewport") or {}).get("width", 1280)
            no_js = "-nojs" if options.get("scripts") is False else ""
            shot(page, f"a11y-{width}{no_js}-{role_pages.ROLES[item.role][0] or 'anonymous'}-{item.path}")
    return found


def selected_roles() -> dict:
    """All roles, or those whose accounts $PORTAL_A11Y_ROLES names (``anonymous,13800000001``) for a quick look."""
    wanted = [name.strip() for name in os.environ.get("PORTAL_A11Y_ROLES", "").split(",") if name.strip()]
    if not wanted:
        return role_pages.ROLES
    return {role: spec for role, spec in role_pages.ROLES.items() if (spec[0] or "anonymous") in wanted}


def test_no_serious_or_critical_axe_finding_on_any_page_a_role_sees(new_page, shot):
    started = time.monotonic()
    role_pages.load_demo()
    roles = selected_roles()
    walk = role_pages.walk(per_shape=1, roles=roles)
    pages = walk.pages
    assert {page.role for page in pages} == set(roles)
    walked = time.monotonic()

    found = check_pages(new_page, pages, shot=shot)
    desktop = time.monotonic()
    phone = [page for page in pages if role_pages.shape(page.path) in SHOT_SHAPES]
    found |= check_pages(new_page, phone, shot=shot, viewport={"width": 390, "height": 844}, is_mobile=True)

    phoned = time.monotonic()
    found |= check_pages(new_page, phone, shot=shot, scripts=False)

    print(
        f"axe-core: {len(pages)} pages at 1280 px ({desktop - walked:.0f} s), {len(phone)} at 390 px "
        f"({phoned - desktop:.0f} s) and again at 1280 px without JavaScript ({time.monotonic() - phoned:.0f} s); "
        f"demo data and walk {walked - started:.0f} s"
    )
    assert not found, describe(found)


def test_a_finding_is_reported_with_its_page_and_element(new_page, live_server):
    """The harness itself: a grey-on-grey link and an unlabelled field are reported."""
    page = new_page(bypass_csp=True)
    page.goto(live_server.url + "/healthz")
    page.set_content(
        '<!DOCTYPE html><html lang="zh-CN"><head><title>t</title></head><body><main><h1>t</h1>'
        '<p style="background:#f5f6f8"><a href="/" style="color:#aaa">首页</a></p><input type="text"></main></body></html>'
    )

    violations = {v["id"]: v for v in run_axe(page) if v["impact"] in BLOCKING}

    assert {"color-contrast", "label"} <= set(violations)
    text = describe({"sample": list(violations.values())})
    assert "color-contrast" in text and '<a href="/"' in text
    json.dumps(violations)  # plain data, printable
