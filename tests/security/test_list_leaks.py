"""The pages without an object (lists, queues, searches, exports, statistics, results) as tenant B:
nothing of tenant A shows (issue 10, "Attacks"). Each page of the resolver is opened by 北京's unit,
institution, MCT and NRTA officials and an expert of another quarter; none may carry tenant A's marker
(甲方, in every name of its units, people, programmes, works, threads, notices and cases). Both sides:
tenant A's own people see their objects on their lists.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.security.test_url_matrix import NOW, body
from tests.security.urltable import OBJECT_ARGS, all_patterns
from tests.security.world import build

pytestmark = pytest.mark.django_db
OUTSIDERS = ("anonymous", "unit_b", "inst_b", "mct_bj", "nrta_bj", "expert_other_quarter")
# How to fill the arguments that name no object.
FILL = {"fmt": "csv", "year": 2026, "quarter": 2, "programme": "mct", "kind": "domestic"}
SKIPPED_ARGS = {"slug", "url", "app_label", "action", "name"}  # content pages, catch-alls, admin app indexes


def _list_urls() -> list[tuple[str, str]]:
    urls = []
    for pattern in all_patterns():
        args = set(pattern.args)
        if args & OBJECT_ARGS or args & SKIPPED_ARGS or "<" in pattern.key or pattern.key.startswith("admin:"):
            continue
        if args - set(FILL):
            raise AssertionError(f"{pattern.key} ({pattern.route}): FILL does not know {sorted(args - set(FILL))}")
        try:
            urls.append((pattern.key, reverse(pattern.key, kwargs={a: FILL[a] for a in args} or None)))
        except NoReverseMatch:
            continue
    return urls


def test_tenant_b_sees_nothing_of_tenant_a_on_any_list(settings):
    settings.STAFF_OTP_REQUIRED_FOR_MINISTRY = False
    leaks, errors = [], []
    with time_machine.travel(NOW, tick=False):
        world = build()
        urls = _list_urls()
        assert len(urls) > 40, urls
        for role in OUTSIDERS:
            client = Client()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            for key, url in urls:
                response = client.get(url)
                if response.status_code >= 500:
                    errors.append(f"{url} as {role}: {response.status_code}")
                if "甲方".encode() in body(response):
                    leaks.append(f"{url} ({key}) as {role}")
        # Both sides: the owners' lists do show tenant A.
        for role, url in (
            ("unit_a", "/filings/status/"),
            ("mct_hn", "/staff/filings/filing/"),
            ("mct_hn", "/staff/filings/filing/export/csv/"),
            ("nrta_hn", "/staff/awards/nomination/"),
            ("inst_a", "/awards/mine/"),
            ("unit_a", "/supervision/guidance/"),
            ("mct_hn", "/staff/guidance/thread/"),
        ):
            client = Client()
            client.force_login(world.users[role])
            assert "甲方".encode() in body(client.get(url)), f"{url} as {role} shows no 甲方"
    assert not errors, "\n".join(errors)
    assert not leaks, "\n".join(leaks)
