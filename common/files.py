"""Serving private files (uploads, certificate PDFs) after a view has checked access.

Behind nginx (``PRIVATE_MEDIA_ACCEL_PREFIX`` set, e.g. ``/protected/``) the
response is empty and carries ``X-Accel-Redirect``: nginx streams the file from
its internal location mapped to the private media volume (deploy/nginx.conf).
Without it (embedded run, tests) Django streams the file itself.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header


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
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        response = FileResponse(
            storage.open(name, "rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
