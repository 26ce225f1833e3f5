import os

import celery._state as celery_state
import pytest
from django.core.cache import cache

from accounts import sms

# In CI's PostgreSQL stage (.ci/run) the services must be there: a test marked with one
# of these that would skip (no PostgreSQL, no Redis, a worker that cannot start) FAILS
# instead, so a drifted environment never goes green silently. Elsewhere they skip.
REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"
SERVICE_MARKERS = ("postgres", "integration")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (REQUIRE_SERVICES and report.skipped) or hasattr(report, "wasxfail"):
        return
    markers = [name for name in SERVICE_MARKERS if item.get_closest_marker(name) is not None]
    if not markers:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (
        f"{item.nodeid} is marked {'/'.join(markers)} and would have been skipped ({reason}); "
        "PORTAL_REQUIRE_SERVICES=1 requires the services it needs."
    )


@pytest.fixture(autouse=True)
def _clean_state(settings, tmp_path):
    """Each test starts with an empty cache, SMS outbox and private storage."""
    cache.clear()
    sms.outbox = []
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": "/private/"},
        },
    }
    yield
    cache.clear()
    # Celery's eager apply_async marks "a task is running" in one process-wide flag (denied_join_result:
    # save, set, restore). Tasks run eagerly from several threads at once (the race tests) restore each
    # other's saved value and can leave it set, after which every result.get() in the process raises
    # "Never call result.get() within a task!". No task runs between tests: clear it.
    celery_state._set_task_join_will_block(False)


@pytest.fixture
def sms_outbox():
    return sms.outbox


def last_sms_code(phone: str) -> str:
    for message in reversed(sms.outbox):
        if message.phone == phone and "code" in message.params:
            return message.params["code"]
    raise AssertionError(f"no SMS code sent to {phone}")
