"""Certificates through a real Celery worker on the real Redis broker and PostgreSQL.

Run with, e.g.::

    REDIS_URL=redis://127.0.0.1:6379/14 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres PORTAL_TEST_DB_NAME=test_certs \\
    .venv/bin/python -m pytest -q -m integration tests/integration/test_celery_worker.py

The worker is a subprocess (``python -m tests.integration.worker``) on the test database
pytest-django created, on a queue of its own; the test commits for real
(transactional test) so the worker sees the rows.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app
from review import certificates as certs
from review.engine import perform
from review.models import Certificate
from tests.factories import StaffFactory
from tests.review.certtestapp.factories import ProgrammeFactory, certificate_files
from tests.review.certtestapp.workflow import KIND

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _real_stack_only():
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and DATABASE_URL (PostgreSQL)")


@pytest.fixture
def queue():
    """A queue of our own, so no other worker on the same Redis takes our tasks; tasks go to the broker."""
    name = f"certs-it-{uuid.uuid4().hex[:8]}"
    old = celery_app.conf.task_default_queue, celery_app.conf.task_always_eager, celery_app.conf.task_routes
    celery_app.conf.task_default_queue = name
    celery_app.conf.task_always_eager = False  # the test settings run tasks in-process
    one_queue_only(celery_app)  # not to the stack's certificates/notifications queues (CELERY_TASK_ROUTES)
    yield name
    celery_app.conf.task_default_queue, celery_app.conf.task_always_eager, celery_app.conf.task_routes = old
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


def one_queue_only(app) -> None:
    """Every task to the default queue: no routes, and the app's cached router made again."""
    app.conf.task_routes = {}
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


class Worker:
    def __init__(self, queue: str, log: Path, *, render_delay: float = 0, visibility: float = 3600):
        db = settings.DATABASES["default"]
        database_url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": database_url,
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            "SITE_URL": settings.SITE_URL,
            "CERTS_IT_RENDER_DELAY": str(render_delay),  # tests/integration/worker.py
            "CERTS_IT_QUEUE": queue,
            "CERTS_IT_VISIBILITY": str(visibility),
            "PYTHONPATH": str(ROOT),
        }
        env.pop("PORTAL_TEST_DB_NAME", None)
        self.log = log
        self._out = open(log, "ab")  # closed in stop() or kill()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.worker"],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool children die with it
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, needle: str, *, count: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.text().count(needle) >= count:
                return
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited:\n{self.text()[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {needle!r}:\n{self.text()[-3000:]}")

    def kill(self) -> None:
        """kill -9 the worker and its pool processes (the group we started)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._out.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if not self._out.closed:
            self._out.close()


@pytest.fixture
def workers():
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def wait_for_pdf(certificate_id: int, timeout: float = 90) -> Certificate:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        certificate = Certificate.objects.get(pk=certificate_id)
        if certs.has_pdf(certificate):
            return certificate
        time.sleep(0.3)
    raise AssertionError("no PDF in time")


def wait_for_certificate(object_id: int, timeout: float = 60) -> Certificate:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        certificate = Certificate.objects.filter(object_id=object_id).first()
        if certificate is not None:
            return certificate
        time.sleep(0.2)
    raise AssertionError("no certificate in time")


def test_approval_produces_a_certificate_pdf_through_the_worker(queue, workers, tmp_path):
    worker = Worker(queue, tmp_path / "worker.log")
    workers.append(worker)
    worker.wait_for("ready.")
    official = StaffFactory(profile__province="430000")
    programme = ProgrammeFactory(state="submitted", name="湘江夜话")

    perform(programme, "approve", actor=official)  # commits: the outbox kick goes to the broker

    certificate = wait_for_pdf(wait_for_certificate(programme.pk).pk)
    assert certificate.number == "网演备〔2026〕湘字第000001号"
    assert certificate.kind == KIND
    assert [f.name for f in certificate_files(settings.PRIVATE_MEDIA_ROOT)] == [f"{certificate.public_id}.pdf"]
    log = worker.text()
    assert "Task review.tasks.dispatch_outbox[" in log
    assert "Task review.tasks.render_certificate[" in log and "succeeded" in log


def test_worker_killed_mid_render_still_yields_one_certificate_and_one_file(queue, workers, tmp_path):
    first = Worker(queue, tmp_path / "worker1.log", render_delay=30, visibility=3)
    workers.append(first)
    first.wait_for("ready.")
    programme = ProgrammeFactory(name="被中断的渲染")
    certificate = certs.issue_certificate(KIND, programme.pk)  # commits; the render task is queued
    first.wait_for("Task review.tasks.render_certificate[")  # received: now rendering (slowly)
    time.sleep(1.5)
    first.kill()
    assert not certs.has_pdf(Certificate.objects.get(pk=certificate.pk))
    assert certificate_files(settings.PRIVATE_MEDIA_ROOT) == []

    # The late-acked message was not lost: a new worker gets it back (after the
    # visibility timeout); the sweep queues the same render once more.
    second = Worker(queue, tmp_path / "worker2.log", visibility=3)
    workers.append(second)
    second.wait_for("ready.")
    certs.sweep(min_age_seconds=0)
    rendered = wait_for_pdf(certificate.pk)
    # The killed task itself is redelivered (late ack) once Redis' visibility timeout
    # has passed; wait for that very task id, not just any "succeeded" line (the
    # sweep's render and outbox dispatches succeed too, sooner).
    killed_task = first.text().split("Task review.tasks.render_certificate[", 1)[1].split("]", 1)[0]
    second.wait_for(f"Task review.tasks.render_certificate[{killed_task}] succeeded", timeout=90)

    assert Certificate.objects.filter(object_id=programme.pk).count() == 1
    assert [f.name for f in certificate_files(settings.PRIVATE_MEDIA_ROOT)] == [f"{rendered.public_id}.pdf"]
    assert Path(rendered.pdf.path).read_bytes().startswith(b"%PDF-")
