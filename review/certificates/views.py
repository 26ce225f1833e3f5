"""Certificate pages: the public verification page, the unit's 证照查看, PDF and zip downloads."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from common import ratelimit, regions
from common.files import content_disposition, private_file_response

from .. import certificates as certs
from ..enums import CertificateStatus
from ..models import Certificate
from . import hotcache

# --- the public verification page --------------------------------------------------------------


def _rate_key(request) -> str:
    return f"verify:{audit.client_ip(request) or 'unknown'}"


def _rate_limited(request, count: int | None = None) -> bool:
    """At most VERIFY_RATE_LIMIT_PER_MINUTE requests per IP and minute (cache counter, no DB).

    A request is counted once: the fast path's lookup counts it (``count``) and leaves the count on
    the request for the view when it cannot answer itself."""
    limit = getattr(settings, "VERIFY_RATE_LIMIT_PER_MINUTE", 60)
    if count is None:
        count = getattr(request, "_verify_rate_count", None)
    if count is None:
        count = ratelimit.hit(_rate_key(request), hotcache.RATE_WINDOW)
    request._verify_rate_count = count
    return count > limit


def verify_data(token: str, language: str) -> dict[str, Any] | None:
    """Everything the verification page shows, as plain values (cacheable).

    One query: the certificate with its holder. The programme's current approved
    data is the certificate's snapshot, refreshed after every transition of the
    programme (``review.certificates.refresh_public_details``); a certificate
    without one (issued before snapshots existed) gets it now, once.
    """
    certificate = Certificate.objects.select_related("organisation").filter(token=token).first()
    if certificate is None:
        return None
    kind = certs.kind_of(certificate)
    if not certificate.public_details and kind is not None and kind.certificate is not None:
        certs.refresh_public_details([certificate])
    details = certificate.public_details or {}
    wording = certs.wording_of(certificate)
    rows = details.get(language) or details.get(settings.LANGUAGE_CODE) or []
    return {
        # Only the certificate's own status (有效 / 暂扣 / 已注销 / 已失效), its date and reason
        # category: never the internal note, never a workflow state of the programme.
        "valid": certificate.status == CertificateStatus.VALID,
        "status": certificate.status,
        "status_label": str(certificate.get_status_display()),
        "status_reason": str(certificate.get_status_reason_display())
        if certificate.status != CertificateStatus.VALID
        else "",
        "status_changed_on": timezone.localtime(certificate.status_changed_at).strftime("%Y-%m-%d")
        if certificate.status_changed_at and certificate.status != CertificateStatus.VALID
        else "",
        "signer": str(certs.signing.AUTHORITY_NAMES.get(kind.authority, "")) if kind is not None else "",
        "number": certificate.number,
        "kind_label": str(kind.label) if kind is not None else certificate.kind,
        "organisation": certificate.organisation.name,
        "title": certificate.title,
        "reference": certificate.reference,
        "issuing_department": certificate.issuing_department,
        "issued_on": certificate.issued_on.strftime("%Y-%m-%d"),
        "province": regions.name(certificate.province) if certificate.province else "",
        "details": rows,
        # How the kind speaks of its subject (节目 / 作品), in the page's language.
        "title_label": str(wording.title_label),
        "reference_label": str(wording.reference_label),
        "details_heading": str(wording.details_heading),
        "details_note": str(wording.details_note),
    }


def _cacheable_page(request) -> bool:
    """The whole page may be served from cache only to anonymous visitors with nothing personal pending."""
    return (
        not request.user.is_authenticated
        and "messages" not in request.COOKIES
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


_NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def _page_key(request, token: str, language: str) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")
    legacy = int("MSIE " in agent or "Trident/" in agent)  # the layout's IE banner (portal.context_processors)
    return f"verify:page:{token}:{language}:{legacy}"


def cached_page(request, token: str) -> HttpResponse | None:
    """The cached page for an anonymous visitor, answered before the session, CSRF, authentication,
    OTP and messages middleware run (``VerifyFastPathMiddleware``); None: let the view answer (not
    cached yet, a signed-in visitor, a pending message, over the rate limit — the view says so).

    The language is the one LocaleMiddleware would choose (cookie, Accept-Language); the headers the
    skipped middleware would add are set here (X-Frame-Options, Content-Language, Vary). The entry is
    the view's own, dropped with the certificate's changes (review.certificates.verify)."""
    if len(token) > 64 or not _cacheable_page_anonymous(request):
        return None
    language = translation.get_language_from_request(request)
    html, count = hotcache.lookup(_page_key(request, token, language), _rate_key(request))
    if _rate_limited(request, count) or html is None:
        return None
    response = _page_response(html)
    response["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY")
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language, Cookie"
    return response


def _cacheable_page_anonymous(request) -> bool:
    """``_cacheable_page`` before authentication: without a session cookie nobody is signed in."""
    return "messages" not in request.COOKIES and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _page_response(html: str) -> HttpResponse:
    response = HttpResponse(html)
    # The status must always be current (add_never_cache_headers, set directly: this is the hot path).
    response["Cache-Control"] = _NEVER_CACHE
    response["Expires"] = http_date()
    return response


@require_GET
def verify(request, token: str):
    """/verify/<token>/: public, no login; 有效 / 已注销 and the programme's current approved data.

    The page carries no per-visitor data for anonymous visitors (its language
    switch needs no CSRF token, see ``verify_language``), so it is cached whole
    per token and language: a hit costs no query and no rendering. Signed-in
    visitors get the cached data in their own layout.
    """
    if _rate_limited(request):
        response = render(request, "review/verify_rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    if len(token) > 64:
        raise Http404
    language = get_language()
    page_key = _page_key(request, token, language)
    page_ok = _cacheable_page(request)
    if page_ok:
        html = cache.get(page_key)
        if html is not None:
            return _page_response(html)
    data_key = f"verify:data:{token}:{language}"
    data = cache.get(data_key)
    if data is None:
        data = verify_data(token, language)
        if data is None:
            raise Http404
        cache.set(data_key, data, certs.VERIFY_CACHE_SECONDS)
    html = render_to_string("review/verify.html", {"v": data, "token": token}, request=request)
    if page_ok:
        cache.set(page_key, html, certs.VERIFY_CACHE_SECONDS)
    return _page_response(html)


@csrf_exempt
@require_POST
def verify_language(request, token: str):
    """The verification page's language switch: sets the language cookie and goes back.

    Exempt from CSRF on purpose: it changes nothing but the display language of
    a public page, and needing a token would make every cached page per-visitor.
    """
    language = request.POST.get("language", "")
    target = reverse("review:verify", args=[token[:64]])
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


# --- files -------------------------------------------------------------------------------------


def pdf_filename(certificate: Certificate) -> str:
    return f"{certificate.number}.pdf"


def pdf_response(certificate: Certificate, *, as_attachment: bool = True) -> HttpResponse:
    """The stored PDF (X-Accel-Redirect behind nginx, else streamed). Call after checking access."""
    if not certs.has_pdf(certificate):
        raise Http404
    return private_file_response(
        certificate.pdf.name,
        filename=pdf_filename(certificate),
        as_attachment=as_attachment,
        content_type="application/pdf",
        storage=certificate.pdf.storage,
    )


class _Pipe:
    """A write-only, unseekable buffer that ``zipfile`` writes into and the generator drains."""

    def __init__(self):
        self._chunks: list[bytes] = []
        self._size = 0

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        self._size += len(data)
        return len(data)

    def tell(self) -> int:
        return self._size

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


CHUNK = 64 * 1024


def iter_certificates_zip(certificates: Iterable[Certificate]) -> Iterator[bytes]:
    """Yield a zip of the certificates' PDFs in chunks, never holding more than one chunk.

    Entries are stored (PDFs are compressed already) and named by certificate
    number; certificates whose PDF is not ready are listed in a text file.
    """
    pipe = _Pipe()
    missing: list[str] = []
    used: set[str] = set()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for certificate in certificates:
            storage = certificate.pdf.storage
            name = certificate.pdf.name
            try:
                size = storage.size(name) if name else 0
            except OSError:
                size = 0
            if not size:
                missing.append(f"{certificate.number}\t{certificate.title}")
                continue
            arcname = pdf_filename(certificate)
            if arcname in used:
                arcname = f"{certificate.number}-{certificate.public_id}.pdf"
            used.add(arcname)
            stamp = timezone.localtime(certificate.pdf_generated_at or timezone.now())
            info = zipfile.ZipInfo(arcname, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = size
            with storage.open(name, "rb") as source, archive.open(info, "w", force_zip64=size > 2**31) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield pipe.drain()
            yield pipe.drain()
        if missing:
            text = _("以下证照的PDF尚在生成中，未包含在本压缩包内：") + "\n" + "\n".join(missing) + "\n"
            archive.writestr(_("未包含的证照.txt"), text.encode("utf-8"))
    yield pipe.drain()


def zip_response(queryset: QuerySet[Certificate], *, request, filename: str) -> StreamingHttpResponse:
    """Stream a zip of ``queryset`` to the browser (audited)."""
    count = queryset.count()
    audit.record("certificate.zip_download", request=request, target=filename, count=count)
    rows = queryset.order_by("issued_on", "pk").iterator(chunk_size=200)
    response = StreamingHttpResponse(iter_certificates_zip(rows), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(filename)
    add_never_cache_headers(response)
    return response


# --- the unit's 证照查看 ------------------------------------------------------------------------


def _certificate_or_404(request, public_id: str) -> Certificate:
    certificate = Certificate.objects.select_related("organisation").filter(public_id=public_id).first()
    if certificate is None or not certs.can_view_certificate(request.user, certificate):
        raise Http404
    return certificate


def _filtered(request, queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """Filters shared by the list and the zip: kind, province, status, issued from/to (YYYY-MM-DD)."""
    params = request.GET
    if params.get("kind"):
        queryset = queryset.filter(kind=params["kind"])
    if params.get("province"):
        queryset = queryset.filter(province=params["province"])
    if params.get("status") in CertificateStatus.values:
        queryset = queryset.filter(status=params["status"])
    for name, lookup in (("issued_from", "issued_on__gte"), ("issued_to", "issued_on__lte")):
        value = params.get(name, "")
        try:
            queryset = queryset.filter(**{lookup: date.fromisoformat(value)}) if value else queryset
        except ValueError:
            pass
    return queryset


@login_required
def certificate_list(request):
    """证照查看: the certificates the user may see (a unit: its own)."""
    queryset = _filtered(request, certs.visible_certificates(request.user)).select_related("organisation")
    items = list(queryset.order_by("-issued_on", "-pk")[:200])
    rows = [(c, certs.kind_label(c)) for c in items]
    return render(request, "review/certificate_list.html", {"rows": rows, "query": request.GET.urlencode()})


@login_required
def certificate_detail(request, public_id: str):
    certificate = _certificate_or_404(request, public_id)
    if request.user.organisation_id != certificate.organisation_id:
        audit.record("certificate.viewed", request=request, target=certificate.number)
    context = {
        "certificate": certificate,
        "kind_label": certs.kind_label(certificate),
        "wording": certs.wording_of(certificate),
        "ready": certs.has_pdf(certificate),
        "verify_url": certs.verify_url(certificate),
        "events": list(certificate.events.all()),
    }
    return render(request, "review/certificate_detail.html", context)


@login_required
def certificate_pdf(request, public_id: str):
    certificate = _certificate_or_404(request, public_id)
    if request.user.organisation_id != certificate.organisation_id:
        audit.record("certificate.downloaded", request=request, target=certificate.number)
    return pdf_response(certificate, as_attachment=request.GET.get("inline") != "1")


@login_required
def certificate_zip(request):
    """A zip of the certificates the user may see, with the list's filters."""
    queryset = _filtered(request, certs.visible_certificates(request.user))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return zip_response(queryset, request=request, filename=f"证照-{stamp}.zip")
