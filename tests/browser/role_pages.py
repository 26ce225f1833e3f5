"""The pages each role sees, found by walking the demo data's links (for the checkers).

``manage.py demo`` (every app's demo data: filings in every review state, NRTA
projects with nominations, scores and results, notices, guidance threads,
certificates) is loaded, then, for each role, the Django test client follows the
links of every HTML page it reaches from the role's entry points (GET, same site,
no query strings, no downloads, no logout). Paths are grouped by their shape
(public ids and numbers replaced by ``*``) and a few of each shape are kept, so a
new page is checked as soon as a link reaches it and a list of 300 filings does
not mean 300 checks.

Used by tests/browser/test_accessibility.py (axe-core in Chromium) and
tests/portal/test_markup.py (the Nu HTML Checker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from io import StringIO

from django.core.management import call_command
from django.test import Client

# role → (account, entry points besides "/"); None is the anonymous visitor.
ROLES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "anonymous": (
        None,
        (
            "/accounts/login/",
            "/accounts/login/sms/",
            "/accounts/register/",
            "/accounts/register/institution/",
            "/accounts/register/individual/",
            "/accounts/password/reset/",
            "/help/",
            "/supervision/notices/",
            "/awards/results/",
        ),
    ),
    "MCT applicant (经营单位)": ("13800000001", ("/filings/", "/filings/status/", "/filings/programmes/")),
    "MCT applicant, not yet activated": ("13800000002", ("/accounts/activate/",)),
    "NRTA institution (机构)": ("instdemo", ("/awards/", "/awards/mine/")),
    "NRTA individual (个人)": ("persondemo", ("/awards/", "/awards/mine/")),
    "MCT provincial official": ("mct-hunan", ("/staff/",)),
    "NRTA provincial official": ("nrta-hunan", ("/staff/",)),
    "MCT ministry": ("mct-ministry", ("/staff/", "/supervision/statistics/mct/")),
    "NRTA ministry": ("nrta-ministry", ("/staff/", "/supervision/statistics/nrta/")),
    "NRTA expert": ("expert-1", ("/awards/expert/",)),
}

SKIP = re.compile(
    r"^/(admin|static|media|private|captcha|i18n)/"  # Django's own admin (superuser only), files, language switch
    r"|/logout/"
    r"|/(pdf|xlsx|csv|zip|download|export|file|files|attachment|pledge-template)/"
    r"|\.(pdf|xlsx|csv|zip|png|jpe?g|docx?)$"
    r"|^/messages/[^/]+/$"  # opening a message marks it read, then redirects to its subject
)


def is_id(part: str) -> bool:
    """A number, a year, a public id (``ALFpPOC8NBlMg7oP``), a signed token; not ``open-quarter``."""
    return bool(re.search(r"\d", part) or (len(part) >= 12 and re.search(r"[A-Z]", part)))


def shape(path: str) -> str:
    """``/filings/applications/ALFpPOC8NBlMg7oP/edit/`` → ``/filings/applications/*/edit/``."""
    return "/".join("*" if is_id(part) else part for part in path.split("/"))


@dataclass
class Page:
    role: str
    path: str
    html: str


@dataclass
class Walk:
    pages: list[Page] = field(default_factory=list)
    statuses: dict[tuple[str, str], int] = field(default_factory=dict)

    def server_errors(self) -> list[str]:
        return [f"{status} {role}  {path}" for (role, path), status in self.statuses.items() if status >= 500]


def load_demo() -> None:
    call_command("demo", stdout=StringIO())


def client_for(account: str | None) -> Client:
    from accounts.models import User

    client = Client(raise_request_exception=False)  # a server error is counted, not raised
    if account:
        client.force_login(User.objects.get(username=account))
    return client


def verify_paths() -> list[str]:
    """The public verify page of one certificate of each kind and status (no link leads there: the QR does)."""
    from review.models import Certificate

    first = {}
    for kind, status, token in Certificate.objects.order_by("pk").values_list("kind", "status", "token"):
        first.setdefault((kind, status), f"/verify/{token}/")
    return list(first.values())


def walk(*, per_shape: int = 2, roles: dict | None = None, seen_shapes: set[str] | None = None) -> Walk:
    """Every role's HTML pages (200 OK), at most ``per_shape`` of each shape.

    A shape already checked for an earlier role is not checked again for a later
    one (the public pages are checked once, as the anonymous visitor sees them),
    except each role's home page, whose header and content depend on the role.
    """
    result = Walk()
    seen_shapes = set() if seen_shapes is None else seen_shapes
    for role, (account, entries) in (roles or ROLES).items():
        client = client_for(account)
        queue = ["/", *entries, *(verify_paths() if account is None else ())]
        visited: set[str] = set()
        taken: dict[str, int] = {}
        while queue:
            path = queue.pop(0)
            key = shape(path)
            if path in visited or taken.get(key, 0) >= per_shape:
                continue
            visited.add(path)
            response = client.get(path)
            result.statuses[(role, path)] = response.status_code
            if response.status_code != 200 or "text/html" not in response.headers.get("Content-Type", ""):
                continue
            taken[key] = taken.get(key, 0) + 1
            html = response.content.decode()
            if path == "/" or key not in seen_shapes:
                result.pages.append(Page(role, path, html))
            for href in re.findall(r'href="(/[^"#?]*)"', html):
                href = unescape(href)
                if not SKIP.search(href) and href not in visited:
                    queue.append(href)
        seen_shapes.update(taken)
    return result
