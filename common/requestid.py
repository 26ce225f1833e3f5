"""A request id in every log line of a request and of the Celery tasks it starts.

* ``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes a valid incoming ``X-Request-ID``
  (nginx sets ``$request_id``: 32 hex digits) or makes one, keeps it in a context variable for
  the request and returns it in the response's ``X-Request-ID``.
* ``RequestIdFilter`` (on the handlers in ``settings.LOGGING``) puts it on every record as
  ``request_id`` (``"-"`` outside a request or task).
* Celery: ``before_task_publish`` copies it into the task's headers; ``task_prerun`` in the
  worker sets it from them for the task's log lines, ``task_postrun`` puts the previous one back.
  A task run eagerly inside the request keeps the request's id.

Chosen over django-guid: its Celery handlers give an eager task a new id and clear the
request's own when the task ends, so the request's later lines would lose theirs.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
TASK_HEADER = "request_id"
# nginx's $request_id (32 hex), a UUID with dashes, or another proxy's token of letters, digits, - _ .
_VALID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{7,63}$")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_task_tokens: dict[str, contextvars.Token] = {}


def get() -> str | None:
    """The id of the request or task being handled, or None."""
    return _current.get()


def new_id() -> str:
    return uuid.uuid4().hex


def is_valid(value: str | None) -> bool:
    return bool(value) and bool(_VALID.match(value))


def from_request(request) -> str:
    incoming = request.META.get(META_KEY, "").strip()
    return incoming if is_valid(incoming) else new_id()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = from_request(request)
        request.request_id = request_id
        # Not reset on the way out: Django logs a 4xx/5xx response (django.request) after the
        # middleware chain returns; request_finished clears it once the response is closed.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished, weak=False, dispatch_uid="common.requestid.finished")
def _request_finished(**kwargs) -> None:
    _current.set(None)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id``; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _current.get() or "-"
        return True


# --- Celery ------------------------------------------------------------------------------------


@before_task_publish.connect(weak=False, dispatch_uid="common.requestid.publish")
def _publish(headers=None, **kwargs) -> None:
    request_id = _current.get()
    if request_id and headers is not None and not headers.get(TASK_HEADER):
        headers[TASK_HEADER] = request_id


def _task_request_id(task) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    value = getattr(request, TASK_HEADER, None)
    if not value:
        headers = getattr(request, "headers", None) or {}
        value = headers.get(TASK_HEADER)
    return value if is_valid(value) else None


@task_prerun.connect(weak=False, dispatch_uid="common.requestid.prerun")
def _prerun(task_id=None, task=None, **kwargs) -> None:
    # From the publisher's headers; else the id already set (a task run eagerly in a request);
    # else a new one, so the lines of one task run still belong together.
    request_id = _task_request_id(task) or _current.get() or new_id()
    if task_id:
        _task_tokens[task_id] = _current.set(request_id)


@task_postrun.connect(weak=False, dispatch_uid="common.requestid.postrun")
def _postrun(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context (should not happen): just clear
            _current.set(None)
