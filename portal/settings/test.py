"""Test settings: fast hashing, locmem SMS/email, captcha test mode."""

from .base import *  # noqa: F403
from .base import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = "accounts.sms.backends.locmem.SmsBackend"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CAPTCHA_TEST_MODE = True
if not env("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
LANGUAGE_CODE = "zh-hans"
# A minimal reviewable model for the tests of the review machinery (tests/review).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.review.reviewtestapp", "tests.review.certtestapp"]  # noqa: F405

# Tasks run in-process in tests even when REDIS_URL is set (Redis is then the
# real cache); the integration tests start a real worker and switch this off
# for themselves.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://"  # noqa: F405

# Parallel test workers (pytest-xdist) each get their own Redis database, since
# cache.clear() empties a whole database.
_worker = env("PYTEST_XDIST_WORKER")
if REDIS_URL and _worker:  # noqa: F405
    import urllib.parse as _up

    _parts = _up.urlsplit(REDIS_URL)  # noqa: F405
    _base = int((_parts.path or "/15").strip("/") or 15)
    _db = max(0, _base - int(_worker.removeprefix("gw") or 0))
    CACHES["default"]["LOCATION"] = _up.urlunsplit(_parts._replace(path=f"/{_db}"))  # noqa: F405

# The statistics pages' tables are cached in production (supervision.statistics.cache); tests that
# change data behind the engine's back read the figures afresh (tests of the cache switch it on).
STATISTICS_CACHE_SECONDS = 0
