"""Request ids in responses, log lines and Celery tasks; JSON logs; the security log's retention."""

import contextlib
import json
import logging
import logging.config
import logging.handlers
import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from common import requestid
from portal.logging import MIN_SECURITY_LOG_DAYS, logging_config

BASE_DIR = Path(__file__).resolve().parents[2]


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(requestid.RequestIdFilter())
        self.seen = threading.Event()

    def emit(self, record):
        self.records.append(record)
        self.seen.set()


@contextlib.contextmanager
def captured(name: str):
    logger = logging.getLogger(name)
    handler = _Capture()
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@contextlib.contextmanager
def request_id(value: str):
    token = requestid._current.set(value)
    try:
        yield
    finally:
        requestid._current.reset(token)


# --- requests ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz")
    second = client.get("/no-such-page/")

    assert len(first["X-Request-ID"]) == 32 and int(first["X-Request-ID"], 16) >= 0
    assert second.status_code == 404 and second["X-Request-ID"] != first["X-Request-ID"]


@pytest.mark.django_db
def test_a_valid_incoming_request_id_from_nginx_is_kept_and_a_forged_one_replaced(client):
    nginx_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    kept = client.get("/healthz", headers={"X-Request-ID": nginx_id})
    replaced = client.get("/healthz", headers={"X-Request-ID": 'x"\n<script>' + "a" * 200})

    assert kept["X-Request-ID"] == nginx_id
    assert replaced["X-Request-ID"] != 'x"\n<script>' + "a" * 200
    assert requestid.is_valid(replaced["X-Request-ID"])


@pytest.mark.django_db
def test_a_log_line_written_during_a_request_carries_its_id(client):
    with captured("django.request") as lines:
        response = client.get("/no-such-page/", headers={"X-Request-ID": "abcdef0123456789abcdef0123456789"})

    refusal = [r for r in lines.records if getattr(r, "status_code", None) == 404]
    assert refusal, [r.getMessage() for r in lines.records]
    assert refusal[0].request_id == response["X-Request-ID"] == "abcdef0123456789abcdef0123456789"


def test_outside_a_request_the_id_is_a_dash():
    with captured("tests.requestid") as lines:
        logging.getLogger("tests.requestid").info("no request")

    assert lines.records[0].request_id == "-"


def test_the_settings_put_the_request_id_filter_on_every_handler(settings):
    assert settings.MIDDLEWARE[0] == "common.requestid.RequestIdMiddleware"
    for name, handler in settings.LOGGING["handlers"].items():
        assert "request_id" in handler["filters"], name


# --- JSON lines and the security file ----------------------------------------------------------


@pytest.fixture
def configured(tmp_path):
    """settings.LOGGING as production builds it (JSON, LOG_DIR), restored afterwards."""
    from django.conf import settings

    logging.config.dictConfig(logging_config(json_output=True, log_dir=tmp_path))
    try:
        yield tmp_path
    finally:
        for name in ("portal.security", "django.request", "axes", "django.security"):
            for handler in logging.getLogger(name).handlers:
                handler.close()
        logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_security_events_and_refusals_go_to_the_security_file_as_json_with_the_request_id(client, configured):
    from accounts import audit

    with request_id("feedfacefeedfacefeedfacefeedface"):
        audit.record("login.failed", target="13800000000")
    refused = client.get("/no-such-page/")
    client.get("/healthz")  # not a security event
    for handler in logging.getLogger("portal.security").handlers:
        handler.flush()

    lines = [json.loads(line) for line in (configured / "security.log").read_text(encoding="utf-8").splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("portal.security", "login.failed"),
        ("django.request", "Not Found: /no-such-page/"),
    ]
    assert lines[0]["request_id"] == "feedfacefeedfacefeedfacefeedface"
    assert lines[0]["action"] == "login.failed" and lines[0]["target"] == "13800000000"
    assert lines[1]["request_id"] == refused["X-Request-ID"]
    assert {"time", "level", "logger", "request_id", "message"} <= set(lines[0])


def test_the_security_file_rotates_at_midnight_and_keeps_more_than_six_months(tmp_path):
    config = logging_config(json_output=True, log_dir=tmp_path)
    handler = config["handlers"]["security_file"]

    assert handler["class"] == "logging.handlers.TimedRotatingFileHandler"
    assert handler["when"] == "midnight"
    assert handler["backupCount"] >= 190 == MIN_SECURITY_LOG_DAYS
    assert handler["filename"] == str(tmp_path / "security.log")
    with pytest.raises(ValueError):
        logging_config(log_dir=tmp_path, security_backup_days=30)


