"""Rendering a certificate's PDF from its provider's template and storing it once."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.pdf import html_to_pdf

from ..models import Certificate
from .contract import CertificateProvider, CertificateSpec
from .lookup import has_pdf, kind_label, kind_of, provider_of, qr_code, verify_url, wording_of
from .notify import notify_holder
from .signing import sign_pdf

logger = logging.getLogger(__name__)


def pdf_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.issued_on:%Y}/{certificate.public_id}.pdf"


def certificate_document(spec: CertificateSpec) -> dict[str, Any]:
    """What the PDF prints besides the certificate's own fields, from the kind's spec (in Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(spec.kind_label or "")
        heading = str(spec.heading or "") or (f"{label}证明" if label else _("证照"))
        statement = str(spec.statement or "") or _(
            "经%(department)s审核，%(unit)s申报的《%(title)s》符合有关规定，准予%(kind)s，特此证明。"
        ) % {
            "department": spec.issuing_department,
            "unit": spec.organisation.name,
            "title": spec.title,
            "kind": label or _("备案"),
        }
        details = [[str(k), str(v)] for k, v in spec.details]
    return {"heading": heading, "kind_label": label, "statement": statement, "details": details}


def _document_now(certificate: Certificate) -> dict[str, Any]:
    """The document of a certificate issued before documents were kept: from the kind, now."""
    provider: CertificateProvider | None = provider_of(certificate)
    kind = kind_of(certificate)
    if provider is not None and kind is not None:
        subject = kind.model._default_manager.filter(pk=certificate.object_id).first()
        if subject is not None:
            with translation.override(settings.LANGUAGE_CODE):
                spec = provider.spec(subject)
            if spec is not None:
                return certificate_document(spec)
    label = kind_label(certificate)
    return {"heading": f"{label}证明", "kind_label": label, "statement": "", "details": []}


def _extra_rows(certificate: Certificate, rows: list) -> list[tuple[str, str]]:
    """The kind's detail rows, without those repeating what the certificate prints anyway
    (holder, name, reference and certificate numbers, department)."""
    printed = {
        certificate.organisation.name,
        certificate.title,
        certificate.reference,
        certificate.number,
        certificate.issuing_department,
    }
    return [(str(label), str(value)) for label, value in rows if str(value) not in printed]


def render_context(certificate: Certificate) -> dict[str, Any]:
    document = certificate.document or _document_now(certificate)
    url = verify_url(certificate)
    qr = document.get("qr") or {}
    if qr.get("url") != url:  # issued before QR codes were kept, or the site moved
        qr = qr_code(certificate.token)
    issued = certificate.issued_on
    return {
        "certificate": certificate,
        "heading": document["heading"],
        "kind_label": document["kind_label"],
        "statement": document["statement"],
        "organisation_name": certificate.organisation.name,
        "issued_on": f"{issued.year}年{issued.month}月{issued.day}日",
        "details": _extra_rows(certificate, document["details"]),
        "verify_url": url,
        "qr_data_uri": qr["data_uri"],
        "wording": wording_of(certificate),
    }


def template_name(certificate: Certificate) -> str:
    provider = provider_of(certificate)
    return provider.template_name if provider is not None else CertificateProvider.template_name


def render_html(certificate: Certificate) -> str:
    """The certificate's HTML, always in Chinese (the document is official, whoever triggers it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template_name(certificate), render_context(certificate))


def render_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF, signed (PAdES) with its issuing authority's key."""
    return sign_certificate_pdf(certificate, html_to_pdf(render_html(certificate)))[0]


def sign_certificate_pdf(certificate: Certificate, data: bytes) -> tuple[bytes, str]:
    """(signed PDF, signer subject); unsigned with "" for a kind no longer registered."""
    kind = kind_of(certificate)
    if kind is None:
        return data, ""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("%(department)s签发的电子证照 %(number)s") % {
            "department": certificate.issuing_department,
            "number": certificate.number,
        }
    return sign_pdf(data, authority=kind.authority, reason=reason)


def _write_file(certificate: Certificate, name: str, data: bytes) -> str:
    """Write ``data`` at ``name`` in private storage without ever leaving a half file.

    On the file system: a temporary file in the same folder renamed over the
    final name (atomic), so a killed worker leaves at most a stale temporary
    file (removed by the sweep) and a re-run replaces rather than adds. No
    fsync: a file cut short by a power loss fails ``has_pdf``'s size check and
    is rendered again. Other storages: delete, then save under the same name.
    """
    storage = certificate.pdf.storage
    try:
        final = Path(storage.path(name))
    except NotImplementedError:
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, ContentFile(data))
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=final.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return name


def render_and_store(certificate_id: int, *, force: bool = False) -> bool:
    """Render, sign and store the PDF of a certificate unless it exists; returns whether it rendered.

    Idempotent: exactly one file per certificate however often it runs. ``force``
    renders it again in place (same name, number and token: a new QR address),
    without telling the holder again.
    """
    certificate = Certificate.objects.select_related("organisation").filter(pk=certificate_id).first()
    if certificate is None or (has_pdf(certificate) and not force):
        return False
    url = verify_url(certificate)
    data, signer = sign_certificate_pdf(certificate, html_to_pdf(render_html(certificate)))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        first = not has_pdf(locked)
        if not first and not force:  # another run finished first
            return False
        locked.pdf.name = _write_file(locked, locked.pdf.name or pdf_name(locked), data)
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.pdf_size = len(data)
        locked.pdf_generated_at = timezone.now()
        locked.pdf_verify_url = url
        locked.pdf_signer = signer[:300]
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_size", "pdf_generated_at", "pdf_verify_url", "pdf_signer"])
        locked.organisation = certificate.organisation
        if first:
            notify_holder(locked, "ready")
    logger.info("certificate %s: PDF stored (%d bytes, QR %s)", locked.number, len(data), url)
    return True
