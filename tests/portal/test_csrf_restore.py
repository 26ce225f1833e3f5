"""A form posted with a stale CSRF token (页面已过期) comes back filled, for the person who typed it only."""

import json
import re

import pytest
from django.test import Client

from tests.factories import PASSWORD, ApplicantFactory

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"
LOGIN = "/accounts/login/"


def restored(response) -> dict | None:
    match = re.search(
        r'<script id="restore-form-data" type="application/json">(.*?)</script>', response.content.decode()
    )
    return json.loads(match.group(1)) if match else None


def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_a_logged_in_users_form_comes_back_after_a_csrf_failure_and_only_to_them():
    user = ApplicantFactory(full_name="张三")
    browser = strict_client()
    browser.force_login(user)

    failed = browser.post(PROFILE, {"full_name": "李四", "email": "li@example.cn", "password": PASSWORD})
    assert failed.status_code == 403
    assert "页面已过期" in failed.content.decode()
    stash = dict(browser.session["stashed_form"])

    page = browser.get(PROFILE)
    assert page.status_code == 200
    assert restored(page) == {"full_name": ["李四"], "email": ["li@example.cn"]}
    assert PASSWORD not in page.content.decode()
    assert restored(browser.get(PROFILE)) is None  # once only

    # The same stash in another person's session is never shown to them, and is dropped.
    colleague = ApplicantFactory(organisation=user.organisation)
    other = Client()
    other.force_login(colleague)
    session = other.session
    session["stashed_form"] = stash
    session.save()
    page = other.get(PROFILE)
    assert page.status_code == 200
    assert restored(page) is None
    assert "李四" not in page.content.decode()
    assert "stashed_form" not in other.session


def test_a_visitors_login_form_comes_back_with_the_account_but_not_the_password():
    browser = strict_client()
    browser.get(LOGIN)

    failed = browser.post(
        LOGIN, {"username": "13900000501", "password": PASSWORD, "captcha_0": "k", "captcha_1": "PASSED"}
    )
    assert failed.status_code == 403

    page = browser.get(LOGIN)
    data = restored(page)
    assert data == {"username": ["13900000501"]}
    assert PASSWORD not in page.content.decode()
