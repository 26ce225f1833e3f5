"""CSRF on every POST, and the ministry's second factor on every page (issue 10, "Attacks").

Both walk the same URL table as the tenancy matrix: every object-bearing pattern filled with tenant A's
objects, and every pattern without arguments.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import StaffSecondFactorMiddleware
from tests.security.test_url_matrix import NOW, case_of, url_of
from tests.security.urltable import all_patterns, object_patterns
from tests.security.world import build

pytestmark = pytest.mark.django_db
VERIFY = "/accounts/otp/verify/"


def _urls(world) -> list[tuple[str, str, str | None]]:
    """(key, url, first owner) of every pattern the table fills and every pattern without arguments."""
    urls = []
    for pattern in object_patterns():
        case = case_of(pattern)
        if case is not None:
            owner = sorted(case.owners)[0] if case.owners else None
            urls.append((pattern.key, url_of(world, pattern, case), owner))
    for pattern in all_patterns():
        if pattern.args or "<" in pattern.key or "(" in pattern.route:
            continue
        try:
            urls.append((pattern.key, reverse(pattern.key), None))
        except NoReverseMatch:
            continue
    return urls


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        yield build()


def test_every_post_without_a_csrf_token_is_refused(world):
    """A logged-in owner's POST without the token: 403 everywhere (Django's CSRF check, none exempt)."""
    exempt = {"healthz"}  # the probe takes no POST (405), listed for clarity
    clients = {}
    accepted = []
    with time_machine.travel(NOW, tick=False):
        for key, url, owner in _urls(world):
            if key in exempt:
                continue
            role = owner or "unit_a"
            if role not in clients:
                clients[role] = Client(enforce_csrf_checks=True)
                clients[role].force_login(world.users[role])
            response = clients[role].post(url, {"action": "save"})
            if response.status_code != 403:
                accepted.append(f"{key} {url} as {role}: {response.status_code}")
        assert not accepted, "\n".join(accepted)
        # Both sides: with the token from the page, the same kind of POST gets past the check.
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users["unit_a"])
        page = client.get(reverse("filings:edit", args=[world["draft"].public_id]))
        token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
        response = client.post(
            reverse("filings:edit", args=[world["draft"].public_id]),
            {"csrfmiddlewaretoken": token, "sections": "basic", "action": "save"},
        )
        assert response.status_code != 403


def _token(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_ministry_staff_reach_no_page_before_the_second_factor(world, settings):
    settings.STAFF_OTP_REQUIRED_FOR_MINISTRY = True
    exempt = {reverse(name) for name in StaffSecondFactorMiddleware.EXEMPT_NAMES} | {reverse("staff:logout")}
    open_pages = []
    with time_machine.travel(NOW, tick=False):
        urls = _urls(world)
        for role in ("mct_min", "nrta_min"):
            user = world.users[role]
            device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
                user=user, name="手机", confirmed=True
            )
            client = Client()
            client.force_login(user)
            for key, url, _owner in urls:
                if url in exempt:
                    continue
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    if response.status_code != 302 or not response["Location"].startswith(VERIFY):
                        open_pages.append(f"{method.upper()} {url} ({key}) as {role}: {response.status_code}")
            # Both sides: once verified, the pages open (a sample of each kind).
            verified = client.post(VERIFY, {"code": _token(device), "next": "/staff/"})
            assert verified.status_code == 302 and verified["Location"] == "/staff/"
            assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
            for url in ("/staff/", "/messages/"):
                assert client.get(url).status_code == 200, url
        # A provincial official owes no second factor: the same pages open at once.
        official = Client()
        official.force_login(world.users["mct_hn"])
        assert official.get("/staff/").status_code == 200
    assert not open_pages, "\n".join(open_pages)
