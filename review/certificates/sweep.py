"""The sweep: re-queue what was missed while the broker was down, for every kind."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from ..engine import all_kinds
from ..models import Certificate
from .issue import issue_certificate, queue_render

logger = logging.getLogger(__name__)

STALE_TEMP_SECONDS = 3600


def _clean_stale_temp_files() -> int:
    from django.core.files.storage import default_storage

    try:
        root = Path(default_storage.path("certificates"))
    except NotImplementedError:
        return 0
    if not root.is_dir():
        return 0
    cutoff = time.time() - STALE_TEMP_SECONDS
    removed = 0
    for tmp in root.rglob(".tmp-*"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def sweep(*, min_age_seconds: int = 120, limit: int = 500) -> dict[str, int]:
    """Re-queue what was missed (e.g. the broker was down at approval).

    * certificates without a PDF → render task;
    * objects in an approved state of a kind with certificates, without a
      certificate → issued now (which queues the render);
    * temporary files of killed renders older than an hour → removed.

    Only rows older than ``min_age_seconds`` are touched, so work in flight is
    not queued twice (doing so would still be harmless: everything is idempotent).
    """
    cutoff = timezone.now() - timedelta(seconds=min_age_seconds)
    pending = list(
        Certificate.objects.filter(Q(pdf="") | Q(pdf__isnull=True), created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pending:
        queue_render(pk)
    issued = 0
    for kind in all_kinds():
        if kind.certificate is None or not kind.approved_states:
            continue
        ct = ContentType.objects.get_for_model(kind.model)
        with_certificate = Certificate.objects.filter(content_type=ct).values("object_id")
        missing = (
            kind.objects()  # only this kind's rows of a model shared with other kinds
            .filter(state__in=list(kind.approved_states), updated_at__lte=cutoff)
            .exclude(pk__in=with_certificate)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in list(missing):
            if issue_certificate(kind.key, pk) is not None:
                issued += 1
    return {"rendering": len(pending), "issued": issued, "cleaned": _clean_stale_temp_files()}


@shared_task(
    name="review.tasks.sweep_certificates", acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300
)
def sweep_certificates() -> dict:
    """Re-queue certificates lacking a PDF and approved subjects lacking a certificate."""
    return sweep()
