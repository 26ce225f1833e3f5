"""Serving private files (uploads, certificate PDFs) after a view has checked access.

Behind nginx (``PRIVATE_MEDIA_ACCEL_PREFIX`` set, e.g. ``/protected/``) the
response is empty and carries ``X-Accel-Redirect``: nginx streams the file from
its internal location mapped to the private media volume (deploy/nginx.conf).
Without it (embedded run, tests) Django streams the file itself. On object storage
(``PRIVATE_STORAGE=s3``, common/storage.py) the response redirects to a link signed for a minute.
"""

from __future__ import annotations

import mimetypes
import os
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect

from .storage import is_remote, signed_url

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(filename: str, *, as_attachment: bool = True) -> str:
    """``Content-Disposition`` keeping a Chinese file name (RFC 6266 / RFC 5987).

    ``filename*=UTF-8''…`` carries the real name; the plain ``filename="…"`` is an
    ASCII stand-in for old clients that keeps the extension ("download.png", never ".png").
    """
    disposition = "attachment" if as_attachment else "inline"
    name = filename.replace("\r", " ").replace("\n", " ").strip() or "download"
    stem, ext = os.path.splitext(name)
    ascii_stem = _UNSAFE_ASCII.sub("_", stem).strip("._-")
    ascii_ext = _UNSAFE_ASCII.sub("", ext)
    if not ascii_stem or ascii_stem.strip("_-") == "":
        ascii_stem = "download"
    fallback = ascii_stem + (ascii_ext if ascii_ext.startswith(".") and len(ascii_ext) > 1 else "")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def signed_redirect(
    storage: Storage, name: str, *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponse:
    """Object storage: a redirect to a short-lived signed link (never cached, never a referrer)."""
    url = signed_url(
        storage,
        name,
        content_disposition=content_disposition(filename, as_attachment=as_attachment),
        content_type=content_type,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def private_file_response(
    name: str,
    *,
    filename: str | None = None,
    as_attachment: bool = True,
    content_type: str | None = None,
    storage: Storage | None = None,
) -> HttpResponse:
    """Response for the stored file ``name``. Call only after checking the user's right to it."""
    storage = storage or default_storage
    if not name or ".." in name.replace("\\", "/").split("/") or name.startswith("/"):
        raise Http404
    if not storage.exists(name):
        raise Http404
    filename = filename or name.rsplit("/", 1)[-1]
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if is_remote(storage):
        return signed_redirect(storage, name, filename=filename, content_type=content_type, as_attachment=as_attachment)
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(
            storage.open(name, "rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    response["Content-Disposition"] = content_disposition(filename, as_attachment=as_attachment)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
