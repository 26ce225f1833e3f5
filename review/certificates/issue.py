"""Issuing a certificate: one per approved subject, a number never reused, the PDF queued."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ..engine import get_kind
from ..engine.sequences import next_value
from ..models import Certificate, new_token
from ..outbox import handler
from .contract import CertificateSpec
from .lookup import qr_code
from .render import certificate_document
from .tasks import render_certificate
from .verify import public_details_snapshot

logger = logging.getLogger(__name__)

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_today():
    return timezone.localdate(timezone=BEIJING)


def issue_certificate(kind_key: str, pk: int) -> Certificate | None:
    """Issue the certificate of approved object ``pk`` of kind ``kind_key``; idempotent.

    One certificate per object (a database constraint): a second or concurrent
    call returns the existing one. The number comes from the kind's counter
    and is never reused. The PDF is rendered by a task queued after commit.
    Returns None when the kind issues no certificate or the object is not (or
    no longer) approved.
    """
    kind = get_kind(kind_key)
    provider = kind.certificate
    if provider is None:
        return None
    ct = ContentType.objects.get_for_model(kind.model)
    existing = Certificate.objects.filter(content_type=ct, object_id=pk).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        subject = kind.model._default_manager.filter(pk=pk).first()
        if subject is None:
            logger.warning("certificate: %s #%s does not exist", kind_key, pk)
            return None
        if subject.get_workflow_kind() != kind.key:
            # Kinds sharing a model (domestic filing, import review): never issue one kind's
            # certificate for another kind's subject.
            logger.warning("certificate: %s #%s is of kind %s; none issued", kind_key, pk, subject.get_workflow_kind())
            return None
        if kind.approved_states and subject.state not in kind.approved_states:
            logger.warning("certificate: %s #%s is %s, not approved; none issued", kind_key, pk, subject.state)
            return None
        with translation.override(settings.LANGUAGE_CODE):  # an official document: always in Chinese
            spec: CertificateSpec | None = provider.spec(subject)
        if spec is None:
            return None
        # Everything that takes time is prepared before the counter's row is locked.
        token = new_token()
        document = certificate_document(spec)
        document["qr"] = qr_code(token)
        public_details = public_details_snapshot(provider, subject)
        try:
            with transaction.atomic():
                number = spec.format_number(next_value(spec.sequence_key))
                certificate = Certificate.objects.create(
                    content_type=ct,
                    object_id=pk,
                    kind=kind.key,
                    number=number,
                    token=token,
                    organisation=spec.organisation,
                    province=spec.province or "",
                    title=spec.title[:200],
                    reference=spec.reference or "",
                    issuing_department=spec.issuing_department,
                    issued_on=beijing_today(),
                    document=document,
                    public_details=public_details,
                    public_details_at=timezone.now(),
                )
        except IntegrityError:
            # A concurrent call issued it first (the savepoint also gave the number back).
            existing = Certificate.objects.filter(content_type=ct, object_id=pk).first()
            if existing is None:
                raise
            return existing
        transaction.on_commit(lambda: queue_render(certificate.pk))
    logger.info("certificate %s issued for %s #%s", certificate.number, kind_key, pk)
    return certificate


@handler("certificate.issue")
def _handle_issue(payload: dict) -> None:
    issue_certificate(payload["kind"], int(payload["id"]))


def queue_render(certificate_id: int) -> None:
    """Ask a worker to render the PDF; if the broker is down the sweep will.

    On the embedded first run (``BACKGROUND_LOOP_TASKS``) the background loop renders it
    (review.certificates.background), not the request that issued it.
    """
    if getattr(settings, "BACKGROUND_LOOP_TASKS", False):
        return
    try:
        render_certificate.delay(certificate_id=certificate_id)
    except Exception as exc:  # broker unreachable, or an eager run that failed
        logger.warning("certificate %s: could not queue rendering (%s); the sweep will retry", certificate_id, exc)
