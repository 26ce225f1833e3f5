"""Every role × every object-bearing URL of tenant A (issue 10, "Attacks"): 0 leaks, and the owner gets it.

The URLs come from portal.urls' resolver (the /staff/ and /admin/ sites included); urltable.py says how
to fill each one. A pattern it does not know fails ``test_every_object_pattern_is_in_the_table`` by name.
"""

from __future__ import annotations

import os

import pytest
import time_machine
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from awards.calendar import BEIJING
from tests.security.urltable import ADMIN_MODELS, PATTERNS, PUBLIC, Case, admin_model_of, object_patterns
from tests.security.world import ROLES, build

pytestmark = pytest.mark.django_db
NOW = __import__("datetime").datetime(2026, 6, 1, 10, 0, tzinfo=BEIJING)  # inside 2026 Q2's awards window


def case_of(pattern) -> Case | None:
    if pattern.key in PATTERNS:
        return PATTERNS[pattern.key]
    admin = admin_model_of(pattern)
    if admin is not None and admin[0] in ADMIN_MODELS:
        model, action = ADMIN_MODELS[admin[0]], admin[1]
        owners = getattr(model, action) if action != "redirect" else frozenset()
        marker = model.marker if action == "change" else None
        return Case(model.obj, owners, ("object_id",), (), marker, 200, model.ident)
    return None


def unknown_patterns() -> list[str]:
    return [f"{p.key} ({p.route})" for p in object_patterns() if p.key not in PUBLIC and case_of(p) is None]


def test_a_view_added_tomorrow_fails_the_table_check_by_name(settings):
    settings.ROOT_URLCONF = "tests.security.extra_urls"
    assert unknown_patterns() == ["new_secret_page (/filings/secret/<str:public_id>/)"]


def test_every_object_pattern_is_in_the_table():
    unknown = unknown_patterns()
    assert unknown == [], "object-bearing URL patterns the tenancy matrix cannot fill: " + ", ".join(unknown)
    stale = sorted(set(PATTERNS) - {p.key for p in object_patterns()})
    assert stale == [], f"patterns in the table that no longer exist: {stale}"


def _value(world, case: Case, arg: str):
    obj = world[case.obj]
    if arg == "content_type_id":
        return ContentType.objects.get_for_model(obj).pk
    if arg == "objection_id":
        return world["objection"].public_id
    if case.obj == "message" and arg == "token":
        from review.outbox.views import message_token

        return message_token(obj)
    if arg == "nomination_id":
        return world["work"].public_id
    if case.ident == "user.username":
        return obj.user.username
    if arg in ("object_id", "pk", "id"):
        return obj.pk if case.ident == "pk" else getattr(obj, "public_id", None) or obj.pk
    return getattr(obj, arg)


def url_of(world, pattern, case: Case) -> str:
    kwargs = {arg: _value(world, case, arg) for arg in case.args}
    if "object_id" in kwargs and pattern.key.startswith(("staff:", "admin:")):
        kwargs["object_id"] = quote(str(kwargs["object_id"]))  # as the admin writes ids ('_' → '_5F')
    kwargs.update(dict(case.extra))
    if pattern.key.count(":") and "<" not in pattern.key:
        return reverse(pattern.key, kwargs=kwargs)
    route = pattern.route
    for arg, value in kwargs.items():
        route = route.replace(f"<path:{arg}>", str(value)).replace(f"<str:{arg}>", str(value))
    return route


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _clients(world):
    clients = {}
    for role in ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        clients[role] = client
    return clients


def _snapshot(world):
    """The state of tenant A's objects: what a refused POST must leave as it was."""
    from django.apps import apps

    # The security logs (audit trail, login attempts) record refused requests by design.
    logs = {"accounts.AuditEvent", "axes.AccessLog", "axes.AccessAttempt", "axes.AccessFailureLog"}
    counts = {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label != "sessions" and m._meta.label not in logs
    }
    states = {}
    for key, obj in world.objects.items():
        model = type(obj)
        row = model.objects.filter(pk=obj.pk).values().first()
        if row is not None:
            row.pop("last_login", None)
        states[key] = row
    return counts, states


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        yield build()


def _matrix(world, *, method):
    clients = _clients(world)
    leaks, denied_owner, errors, observed = [], [], [], {}
    for pattern in object_patterns():
        case = case_of(pattern)
        if case is None:
            continue
        url = url_of(world, pattern, case)
        row = observed.setdefault(pattern.key, {})
        for role in ROLES:
            if method == "post" and role in case.owners:
                continue  # the owners' POSTs act for real: covered by each app's own tests
            response = getattr(clients[role], method)(url)
            content = body(response)
            row[role] = response.status_code
            if response.status_code >= 500:
                errors.append(f"{method.upper()} {url} as {role}: {response.status_code}")
            ok = response.status_code == 200
            shows = case.marker is None or case.marker.encode() in content
            owner_ok = response.status_code == case.owner_status and (shows or case.owner_status != 200)
            if role in case.owners and method == "get" and not owner_ok:
                denied_owner.append(f"GET {url} ({pattern.key}) as owner {role}: {response.status_code}")
            if role not in case.owners and ok and shows:
                leaks.append(f"{method.upper()} {url} ({pattern.key}) as {role}: 200 with the object's data")
    if os.environ.get("PORTAL_MATRIX_PRINT"):
        for key, row in observed.items():
            print(key, " ".join(f"{r}={s}" for r, s in row.items()))
    return leaks, denied_owner, errors


def test_no_role_gets_another_tenants_object_and_the_owner_gets_it(world):
    with time_machine.travel(NOW, tick=False):
        leaks, denied_owner, errors = _matrix(world, method="get")
    assert not errors, "\n".join(errors)
    assert not leaks, "\n".join(leaks)
    assert not denied_owner, "\n".join(denied_owner)


def test_no_role_changes_another_tenants_object_by_post(world):
    with time_machine.travel(NOW, tick=False):
        before = _snapshot(world)
        leaks, _, errors = _matrix(world, method="post")
        after = _snapshot(world)
    assert not errors, "\n".join(errors)
    assert not leaks, "\n".join(leaks)
    changed = [key for key in before[1] if before[1][key] != after[1][key]]
    assert not changed, changed
    assert before[0] == after[0]
