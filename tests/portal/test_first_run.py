"""`make run`'s settings (portal.settings.run): a newcomer's first run shows the portal's own pages (issue 12).

A mistyped /verify/ token used to show Django's debug 404 with the list of every URL. The run
settings are loaded as `make run` loads them — in a fresh process, on a fresh SQLite file —
and asked through Django's test client.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, os, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment

result = {
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "whitenoise": "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE,
    "use_finders": getattr(settings, "WHITENOISE_USE_FINDERS", False),
    "background": settings.BACKGROUND_LOOP_TASKS,
}
if os.environ.get("PROBE_REQUESTS"):
    call_command("migrate", verbosity=0, interactive=False)
    setup_test_environment()
    client = Client(HTTP_HOST=os.environ["PROBE_HOST"])
    static = client.get("/static/css/portal.css")
    body = b"".join(static.streaming_content) if static.streaming else static.content
    missing = client.get("/verify/mistyped-token-123/")
    home = client.get("/")
    result.update(
        static_status=static.status_code,
        static_by=type(static).__module__,
        static_css=body[:200].decode(errors="replace"),
        static_cache=static.get("Cache-Control", ""),
        missing_status=missing.status_code,
        missing_html=missing.content.decode(),
        home_status=home.status_code,
    )
print(json.dumps(result))
"""


def probe(tmp_path, *, requests: bool = False, **env_overrides) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "SITE_URL"}
        and not k.startswith("PYTEST")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.run",
        SQLITE_PATH=str(tmp_path / "first-run.sqlite3"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        LOG_LEVEL="ERROR",
        HOST="192.0.2.7",
        PORT="8133",
        PROBE_HOST="192.0.2.7:8133",
    )
    if requests:
        env["PROBE_REQUESTS"] = "1"
    env.update(env_overrides)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    return probe(tmp_path_factory.mktemp("first-run"), requests=True)


def test_first_run_has_debug_off_and_hosts_from_host(first_run):
    assert first_run["DEBUG"] is False
    assert "192.0.2.7" in first_run["ALLOWED_HOSTS"]
    assert first_run["background"] is True


def test_first_run_serves_static_files_through_whitenoise(first_run):
    assert first_run["whitenoise"] and first_run["use_finders"]
    assert first_run["static_status"] == 200
    assert first_run["static_by"].startswith("whitenoise")
    assert "--portal-red" in first_run["static_css"]


def test_a_mistyped_verify_token_shows_the_portal_404_without_the_url_list(first_run):
    html = first_run["missing_html"]

    assert first_run["missing_status"] == 404
    assert "页面不存在" in html and "返回首页" in html
    assert "网络文化与视听节目备案申报门户" in html  # the portal's layout, neutral for a visitor
    # Not Django's debug page: no URL patterns, no settings hint.
    assert "URLconf" not in html and "Django tried these URL patterns" not in html
    assert "DEBUG = True" not in html and "verify/&lt;str:token&gt;/" not in html


def test_first_run_home_page_answers(first_run):
    assert first_run["home_status"] == 200


def test_developers_get_debug_with_debug_1(tmp_path):
    result = probe(tmp_path, DEBUG="1")

    assert result["DEBUG"] is True


def test_every_interface_allows_any_host_and_a_broker_keeps_the_worker_path(tmp_path):
    assert probe(tmp_path, HOST="0.0.0.0")["ALLOWED_HOSTS"] == ["*"]
    assert probe(tmp_path, ALLOWED_HOSTS="portal.example.cn")["ALLOWED_HOSTS"] == ["portal.example.cn"]
    # With Redis the Celery worker does the side effects; nothing is left to the loop.
    assert probe(tmp_path, REDIS_URL="redis://127.0.0.1:6399/9")["background"] is False


def test_production_and_test_settings_keep_their_own_paths():
    """Only make run defers side effects and finds static files itself: production collects them, tests run eagerly."""
    from django.conf import settings

    assert settings.BACKGROUND_LOOP_TASKS is False and settings.CELERY_TASK_ALWAYS_EAGER is True
    code = (
        "import os, django, json; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings.production'; django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps([s.DEBUG, s.BACKGROUND_LOOP_TASKS, getattr(s, 'WHITENOISE_USE_FINDERS', False),"
        " s.STORAGES['staticfiles']['BACKEND']]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "REDIS_URL"}}
    env.update(SECRET_KEY="x" * 64, ALLOWED_HOSTS="portal.example.cn", CAPTCHA_TEST_MODE="0")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        False,
        False,
        False,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
