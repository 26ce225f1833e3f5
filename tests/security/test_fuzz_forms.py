"""Property-based fuzz over every form (issue 10, "Attacks"): 0 server errors, 0 partial records.

For each POST endpoint of the URL table (tests/security/urltable.py) and each form page without an
object, the right user posts random values for the form's own fields (NUL bytes, huge text, any
unicode, numbers out of range, dates far off or impossible, several values for one field). The page
never answers 5xx (the test client re-raises a view's exception), and a refused form (re-rendered with
200 or 400, or refused 403/404/405) leaves every table's row count as it was. Hypothesis runs a few examples per endpoint so the
whole file stays near a minute.
"""

from __future__ import annotations

import os
import re

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_url_matrix import NOW, case_of, url_of
from tests.security.urltable import all_patterns, object_patterns
from tests.security.world import build

pytestmark = pytest.mark.django_db
EXAMPLES = 3
# Tables a refused request may still write to: the audit trail, login throttles, sessions.
UNCOUNTED = {
    "accounts.AuditEvent",
    "captcha.CaptchaStore",
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}
# Form pages without an object argument, and who fills them.
FORM_PAGES = {
    "filings:new": ("unit_a", {"kind": "domestic"}),
    "guidance:new": ("unit_a", {}),
    "accounts:profile": ("unit_a", {}),
    "accounts:member_add": ("unit_a", {}),
    "accounts:phone_change": ("unit_a", {}),
    "accounts:password_change": ("unit_a", {}),
    "accounts:register": ("anonymous", {}),
    "accounts:register_institution": ("anonymous", {}),
    "accounts:register_individual": ("anonymous", {}),
    "accounts:activate": ("unit_a2", {}),
    "staff:inspections_inspectioncase_add": ("mct_hn", {}),
    "staff:notices_notice_add": ("mct_hn", {}),
    "staff:awards_project_open_quarter": ("nrta_min", {}),
    "staff:awards_nomination_quota_raise": ("nrta_min", {}),
    "staff:accounts_staffprofile_add": ("mct_min", {}),
    "staff:awards_ranking_decide": ("nrta_min", {}),
}
SKIP_ROLES = {"anonymous"}

FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.S)
NOT_FILLED = {"csrfmiddlewaretoken"}

text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.just("\x00"),
    st.builds(lambda s: s + "\x00" + s, st.text(max_size=5)),
    st.just("甲" * 20000),
    st.just("9" * 400),
)
number = st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), st.sampled_from(["1e309", "NaN", "-0"]))
date = st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "1900-01-01T25:61", "99999-01-01", "2026/13/01"])
value = st.one_of(text, number, date, st.lists(st.one_of(text, number), min_size=2, max_size=3))


def _fields(html: str) -> list[str]:
    return sorted({name for name in FIELD.findall(html) if name not in NOT_FILLED})


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.label not in UNCOUNTED and m._meta.app_label not in ("contenttypes", "auth")
    }


def _endpoints(world):
    """(key, url, role, fixed values) of every POST endpoint the fuzz runs."""
    from django.urls import reverse

    endpoints = []
    for pattern in object_patterns():
        case = case_of(pattern)
        if case is None or not case.owners or pattern.key.startswith("admin:"):
            continue
        role = sorted(case.owners - {"mct_min", "nrta_min"} or case.owners)[0]
        endpoints.append((pattern.key, url_of(world, pattern, case), role, {}))
    names = {p.key for p in all_patterns()}
    for key, (role, kwargs) in FORM_PAGES.items():
        assert key in names, f"{key} is no longer a URL pattern"
        endpoints.append((key, reverse(key, kwargs=kwargs or None), role, {}))
    # The reviewers' pages first, the posts that may end an object (withdraw, delete, void …) last.
    ending = ("withdraw", "delete", "void", "act", "cancel")
    return sorted(endpoints, key=lambda e: (not e[0].startswith("staff:"), re.split("[:_]", e[0])[-1] in ending))


def test_fuzzed_posts_never_fail_and_leave_no_partial_records():
    with time_machine.travel(NOW, tick=False):
        world = build()
        clients, parsed = {}, []
        for key, url, role, _fixed in _endpoints(world):
            if role not in clients:
                clients[role] = Client()
                if world.users[role] is not None:
                    clients[role].force_login(world.users[role])
            client = clients[role]
            page = client.get(url)
            html = b"" if page.streaming else page.content
            fields = _fields(html.decode(errors="replace")) if page.status_code == 200 else []
            if fields:
                parsed.append(key)
            fields = fields or ["name", "text", "action"]

            _fuzz(key, url, client, fields)
    if os.environ.get("PORTAL_FUZZ_PRINT"):
        print(len(parsed), "forms parsed:", " ".join(parsed))
    # Not vacuous: the forms of the filings editor, the staff decision pages, guidance, registration … were read.
    for key in ("filings:edit", "staff:filings_filing_change", "guidance:new", "accounts:register", "awards:edit"):
        assert key in parsed, f"{key}: its form's fields were not found"


def _fuzz(key, url, client, fields):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.fixed_dictionaries({name: value for name in fields}))
    def post(data):
        # Each example in a savepoint rolled back after it: an accepted post (a ministry's edit of an
        # official's account, a withdrawal …) must not change what the next endpoint is fuzzed against.
        with transaction.atomic():
            before = _counts()
            response = client.post(url, data)
            assert response.status_code < 500, f"{key}: {response.status_code}"
            if response.status_code not in (301, 302, 303):  # re-rendered (200, 400) or refused (403, 404, 405)
                assert _counts() == before, f"{key}: a refused form wrote rows ({response.status_code})"
            transaction.set_rollback(True)

    post()
