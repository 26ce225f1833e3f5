"""Passwords are hashed with Argon2id at OWASP's parameters; older PBKDF2 hashes upgrade on login."""

import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher, make_password

from portal.settings import base
from tests.factories import PASSWORD, ApplicantFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def real_hashers(settings):
    """The tests run with MD5 for speed; these use the production list."""
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_the_first_hasher_is_argon2id_with_at_least_owasps_parameters(real_hashers):
    encoded = make_password("Zq8!long-enough-secret")
    algorithm, variety, version, params, _salt, _hash = encoded.split("$")
    values = dict(part.split("=") for part in params.split(","))
    assert (algorithm, variety, version) == ("argon2", "argon2id", "v=19")
    # OWASP Password Storage Cheat Sheet: m ≥ 19 MiB with t ≥ 2 (p = 1).
    assert int(values["m"]) >= 19 * 1024
    assert int(values["t"]) >= 2
    assert check_password("Zq8!long-enough-secret", encoded)
    assert not check_password("Zq8!long-enough-secreT", encoded)


def test_one_password_check_costs_far_less_than_the_old_pbkdf2(real_hashers):
    encoded = make_password(PASSWORD)
    # CPU time of this process, not the wall clock: on a loaded machine waiting for a core is not the hash's cost.
    started = time.process_time()
    for _ in range(5):
        assert check_password(PASSWORD, encoded)
    per_check = (time.process_time() - started) / 5
    # ≥ 20 logins/s on 2 cores leaves ≤ 100 ms per check per core; 1,000,000 PBKDF2 rounds took 260 ms.
    assert per_check < 0.1


def test_a_pbkdf2_hash_is_upgraded_to_argon2id_on_the_next_login(client, real_hashers):
    user = ApplicantFactory()
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt1234567890", iterations=1000)
    user.save(update_fields=["password"])
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    wrong = client.post(
        LOGIN, {"username": user.username, "password": "wrong", "captcha_0": "k", "captcha_1": "PASSED"}
    )
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"  # a failed login rewrites nothing

    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "captcha_0": "k", "captcha_1": "PASSED"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, user.password)
