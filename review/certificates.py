"""Certificates (证照): issue, render, store, revoke, verify-page cache, sweep.

A kind whose approval issues a certificate sets ``Kind.certificate`` to a
callable returning a :class:`CertificateSpec`, puts its approved states in
``Kind.extra["approved_states"]`` (for the sweep), and on approval writes the
outbox event ``("certificate.issue", {"kind": kind.key, "id": obj.pk})``. The
machinery (record, number, PDF, verification page) lives in this app.

A kind whose approved *change* alters what a certificate's verification page
shows (a change request of a programme) may set
``Kind.extra["certificate_subject"]`` to a callable returning the programme, so
that the page's cache is dropped when the change is approved.

``Kind.public_details(obj)`` gives the rows of the public verification page
(current approved data, personal data masked). They are kept on the certificate
(a snapshot per language), refreshed when it is issued and after every
transition of the programme or of a change request pointing at it, so the page
needs one query on a cache miss however many tables the rows come from.
``Kind.extra["verify_queryset"]`` (``queryset -> queryset``) may add
``select_related``/``prefetch_related`` to the programme's fetch for the snapshot.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.enums import StaffLevel

from . import outbox
from .enums import CertificateStatus
from .models import Certificate, new_token
from .sequences import next_value
from .workflow import Kind, all_kinds, get_kind

logger = logging.getLogger(__name__)

BEIJING = ZoneInfo("Asia/Shanghai")
VERIFY_CACHE_SECONDS = 600
STALE_TEMP_SECONDS = 3600


@dataclass
class CertificateSpec:
    organisation: Any  # accounts.Organisation
    province: str  # region code ("" for national)
    title: str  # programme / work name
    reference: str  # reference number of the application
    issuing_department: str  # official name from the region table
    sequence_key: str  # counter key, e.g. "cert:网演备:2026:430000"
    format_number: Callable[[int], str]  # e.g. lambda n: f"网演备〔2026〕湘字第{n:06d}号"
    kind_label: str = ""  # e.g. 国产网络演出剧（节）目备案
    # (label, value) rows printed on the PDF.
    details: list[tuple[str, str]] = field(default_factory=list)
    # Heading of the document, e.g. 网络演出剧（节）目备案证明 (default: kind_label + 证明).
    heading: str = ""
    # The sentence above the table (default: a generic approval statement).
    statement: str = ""


class CertificateError(Exception):
    """A refused certificate operation; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


# --- reading -------------------------------------------------------------------------------


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
    from .qr import qr_data_uri

    url = verify_url_of(token)
    return {"url": url, "data_uri": qr_data_uri(url)}


def kind_of(certificate: Certificate) -> Kind | None:
    try:
        return get_kind(certificate.kind)
    except KeyError:
        return None


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


# --- who may see and do what -----------------------------------------------------------------


def _profile(user: Any):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.staff_profile_or_none


def visible_certificates(user: Any) -> QuerySet[Certificate]:
    """Certificates ``user`` may see and download.

    A unit's members: the unit's own. Ministry staff: every certificate of their
    authority's kinds. Provincial officials: those of their authority's kinds in
    their province. Anyone else (experts, anonymous): none.
    """
    qs = Certificate.objects.all()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    profile = _profile(user)
    if profile is None:
        return qs.filter(organisation_id=user.organisation_id) if user.organisation_id else qs.none()
    if profile.level not in (StaffLevel.PROVINCE, StaffLevel.MINISTRY):
        return qs.none()
    kinds = [k.key for k in all_kinds() if k.authority == profile.authority]
    qs = qs.filter(kind__in=kinds)
    if profile.level == StaffLevel.PROVINCE:
        qs = qs.filter(province=profile.province)
    return qs


def can_view_certificate(user: Any, certificate: Certificate) -> bool:
    """Holder's members, staff whose scope covers it, or reviewers whose queue holds its subject."""
    if visible_certificates(user).filter(pk=certificate.pk).exists():
        return True
    profile = _profile(user)
    kind = kind_of(certificate)
    if profile is None or kind is None or profile.level not in (StaffLevel.PROVINCE, StaffLevel.MINISTRY):
        return False
    return kind.reviewer_queryset(user).filter(pk=certificate.object_id).exists()


def can_revoke(user: Any, certificate: Certificate) -> bool:
    """Only ministry staff of the certificate's authority may revoke (注销) it."""
    profile = _profile(user)
    kind = kind_of(certificate)
    return (
        profile is not None
        and profile.level == StaffLevel.MINISTRY
        and kind is not None
        and profile.authority == kind.authority
    )


# --- issuing ---------------------------------------------------------------------------------


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
    if kind.certificate is None:
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
        approved_states = kind.extra.get("approved_states")
        if approved_states and subject.state not in approved_states:
            logger.warning("certificate: %s #%s is %s, not approved; none issued", kind_key, pk, subject.state)
            return None
        with translation.override(settings.LANGUAGE_CODE):  # an official document: always in Chinese
            spec: CertificateSpec | None = kind.certificate(subject)
        if spec is None:
            return None
        # Everything that takes time is prepared before the counter's row is locked.
        token = new_token()
        document = certificate_document(spec)
        document["qr"] = qr_code(token)
        public_details = public_details_snapshot(kind, subject) if kind.public_details else {}
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


@outbox.handler("certificate.issue")
def _handle_issue(payload: dict) -> None:
    issue_certificate(payload["kind"], int(payload["id"]))


