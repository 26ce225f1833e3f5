"""Reading certificates: of a subject, of a list, their kind, URL, QR code and PDF."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from ..engine import Kind, find_kind
from ..models import Certificate
from .contract import CertificateProvider, Wording
from .qr import qr_data_uri


def content_type_of(obj: Model) -> ContentType:
    return ContentType.objects.get_for_model(type(obj))


def certificate_for(obj: Model) -> Certificate | None:
    """The certificate of an approved object, if one was issued."""
    return Certificate.objects.filter(content_type=content_type_of(obj), object_id=obj.pk).first()


def certificates_by_subject(objects: Iterable[Model]) -> dict[int, Certificate]:
    """{object pk: certificate} for a list of objects of one model (one query), for list pages."""
    objects = list(objects)
    if not objects:
        return {}
    ct = content_type_of(objects[0])
    certs = Certificate.objects.filter(content_type=ct, object_id__in=[o.pk for o in objects])
    return {c.object_id: c for c in certs}


def verify_url_of(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/verify/{token}/"


def verify_url(certificate: Certificate) -> str:
    return verify_url_of(certificate.token)


def qr_code(token: str) -> dict[str, str]:
    """The QR code of a certificate's verify URL, made once when it is issued (kept in its document)."""

    url = verify_url_of(token)
    return {"url": url, "data_uri": qr_data_uri(url)}


def kind_of(certificate: Certificate) -> Kind | None:
    return find_kind(certificate.kind)


def provider_of(certificate: Certificate) -> CertificateProvider | None:
    kind = kind_of(certificate)
    return kind.certificate if kind is not None else None


def wording_of(certificate: Certificate) -> Wording:
    provider = provider_of(certificate)
    return provider.wording if provider is not None else Wording()


def kind_label(certificate: Certificate) -> str:
    kind = kind_of(certificate)
    return str(kind.label) if kind is not None else certificate.kind


def has_pdf(certificate: Certificate) -> bool:
    """Is the certificate's PDF stored and non-empty?"""
    name = certificate.pdf.name
    if not name:
        return False
    storage = certificate.pdf.storage
    try:
        size = storage.size(name) if storage.exists(name) else 0
    except OSError:
        return False
    # A file cut short (e.g. by a power loss after the rename) is rendered again.
    return size > 0 and (certificate.pdf_size is None or size == certificate.pdf_size)
