"""Against the running production stack (`make stack`): nginx → two gunicorn nodes, a Celery worker per queue, beat.

Run by .ci/run after `make stack` with PORTAL_STACK_URL set (skipped otherwise):
    make stack && PORTAL_STACK_URL=http://127.0.0.1:8480 .venv/bin/python -m pytest tests/stack; make stack-stop
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE = os.environ.get("PORTAL_STACK_URL", "").rstrip("/")
STATE = Path(os.environ.get("STACK_STATE", ROOT / "var" / "stack"))

pytestmark = pytest.mark.skipif(not BASE, reason="PORTAL_STACK_URL is not set (make stack first)")


def get(path: str, headers: dict | None = None):
    request = urllib.request.Request(BASE + path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_healthz_through_nginx_reports_database_cache_and_a_real_broker():
    status, headers, body = get("/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert headers["Server"] == "nginx"


def test_both_web_nodes_answer_behind_the_proxy():
    ports = os.environ.get("STACK_WEB_PORTS", "8481 8482").split()
    assert len(ports) == 2
    for port in ports:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200
            assert "gunicorn" in response.headers.get("Server", "")


def test_static_files_come_from_nginx_not_from_django():
    status, headers, body = get("/static/css/portal.css")
    assert status == 200
    assert b"{" in body
    assert headers.get_all("Cache-Control") == ["max-age=2592000", "public, immutable"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in headers  # Django (which sets CSP on everything) never saw it


def test_private_files_are_not_reachable_directly():
    for path in ("/protected/", "/protected/certificates/", "/private/"):
        status, _headers, _body = get(path)
        assert status == 404, path


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/verify/not-a-token/", "/no-such-page/"])
def test_security_headers_on_pages_and_errors(path):
    status, headers, body = get(path)
    assert status in (200, 404)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp or headers.get("X-Frame-Options") == "DENY"
    assert "debug" not in body.decode("utf-8", "replace").lower()[:2000] or status == 200
    assert "Traceback" not in body.decode("utf-8", "replace")


def test_the_celery_worker_of_the_stack_answers():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production"}
    env.update(
        {
            "SECRET_KEY": (STATE / "secret").read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "REDIS_URL": os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/6"),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/" + os.environ.get("STACK_DB", "portal_stack"),
        }
    )
    celery = str(Path(sys.executable).parent / "celery")
    out = subprocess.run(
        [celery, "-A", "portal", "inspect", "ping", "--timeout", "10"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    for queue in ("default", "certificates", "notifications"):
        assert f"stack-worker-{queue}@" in out.stdout, out.stdout + out.stderr
    assert out.stdout.count("pong") == 3
