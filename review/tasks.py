"""The review app's Celery tasks, where Celery's autodiscovery looks for them.

Each task lives with its concern (thin: ids in, re-fetch, call a service)."""

from .certificates.sweep import sweep_certificates
from .certificates.tasks import render_certificate
from .outbox.dispatch import dispatch_outbox

__all__ = ["dispatch_outbox", "render_certificate", "sweep_certificates"]
