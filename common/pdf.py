"""HTML → PDF with WeasyPrint, without network access.

* WeasyPrint is imported lazily (it is heavy) and one ``FontConfiguration`` is
  kept per process: building one scans the system fonts, and the CJK fonts
  named in the certificate's ``@font-face local()`` rules are loaded once.
* The URL fetcher serves ``data:`` URIs and the project's static files (found
  by the staticfiles finders, never fetched over HTTP) and refuses everything
  else: ``http(s)://`` to any host, ``file://`` to any path, other schemes.
  The one exception is ``file://`` URIs that WeasyPrint itself builds for a
  ``local()`` font: they are served only for font files inside the system
  font directories.
* Fonts are subset (WeasyPrint's default): only the glyphs used are embedded.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

FONT_SUFFIXES = frozenset({".ttf", ".ttc", ".otf", ".otc", ".woff", ".woff2"})
DEFAULT_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

# WeasyPrint logs every rendering step at INFO; keep that out of the worker's log
# unless the deployment configured the logger itself.
_progress_logger = logging.getLogger("weasyprint.progress")
if _progress_logger.level == logging.NOTSET:
    _progress_logger.setLevel(logging.WARNING)

_lock = threading.Lock()
_font_config = None
_fetcher = None


class RefusedURL(ValueError):
    """A resource the renderer may not fetch."""


def font_dirs() -> tuple[Path, ...]:
    dirs = getattr(settings, "CERTIFICATE_FONT_DIRS", DEFAULT_FONT_DIRS)
    return tuple(Path(d).resolve() for d in dirs)


def base_url() -> str:
    """Base URL of rendered documents: relative and ``/static/`` URLs resolve under the site."""
    return settings.SITE_URL.rstrip("/") + "/"


def decode_data_uri(url: str) -> tuple[bytes, str]:
    header, sep, payload = url[len("data:") :].partition(",")
    if not sep:
        raise RefusedURL("malformed data: URI")
    params = header.split(";")
    mime = params[0].strip() or "text/plain"
    if params[-1].strip().lower() == "base64":
        body = base64.b64decode(unquote(payload), validate=False)
    else:
        body = unquote_to_bytes(payload)
    return body, mime


def static_path(url: str) -> Path | None:
    """Local file of a URL under ``SITE_URL + STATIC_URL``, or None."""
    prefix = base_url().rstrip("/") + settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    relative = unquote(urlsplit(url[len(prefix) :]).path)
    if not relative or relative.startswith("/") or ".." in Path(relative).parts:
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found else None


def system_font_path(url: str) -> Path | None:
    """Local path of a ``file://`` URL of a font file inside the system font directories."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if path.suffix.lower() not in FONT_SUFFIXES or not path.is_file():
        return None
    if not any(path.is_relative_to(root) for root in font_dirs()):
        return None
    return path


def _make_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(timeout=1, allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                body, mime = decode_data_uri(url)
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            path = static_path(url) if scheme in ("http", "https") else None
            if path is None and scheme == "file":
                path = system_font_path(url)
            if path is None:
                raise RefusedURL(f"refused to fetch {url[:200]!r}: only static files and data: URIs are served")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return LocalOnlyFetcher()


def url_fetcher():
    """The process-wide local-only fetcher."""
    global _fetcher
    if _fetcher is None:
        _fetcher = _make_fetcher()
    return _fetcher


def font_config():
    """The process-wide WeasyPrint FontConfiguration."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document (string) to PDF bytes, offline."""
    from weasyprint import HTML

    with _lock:  # one FontConfiguration is shared; WeasyPrint makes no thread-safety promise
        document = HTML(string=html, base_url=base_url(), url_fetcher=url_fetcher())
        return document.write_pdf(font_config=font_config())
