"""Certificates (证照): issue, number, render, store, revoke, verify, sweep.

A programme implements :class:`CertificateProvider` (``contract``); the rest
of this package is the machinery, one module per concern:

* ``lookup`` — a subject's certificate, kind, verify URL, QR code, PDF presence;
* ``access`` — who may see, download and revoke;
* ``issue`` — one certificate per approved subject, its number, the render queued;
* ``render`` / ``tasks`` — the PDF from the provider's template, stored once;
* ``verify`` — the public page's snapshot of live data and its cache;
* ``life`` — the status life (暂扣 / 恢复 / 注销 / 失效); ``notify`` — telling the holder;
* ``signing`` — the PAdES signature; ``rerender`` — new PDFs when the public address moves;
* ``sweep`` — what a broker outage missed, for every kind;
* ``views`` / ``admin`` — 证照查看, downloads, the verify page, the staff list.
"""

from . import signing
from .access import can_change_status, can_revoke, can_view_certificate, visible_certificates
from .contract import CertificateError, CertificateProvider, CertificateSpec, Wording
from .issue import beijing_today, issue_certificate, queue_render
from .life import ACTIONS, StatusAction, actions_for, change_status, revoke_certificate
from .lookup import (
    certificate_for,
    certificates_by_subject,
    content_type_of,
    has_pdf,
    kind_label,
    kind_of,
    provider_of,
    qr_code,
    verify_url,
    verify_url_of,
    wording_of,
)
from .render import certificate_document, pdf_name, render_and_store, render_context, render_html, render_pdf
from .sweep import sweep, sweep_certificates
from .tasks import render_certificate
from .verify import (
    VERIFY_CACHE_SECONDS,
    invalidate_token,
    invalidate_verify_cache,
    public_details_snapshot,
    refresh_public_details,
    verify_cache_keys,
)

__all__ = [
    "ACTIONS",
    "StatusAction",
    "actions_for",
    "can_change_status",
    "change_status",
    "VERIFY_CACHE_SECONDS",
    "CertificateError",
    "CertificateProvider",
    "CertificateSpec",
    "Wording",
    "beijing_today",
    "can_revoke",
    "can_view_certificate",
    "certificate_document",
    "certificate_for",
    "certificates_by_subject",
    "content_type_of",
    "has_pdf",
    "invalidate_token",
    "invalidate_verify_cache",
    "issue_certificate",
    "kind_label",
    "kind_of",
    "pdf_name",
    "provider_of",
    "public_details_snapshot",
    "qr_code",
    "queue_render",
    "refresh_public_details",
    "render_and_store",
    "render_certificate",
    "render_context",
    "render_html",
    "render_pdf",
    "revoke_certificate",
    "signing",
    "sweep",
    "sweep_certificates",
    "verify_cache_keys",
    "verify_url",
    "verify_url_of",
    "visible_certificates",
    "wording_of",
]
