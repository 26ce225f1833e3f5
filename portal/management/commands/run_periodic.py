"""Run the portal's periodic jobs without Celery beat (the embedded first run).

Each periodic job is a management command of its own app; this command calls
those that exist, once, or with ``--loop`` every N seconds (default 60).
A job with a longer period (``PERIODS``) runs on the first pass and then
again once its period has elapsed. One job's failure is logged and does not
stop the others or the loop.

In the production stack Celery beat schedules the same jobs as tasks
(``CELERY_BEAT_SCHEDULE``); both paths call the same services.
"""

from __future__ import annotations

import argparse
import io
import logging
import signal
import time
from collections.abc import Callable

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from review.certificates import background

logger = logging.getLogger("portal.periodic")

# Job (management command) → minimum seconds between two runs.
PERIODS: dict[str, int] = {
    "dispatch_outbox": 60,
    "sweep_certificates": 300,
    "purge_sms_codes": 3600,
    "send_deadline_reminders": 3600,
    "open_quarter": 3600,
    "close_rounds": 600,
    "publish_results": 600,
    "refresh_inspections": 3600,
    "purge_uploads": 3600,
}
JOBS: tuple[str, ...] = tuple(PERIODS)


def available_jobs() -> list[str]:
    """The periodic jobs whose management command is defined (in the order of ``JOBS``)."""
    commands = get_commands()
    return [name for name in JOBS if name in commands]


def run_job(name: str, stdout=None) -> bool:
    """Run one job; log and swallow its exception. Returns whether it succeeded.

    The job's own output goes to ``stdout`` when given, otherwise to the DEBUG log.
    """
    started = time.monotonic()
    out = stdout if stdout is not None else io.StringIO()
    try:
        call_command(name, stdout=out)
    except Exception:  # one broken job must not stop the others
        logger.exception("periodic job %s failed after %.2fs", name, time.monotonic() - started)
        return False
    if stdout is None and out.getvalue().strip():
        logger.debug("periodic job %s: %s", name, out.getvalue().strip())
    logger.info("periodic job %s done in %.2fs", name, time.monotonic() - started)
    return True


class Command(BaseCommand):
    help = (
        "运行所有定时任务一次（--loop 则每 N 秒一次）。"
        " Run every periodic job once, or with --loop every N seconds (default 60)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            nargs="?",
            type=int,
            const=60,
            default=None,
            metavar="SECONDS",
            help="keep running, one pass every SECONDS (default 60)",
        )
        parser.add_argument("--only", action="append", default=[], metavar="JOB", help="run only this job (repeatable)")
        parser.add_argument("--passes", type=int, default=0, help=argparse.SUPPRESS)

    def handle(self, *args, loop: int | None, only: list[str], passes: int, **options):
        self.verbose = options["verbosity"] > 1
        jobs = available_jobs()
        missing = [name for name in only if name not in JOBS]
        if missing:
            raise CommandError(f"unknown job(s): {', '.join(missing)}; known: {', '.join(JOBS)}")
        if only:
            jobs = [name for name in jobs if name in only]
        skipped = [name for name in JOBS if name not in jobs and (not only or name in only)]
        if skipped:
            logger.info("periodic jobs not defined (skipped): %s", ", ".join(skipped))
        if not jobs:
            self.stdout.write("run_periodic: no periodic job is defined yet")
            return
        if loop is None:
            failed = self._pass(jobs, last_run={}, now=time.monotonic())
            self.stdout.write(f"run_periodic: ran {len(jobs)} job(s), {len(failed)} failed")
            if failed:  # every job has run; the exit status tells cron something failed
                raise CommandError(f"run_periodic: failed: {', '.join(failed)}")
            return
        if loop < 1:
            raise CommandError("--loop needs at least 1 second")
        self._loop(jobs, loop, passes)

    def _pass(self, jobs: list[str], last_run: dict[str, float], now: float) -> list[str]:
        # A long-running loop must not keep a broken or stale connection (never inside a
        # transaction: a caller's atomic block, such as a test's, keeps its connection).
        if not connection.in_atomic_block:
            close_old_connections()
        failed = []
        for name in jobs:
            previous = last_run.get(name)
            if previous is not None and now - previous < PERIODS[name]:
                continue
            last_run[name] = now
            if not run_job(name, stdout=self.stdout if self.verbose else None):
                failed.append(name)
        return failed

    def _loop(self, jobs: list[str], interval: int, passes: int) -> None:
        stop: list[bool] = []
        _install_stop_handler(lambda *unused: stop.append(True))
        self.stdout.write(f"run_periodic: {', '.join(jobs)} every {interval}s (Ctrl+C to stop)")
        last_run: dict[str, float] = {}
        count = 0
        while not stop:
            started = time.monotonic()
            # A job's own period is never shorter than the loop's interval.
            self._pass(jobs, last_run, now=started)
            count += 1
            if passes and count >= passes:
                break
            deadline = started + interval
            while not stop and time.monotonic() < deadline:
                # The embedded first run: what requests left to this loop (outbox, PDFs), about every second.
                if background.deferred():
                    _run_pending()
                time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        self.stdout.write("run_periodic: stopped")


def _run_pending() -> None:
    """One pass of review.certificates.background; its failure is logged and the loop goes on."""
    try:
        if not connection.in_atomic_block:
            close_old_connections()
        done = background.run_pending()
    except Exception:
        logger.exception("background work failed")
        return
    if any(done.values()):
        logger.info("background work: %s", done)


def _install_stop_handler(handler: Callable) -> None:
    try:
        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread (tests)
        pass
