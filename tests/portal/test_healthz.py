"""/healthz: database, cache and broker states for the container runtime."""

import json
import os

import pytest
from django.conf import settings
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def _expected_broker_state() -> str:
    return "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"


def test_healthz_reports_every_part_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": _expected_broker_state(),
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "down", "database": "ok", "cache": "ok", "broker": "down"}


@pytest.mark.integration
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the real Redis broker (REDIS_URL)")
def test_healthz_reaches_the_real_redis_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]

    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content)["broker"] == "ok"


def test_healthz_503_when_database_cursor_fails(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "down"
    assert body["database"] == "down"
    assert body["cache"] == "ok"


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