def test_production_settings_log_json_to_stdout_and_keep_the_security_file(tmp_path):
    code = (
        "import os, json, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings.production'; "
        "django.setup(); from django.conf import settings; import logging; "
        "h = settings.LOGGING['handlers']; "
        "print(json.dumps([h['console']['formatter'], h['console']['stream'], h['security_file']['backupCount'], "
        "h['security_file']['filename']])); "
        "logging.getLogger('portal.any').info('hello 世界')"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "LOG_JSON", "LOG_DIR"}}
    env.update(SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="portal.example.cn", LOG_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    first, second = result.stdout.strip().splitlines()
    assert json.loads(first) == ["json", "ext://sys.stdout", 190, str(tmp_path / "security.log")]
    line = json.loads(second)
    assert line["message"] == "hello 世界" and line["request_id"] == "-" and line["level"] == "INFO"


# --- Celery ------------------------------------------------------------------------------------


def test_a_task_run_eagerly_in_a_request_logs_its_id_and_leaves_it_to_the_request():
    from portal.celery import app

    @app.task(name="tests.portal.eager_request_id")
    def eager_task():
        logging.getLogger("tests.requestid").info("in the task")
        return requestid.get()

    with captured("tests.requestid") as lines, request_id("0123456789abcdef0123456789abcdef"):
        result = eager_task.delay()
        after = requestid.get()

    assert result.get() == "0123456789abcdef0123456789abcdef"
    assert lines.records[0].request_id == "0123456789abcdef0123456789abcdef"
    assert after == "0123456789abcdef0123456789abcdef"


def test_a_task_published_in_a_request_carries_its_id_through_the_broker_into_the_worker():
    """The real path: before_task_publish puts it in the message, a worker thread's task_prerun reads it."""
    from celery import current_app

    portal_app = current_app._get_current_object()
    # Not the current app: the portal's shared tasks must keep running on the portal's (eager) app after this test.
    app = Celery("tests-requestid", broker="memory://", backend="cache+memory://", set_as_current=False)
    app.conf.task_always_eager = False

    @app.task(name="tests.portal.worker_request_id")
    def worker_task():
        logging.getLogger("tests.requestid").info("in the worker")
        return requestid.get()

    try:
        with captured("tests.requestid") as lines:
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
                with request_id("c0ffee00c0ffee00c0ffee00c0ffee00"):
                    result = worker_task.delay()
                # published from here, run in the worker's own thread (its context starts empty)
                assert result.get(timeout=20) == "c0ffee00c0ffee00c0ffee00c0ffee00"
                untagged = worker_task.delay()  # published outside any request: the worker makes one
                other = untagged.get(timeout=20)
    finally:
        # start_worker makes its app the current one and the default of every other thread (a live server's)
        portal_app.set_current()
        portal_app.set_default()
    assert current_app._get_current_object() is portal_app
    seen = []
    thread = threading.Thread(target=lambda: seen.append(current_app._get_current_object()))
    thread.start()
    thread.join()
    assert seen == [portal_app]

    assert lines.records[0].request_id == "c0ffee00c0ffee00c0ffee00c0ffee00"
    assert requestid.is_valid(other) and other != "c0ffee00c0ffee00c0ffee00c0ffee00"
    assert requestid.get() is None


def test_the_celery_workers_own_handlers_get_the_request_id_and_json():
    """The worker's root handler (stderr or --logfile) is Celery's: after_setup_logger dresses it."""
    import io

    from celery.signals import after_setup_logger

    stream = io.StringIO()
    logger = logging.getLogger("tests.celery_root")
    logger.propagate = False
    logger.addHandler(logging.StreamHandler(stream))
    try:
        from django.test import override_settings

        with override_settings(LOG_JSON=True):
            after_setup_logger.send(
                sender=None, logger=logger, loglevel=logging.INFO, logfile=None, format="", colorize=False
            )
        with request_id("0badc0de0badc0de0badc0de0badc0de"):
            logger.warning("证照 rendered")
    finally:
        logger.handlers.clear()
        logger.propagate = True

    line = json.loads(stream.getvalue())
    assert line["request_id"] == "0badc0de0badc0de0badc0de0badc0de" and line["message"] == "证照 rendered"
