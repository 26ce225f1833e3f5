"""run_periodic: every periodic job once or in a loop; a failing job does not stop the others."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import SmsCode
from accounts.tasks import purge_sms_codes
from portal.management.commands import run_periodic

pytestmark = pytest.mark.django_db


def _sms_code(age: timedelta) -> SmsCode:
    created = timezone.now() - age
    return SmsCode.objects.create(
        phone="13800000009",
        purpose="login",
        code_hash="x",
        created_at=created,
        expires_at=created + timedelta(minutes=5),
    )


@pytest.fixture
def old_and_fresh_codes():
    return _sms_code(timedelta(days=8)), _sms_code(timedelta(hours=1))


def _phones_left() -> list[int]:
    return sorted(SmsCode.objects.values_list("pk", flat=True))


def test_run_periodic_runs_every_defined_job_once(old_and_fresh_codes):
    old, fresh = old_and_fresh_codes
    out = StringIO()

    call_command("run_periodic", stdout=out)

    defined = [name for name in run_periodic.JOBS if name in get_commands()]
    assert "purge_sms_codes" in defined
    assert out.getvalue() == f"run_periodic: ran {len(defined)} job(s), 0 failed\n"
    assert _phones_left() == [fresh.pk]


def test_run_periodic_skips_jobs_not_defined(monkeypatch, caplog, old_and_fresh_codes):
    monkeypatch.setattr(run_periodic, "JOBS", ("no_such_job", "purge_sms_codes"))
    monkeypatch.setattr(run_periodic, "PERIODS", {"no_such_job": 60, "purge_sms_codes": 60})
    out = StringIO()

    with caplog.at_level(logging.INFO, logger="portal.periodic"):
        call_command("run_periodic", stdout=out)

    assert out.getvalue() == "run_periodic: ran 1 job(s), 0 failed\n"
    assert "periodic jobs not defined (skipped): no_such_job" in caplog.messages


def test_run_periodic_failing_job_does_not_stop_the_others(monkeypatch, caplog, old_and_fresh_codes):
    # sqlmigrate without its arguments raises CommandError: a real failing command.
    monkeypatch.setattr(run_periodic, "JOBS", ("sqlmigrate", "purge_sms_codes"))
    monkeypatch.setattr(run_periodic, "PERIODS", {"sqlmigrate": 60, "purge_sms_codes": 60})
    old, fresh = old_and_fresh_codes

    with caplog.at_level(logging.INFO, logger="portal.periodic"), pytest.raises(CommandError) as excinfo:
        call_command("run_periodic", stdout=StringIO())

    assert str(excinfo.value) == "run_periodic: failed: sqlmigrate"
    assert _phones_left() == [fresh.pk]  # the job after the failing one still ran
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage().split(" failed after")[0] for r in failures] == ["periodic job sqlmigrate"]
    assert failures[0].exc_info is not None  # the traceback is logged


def test_run_periodic_only_runs_the_named_job(caplog):
    with caplog.at_level(logging.INFO, logger="portal.periodic"):
        call_command("run_periodic", only=["purge_sms_codes"], stdout=StringIO())

    done = [m.split(" done")[0] for m in caplog.messages if " done in " in m]
    assert done == ["periodic job purge_sms_codes"]


def test_run_periodic_unknown_job_name_is_an_error():
    with pytest.raises(CommandError, match="unknown job"):
        call_command("run_periodic", only=["make_coffee"])


def test_run_periodic_loop_respects_each_jobs_period(monkeypatch, caplog):
    monkeypatch.setattr(run_periodic, "JOBS", ("purge_sms_codes", "dispatch_outbox"))
    # purge every pass, the other at most once an hour
    monkeypatch.setattr(run_periodic, "PERIODS", {"purge_sms_codes": 1, "dispatch_outbox": 3600})
    out = StringIO()

    with caplog.at_level(logging.INFO, logger="portal.periodic"):
        call_command("run_periodic", loop=1, passes=2, stdout=out)

    done = [m.split(" done")[0] for m in caplog.messages if " done in " in m]
    expected = ["periodic job purge_sms_codes", "periodic job dispatch_outbox", "periodic job purge_sms_codes"]
    if "dispatch_outbox" not in get_commands():
        expected.remove("periodic job dispatch_outbox")
    assert done == expected
    assert out.getvalue().splitlines()[-1] == "run_periodic: stopped"


def test_run_periodic_loop_needs_a_positive_interval():
    with pytest.raises(CommandError, match="at least 1 second"):
        call_command("run_periodic", loop=0)


def test_purge_sms_codes_command_deletes_codes_older_than_a_week(old_and_fresh_codes):
    old, fresh = old_and_fresh_codes
    out = StringIO()

    call_command("purge_sms_codes", stdout=out)

    assert out.getvalue() == "purge_sms_codes: deleted 1\n"
    assert _phones_left() == [fresh.pk]


def test_purge_sms_codes_task_is_scheduled_and_idempotent(old_and_fresh_codes):
    old, fresh = old_and_fresh_codes

    first = purge_sms_codes.apply(kwargs={"days": 7}).get()
    second = purge_sms_codes.apply(kwargs={"days": 7}).get()

    assert (first, second) == (1, 0)
    assert _phones_left() == [fresh.pk]
    assert settings.CELERY_BEAT_SCHEDULE["purge-expired-sms-codes"]["task"] == purge_sms_codes.name
    assert purge_sms_codes.name == "accounts.tasks.purge_sms_codes"


def test_every_beat_task_is_also_a_periodic_command():
    """CELERY_BEAT_SCHEDULE (production) and run_periodic (embedded run) run the same jobs."""
    commands = get_commands()
    beat_jobs = [entry["task"].rsplit(".", 1)[-1] for entry in settings.CELERY_BEAT_SCHEDULE.values()]

    assert [job for job in beat_jobs if job not in run_periodic.JOBS or job not in commands] == []


def test_every_defined_periodic_command_is_scheduled_in_beat():
    beat_jobs = {entry["task"].rsplit(".", 1)[-1] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert [job for job in run_periodic.available_jobs() if job not in beat_jobs] == []
