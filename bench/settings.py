"""Settings of the benchmark (bench/run.py): the development settings with DEBUG off,
a bench-only URL module (adds a bare view beside the portal's own). The certificates
are those of real approved MCT filings (made with the test factories).

The database, private media and cache come from the environment that run.py sets
(a temporary SQLite file and folder). Celery tasks are not run eagerly here: the
benchmark times the rendering itself, so issuing a certificate only queues the
task on the in-memory broker, where nothing consumes it.
"""

from portal.settings.dev import *  # noqa: F403
from portal.settings.dev import env

DEBUG = False
ROOT_URLCONF = "bench.urls"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "memory://"
# One client address makes every request of the load test: measure the limiter's
# cost, never its refusals.
VERIFY_RATE_LIMIT_PER_MINUTE = int(env("VERIFY_RATE_LIMIT_PER_MINUTE", str(10**9)))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"captcha": {"level": "CRITICAL"}},
}