def queue_render(certificate_id: int) -> None:
    """Ask a worker to render the PDF; if the broker is down the sweep will."""
    from .tasks import render_certificate

    try:
        render_certificate.delay(certificate_id=certificate_id)
    except Exception as exc:  # broker unreachable, or an eager run that failed
        logger.warning("certificate %s: could not queue rendering (%s); the sweep will retry", certificate_id, exc)


# --- notifications ---------------------------------------------------------------------------


def _notify_unit(certificate: Certificate, event: str) -> None:
    """Queue a notification to the holder's members (in-site, SMS, e-mail) in this transaction.

    Written in the site's language (Chinese), whatever language the request or task runs in.
    """
    try:
        from .notifications import notify_payload
    except ImportError:  # the message centre is not installed
        return
    with translation.override(settings.LANGUAGE_CODE):
        _queue_notification(certificate, event, notify_payload)


def _queue_notification(certificate: Certificate, event: str, notify_payload) -> None:
    from django.urls import reverse

    if event == "ready":
        title = _("证照已生成")
        body = _("您的%(kind)s《%(title)s》证照（%(number)s）已生成，可在证照查看中下载。")
    else:
        title = _("证照已注销")
        body = _("您的%(kind)s《%(title)s》证照（%(number)s）已被注销，原因：%(reason)s")
    values = {
        "kind": kind_label(certificate),
        "title": certificate.title,
        "number": certificate.number,
        "reason": certificate.revoked_reason,
    }
    link = reverse("review:certificate", args=[certificate.public_id])
    payload = notify_payload(
        organisation=certificate.organisation_id, title=title, body=body % values, link=link, sms=True, email=True
    )
    outbox.enqueue("notify", payload)


# --- rendering and storing -------------------------------------------------------------------


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
    kind = kind_of(certificate)
    if kind is not None and kind.certificate is not None:
        subject = kind.model._default_manager.filter(pk=certificate.object_id).first()
        if subject is not None:
            with translation.override(settings.LANGUAGE_CODE):
                spec = kind.certificate(subject)
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
    }


def render_html(certificate: Certificate) -> str:
    """The certificate's HTML, always in Chinese (the document is official, whoever triggers it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("certificates/certificate.html", render_context(certificate))


def render_pdf(certificate: Certificate) -> bytes:
    from .pdf import html_to_pdf

    return html_to_pdf(render_html(certificate))


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


def _test_render_delay() -> None:
    """Tests of killed workers slow the render down; honoured only under the test settings."""
    if not os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".test"):
        return
    delay = float(os.environ.get("PORTAL_TEST_RENDER_DELAY") or 0)
    if delay > 0:
        time.sleep(delay)


def render_and_store(certificate_id: int) -> bool:
    """Render and store the PDF of a certificate unless it exists; returns whether it rendered.

    Idempotent: exactly one file per certificate however often it runs.
    """
    certificate = Certificate.objects.select_related("organisation").filter(pk=certificate_id).first()
    if certificate is None or has_pdf(certificate):
        return False
    _test_render_delay()
    data = render_pdf(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if has_pdf(locked):  # another run finished first
            return False
        locked.pdf.name = _write_file(locked, pdf_name(locked), data)
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.pdf_size = len(data)
        locked.pdf_generated_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_size", "pdf_generated_at"])
        locked.organisation = certificate.organisation
        _notify_unit(locked, "ready")
    logger.info("certificate %s: PDF stored (%d bytes)", locked.number, len(data))
    return True


# --- revocation ------------------------------------------------------------------------------


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
        _notify_unit(locked, "revoked")
        invalidate_token(locked.token)
    return locked


# --- the verification page's cache -----------------------------------------------------------


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


def public_details_snapshot(kind: Kind, subject: Model) -> dict[str, list[dict[str, Any]]]:
    """The kind's public rows of ``subject`` in every language of the site, as plain values."""
    snapshot: dict[str, list[dict[str, Any]]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rows = []
            for label, value in kind.public_details(subject):
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
        if kind is not None and kind.public_details is not None:
            queryset = kind.model._default_manager.all()
            prepare = kind.extra.get("verify_queryset")
            if prepare is not None:
                queryset = prepare(queryset)
            subject = queryset.filter(pk=certificate.object_id).first()
            if subject is not None:
                certificate.public_details = public_details_snapshot(kind, subject)
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


def on_transition(obj: Model, transition: Any = None) -> None:
    """After any transition the verification pages it may affect show the new data at once:
    the object's own, and that of the programme a change request changes. The programme is
    ``Kind.extra["certificate_subject"](obj)`` when the kind declares it, otherwise any object
    of a certificate-issuing model the object points to by a foreign key."""
    pairs = [(content_type_of(obj).pk, obj.pk)]
    try:
        kind = get_kind(obj.get_workflow_kind())
    except (KeyError, AttributeError):
        kind = None
    subject_of = kind.extra.get("certificate_subject") if kind is not None else None
    if subject_of is not None:
        subject = subject_of(obj)
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


def _register_transition_hook() -> None:
    try:
        from .services import after_transition
    except ImportError:  # pragma: no cover - older services without hooks
        return
    after_transition(on_transition)


_register_transition_hook()


# --- the sweep -------------------------------------------------------------------------------


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
        states = kind.extra.get("approved_states")
        if kind.certificate is None or not states:
            continue
        ct = ContentType.objects.get_for_model(kind.model)
        with_certificate = Certificate.objects.filter(content_type=ct).values("object_id")
        missing = (
            kind.model._default_manager.filter(state__in=list(states), updated_at__lte=cutoff)
            .exclude(pk__in=with_certificate)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in list(missing):
            if issue_certificate(kind.key, pk) is not None:
                issued += 1
    return {"rendering": len(pending), "issued": issued, "cleaned": _clean_stale_temp_files()}
