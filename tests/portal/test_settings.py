"""Production settings refuse to start unsafe, and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(64)
IMPORT_PRODUCTION = (
    "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings.production'; "
    "django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"
)


def _run(code_or_args, **env_overrides) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "CAPTCHA_TEST_MODE", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(env_overrides)
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else [sys.executable, *code_or_args]
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def test_production_settings_load_with_key_and_hosts():
    result = _run(IMPORT_PRODUCTION, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="portal.example.cn")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG False"


def test_production_settings_refuse_without_secret_key():
    result = _run(IMPORT_PRODUCTION, ALLOWED_HOSTS="portal.example.cn")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set (50+ characters)." in result.stderr


@pytest.mark.parametrize("key", ["short-key", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"])
def test_production_settings_refuse_weak_or_development_key(key):
    result = _run(IMPORT_PRODUCTION, SECRET_KEY=key, ALLOWED_HOSTS="portal.example.cn")

    assert result.returncode != 0
    assert "SECRET_KEY must be set (50+ characters)." in result.stderr


def test_production_settings_refuse_without_allowed_hosts():
    result = _run(IMPORT_PRODUCTION, SECRET_KEY=GOOD_KEY)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set." in result.stderr


def test_production_settings_refuse_captcha_test_mode():
    result = _run(IMPORT_PRODUCTION, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="portal.example.cn", CAPTCHA_TEST_MODE="1")

    assert result.returncode != 0
    assert "CAPTCHA_TEST_MODE is refused in production." in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **{k: v for k, v in env.items() if k not in {"CAPTCHA_TEST_MODE", "DEBUG"}},
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "portal.example.cn",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_secure_cookies_hsts_and_staff_second_factor():
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings.production'; django.setup(); "
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.STAFF_OTP_REQUIRED_FOR_MINISTRY, s.CAPTCHA_TEST_MODE, s.SECURE_REDIRECT_EXEMPT)"
    )

    result = _run(code, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="portal.example.cn")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True 31536000 True False ['^healthz$']"
