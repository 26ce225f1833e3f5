"""注销: revoking a certificate (ministry staff, with a reason, audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from ..enums import CertificateStatus
from ..models import Certificate
from .access import can_revoke
from .contract import CertificateError
from .notify import notify_holder
from .verify import invalidate_token


def revoke_certificate(certificate: Certificate, *, actor: Any, reason: str, request=None) -> Certificate:
    """注销: ministry staff only, with a reason; audited; the verify page shows it at once."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("请填写注销原因。"))
    if not can_revoke(actor, certificate):
        raise CertificateError(_("只有部级工作人员可以注销证照。"))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().select_related("organisation").get(pk=certificate.pk)
        if locked.status == CertificateStatus.REVOKED:
            raise CertificateError(_("该证照已注销。"))
        locked.status = CertificateStatus.REVOKED
        locked.revoked_reason = reason[:500]
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["status", "revoked_reason", "revoked_at", "revoked_by"])
        audit.record(
            "certificate.revoked",
            request=request,
            actor=actor,
            target=locked.number,
            certificate=locked.public_id,
            reason=locked.revoked_reason,
        )
        notify_holder(locked, "revoked")
        invalidate_token(locked.token)
    return locked
