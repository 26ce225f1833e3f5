"""``settings.LOGGING`` for every environment.

* Every line carries the request id (common.requestid): plain text in development,
  one JSON object per line on stdout in production (python-json-logger).
* Security events (the audit trail's ``portal.security`` lines: logins, lockouts, OTP failures,
  access refusals, staff actions; django-axes; ``django.security``) also go to
  ``<LOG_DIR>/security.log``, rotated at midnight and kept ``SECURITY_LOG_BACKUP_DAYS`` days
  (网络安全法 §21: at least 6 months).
"""

from __future__ import annotations

import logging
from pathlib import Path

SECURITY_LOGGER = "portal.security"
# 6 months is at most 184 days; 190 leaves a margin for a late rotation.
MIN_SECURITY_LOG_DAYS = 190
_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
_SECURITY_LOGGERS = (SECURITY_LOGGER, "axes", "django.security")
# Of django.request's lines, the refusals: 403, and 404 (another tenant's object is a 404).
_REFUSALS = {401, 403, 404}


class SecurityRecordFilter(logging.Filter):
    """On the security file: everything of the security loggers, of django.request only refusals."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request":
            return getattr(record, "status_code", None) in _REFUSALS
        return True


def logging_config(
    *,
    level: str = "INFO",
    json_output: bool = False,
    log_dir: str | Path | None = None,
    security_backup_days: int = MIN_SECURITY_LOG_DAYS,
) -> dict:
    if security_backup_days < MIN_SECURITY_LOG_DAYS:
        raise ValueError(f"security logs must be kept at least {MIN_SECURITY_LOG_DAYS} days")
    console_formatter = "json" if json_output else "plain"
    handlers: dict[str, dict] = {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": console_formatter,
            "filters": ["request_id"],
        },
    }
    security_handlers = ["console"]
    if log_dir:
        directory = Path(log_dir)
        directory.mkdir(parents=True, exist_ok=True)
        handlers["security_file"] = {
            "class": "logging.handlers.TimedRotatingFileHandler",
            "filename": str(directory / "security.log"),
            "when": "midnight",
            "backupCount": security_backup_days,
            "encoding": "utf-8",
            "utc": False,
            "delay": True,
            "formatter": "json",
            "filters": ["request_id", "security_only"],
        }
        security_handlers.append("security_file")
    handlers["console_errors"] = {**handlers["console"], "level": "ERROR"}
    loggers: dict[str, dict] = {
        # Server errors on the console; refusals (4xx warnings) only in the security file.
        "django.request": {
            "handlers": ["console_errors"] + security_handlers[1:],
            "level": "WARNING",
            "propagate": False,
        },
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    }
    for name in _SECURITY_LOGGERS:
        loggers[name] = {"handlers": security_handlers, "level": "INFO", "propagate": False}
    # django.security.* at WARNING and above are what Django logs (bad hosts, CSRF failures, …).
    loggers["django.security"]["level"] = "WARNING"
    # django-axes: lockouts are warnings (each failed login is audited as login.failed).
    loggers["axes"]["level"] = "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "common.requestid.RequestIdFilter"},
            "security_only": {"()": "portal.logging.SecurityRecordFilter"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": _FIELDS,
                "datefmt": "%Y-%m-%dT%H:%M:%S%z",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                "json_ensure_ascii": False,
            },
        },
        "handlers": handlers,
        "root": {"handlers": ["console"], "level": level},
        "loggers": loggers,
    }


def _json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    spec = logging_config()["formatters"]["json"]
    return JsonFormatter(
        spec["format"],
        datefmt=spec["datefmt"],
        rename_fields=spec["rename_fields"],
        json_ensure_ascii=spec["json_ensure_ascii"],
    )


def celery_logging(logger: logging.Logger, json_output: bool) -> None:
    """Celery's own handlers (the worker's stderr or --logfile): the request id, JSON if configured."""
    from common.requestid import RequestIdFilter

    for handler in logger.handlers:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
        if json_output:
            handler.setFormatter(_json_formatter())


def _connect_celery() -> None:
    from celery.signals import after_setup_logger, after_setup_task_logger

    def configure(logger=None, **kwargs):
        from django.conf import settings

        if logger is not None:
            celery_logging(logger, bool(getattr(settings, "LOG_JSON", False)))

    after_setup_logger.connect(configure, weak=False, dispatch_uid="portal.logging.celery")
    after_setup_task_logger.connect(configure, weak=False, dispatch_uid="portal.logging.celery_task")


_connect_celery()
