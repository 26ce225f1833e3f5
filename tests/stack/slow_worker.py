"""A Celery worker with the stack's settings for the fault tests (``python -m tests.stack.slow_worker NAME [QUEUES]``).

It consumes the queues named (``python -m tests.stack.slow_worker NAME certificates``: the certificates
worker's, which the test stops first), or every queue.
``STACK_TEST_RENDER_DELAY`` (seconds) slows each certificate render down so that a test can
SIGKILL the worker in the middle of one; production code knows nothing of it.
"""

from __future__ import annotations

import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    import django

    django.setup()
    delay = float(os.environ.get("STACK_TEST_RENDER_DELAY") or 0)
    if delay > 0:
        from review.certificates import render

        original = render.html_to_pdf

        def slow_html_to_pdf(*args, **kwargs):
            time.sleep(delay)
            return original(*args, **kwargs)

        render.html_to_pdf = slow_html_to_pdf

    from portal.celery import app

    queues = ["-Q", sys.argv[2]] if len(sys.argv) > 2 else []  # else every queue (CELERY_TASK_QUEUES)
    app.worker_main(
        ["worker", "-l", "info", "-c", "1", "-P", "prefork", "-n", f"{sys.argv[1]}@%h", "--without-mingle", *queues]
    )


if __name__ == "__main__":
    main()
