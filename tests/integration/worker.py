"""A Celery worker for the integration tests (``python -m tests.integration.worker``).

Started by tests/integration/test_celery_worker.py on the test database and a
queue of its own. ``CERTS_IT_RENDER_DELAY`` (seconds) slows every certificate
render down so a test can kill the worker mid-render; production code knows
nothing of it.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def _slow_down_rendering(delay: float) -> None:
    from review.certificates import render

    # render_and_store turns the HTML into a PDF with this name, then signs it: slow that step.
    original = render.html_to_pdf

    def slow_html_to_pdf(*args, **kwargs):
        time.sleep(delay)
        return original(*args, **kwargs)

    render.html_to_pdf = slow_html_to_pdf


def main() -> None:
    from portal.celery import app

    app.conf.task_default_queue = os.environ["CERTS_IT_QUEUE"]
    app.conf.task_routes = {}  # what it sends on (a render after a dispatch) stays on its own queue
    app.conf.task_always_eager = False  # the test settings run tasks in-process; this worker sends them on
    # Messages of a killed worker come back after this many seconds (default: one hour).
    # kombu sweeps for them every unacked_restore_interval × unacked_restore_throttle
    # seconds (100 s by default): every second here.
    app.conf.broker_transport_options = {
        "visibility_timeout": float(os.environ["CERTS_IT_VISIBILITY"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    delay = float(os.environ.get("CERTS_IT_RENDER_DELAY") or 0)
    if delay > 0:
        import django

        django.setup()
        _slow_down_rendering(delay)
    app.worker_main(
        [
            "worker",
            "-l",
            "info",
            "-c",
            "1",
            "-P",
            "prefork",
            "-Q",
            os.environ["CERTS_IT_QUEUE"],
            "-n",
            f"certs-it-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )


if __name__ == "__main__":
    main()
