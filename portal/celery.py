import os

from celery import Celery

# Connects the signals that carry the request id into task headers and the worker's log lines.
import common.requestid  # noqa: F401
import portal.logging  # noqa: F401  (the worker's own log handlers get the id and JSON)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
