"""The public verify page's data: a snapshot of the subject's live public details per
language, refreshed after every transition that may change it, and its cache.

The rows come from the kind's provider (``public_details``) and are kept on the
certificate, so the page needs one query on a cache miss however many tables
they come from.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, Q
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..engine import Kind, all_kinds, transition_committed
from ..models import Certificate
from .contract import CertificateProvider
from .lookup import content_type_of, kind_of

logger = logging.getLogger(__name__)

VERIFY_CACHE_SECONDS = 600


def verify_cache_keys(token: str) -> list[str]:
    """Every cache key of one certificate's verification page (data and pages, each language)."""
    keys = []
    for code, _name in settings.LANGUAGES:
        keys.append(f"verify:data:{token}:{code}")
        keys.extend(f"verify:page:{token}:{code}:{legacy}" for legacy in (0, 1))
    return keys


def invalidate_token(token: str) -> None:
    """Drop the cached verification page now and again after commit (a reader in between
    could have cached the old state)."""
    keys = verify_cache_keys(token)
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _plain(value: Any) -> Any:
    """A JSON-able plain value (str or list of str) of a public_details value."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [" ".join(str(x) for x in v) if isinstance(v, list | tuple) else _plain(v) for v in value]
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def public_details_snapshot(provider: CertificateProvider, subject: Model) -> dict[str, list[dict[str, Any]]]:
    """The provider's public rows of ``subject`` in every language of the site, as plain values."""
    snapshot: dict[str, list[dict[str, Any]]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rows = []
            for label, value in provider.public_details(subject):
                plain = _plain(value)
                if isinstance(plain, list):
                    rows.append({"label": str(label), "value": "", "items": plain})
                else:
                    rows.append({"label": str(label), "value": plain, "items": None})
            snapshot[code] = rows
    return snapshot


def refresh_public_details(certificates: Iterable[Certificate]) -> None:
    """Recompute the certificates' snapshots of their programme's current data and drop their cached pages."""
    for certificate in certificates:
        kind = kind_of(certificate)
        if kind is not None and kind.certificate is not None:
            queryset = kind.certificate.verify_queryset(kind.model._default_manager.all())
            subject = queryset.filter(pk=certificate.object_id).first()
            if subject is not None:
                certificate.public_details = public_details_snapshot(kind.certificate, subject)
                certificate.public_details_at = timezone.now()
                Certificate.objects.filter(pk=certificate.pk).update(
                    public_details=certificate.public_details, public_details_at=certificate.public_details_at
                )
        invalidate_token(certificate.token)


def _refresh_subjects(pairs: Iterable[tuple[int, int]]) -> None:
    """Refresh the certificates of (content type id, object id) pairs (found in one query)."""
    condition = Q()
    for ct_id, object_id in pairs:
        condition |= Q(content_type_id=ct_id, object_id=object_id)
    if condition:
        refresh_public_details(Certificate.objects.filter(condition))


def invalidate_verify_cache(subject: Model) -> None:
    """The programme's data changed outside a transition: refresh its certificate's public
    data and drop the cached verification page (if it has a certificate)."""
    _refresh_subjects([(content_type_of(subject).pk, subject.pk)])


@receiver(transition_committed, dispatch_uid="review.certificates.verify")
def on_transition(sender, *, obj: Model, kind: Kind, **kwargs) -> None:
    """After any transition the verification pages it may affect show the new data at once:
    the object's own, and that of the programme a change request changes. The programme is
    ``kind.certificate_subject(obj)`` when the kind declares it, otherwise any object of a
    certificate-issuing model the object points to by a foreign key."""
    pairs = [(content_type_of(obj).pk, obj.pk)]
    if kind.certificate_subject is not None:
        subject = kind.certificate_subject(obj)
        if subject is not None:
            pairs.append((content_type_of(subject).pk, subject.pk))
    else:
        certified = {k.model for k in all_kinds() if k.certificate is not None}
        for field in obj._meta.concrete_fields:
            if field.many_to_one and field.related_model in certified:
                value = getattr(obj, field.attname)
                if value is not None:
                    pairs.append((ContentType.objects.get_for_model(field.related_model).pk, value))
    _refresh_subjects(pairs)
