"""Re-rendering stored PDFs when the public address (SITE_URL) changes: same number, same
token, a QR code of the new address; the address each PDF encodes is recorded."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Certificate
from .lookup import verify_url_of
from .render import render_and_store


def stale_certificates(queryset: QuerySet[Certificate] | None = None) -> QuerySet[Certificate]:
    """Certificates whose stored PDF encodes another address than the current one (or none known)."""
    queryset = Certificate.objects.all() if queryset is None else queryset
    prefix = verify_url_of("x")[: -len("x/")]  # https://site/verify/
    return queryset.exclude(pdf="").exclude(pdf_verify_url__startswith=prefix)


def rerender(queryset: QuerySet[Certificate]) -> int:
    """Render the PDFs of ``queryset`` again in place; returns how many were rendered."""
    done = 0
    for pk in queryset.order_by("pk").values_list("pk", flat=True).iterator():
        if render_and_store(pk, force=True):
            done += 1
    return done
