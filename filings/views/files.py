"""Download of uploaded 材料: only for the unit's members and the officials entitled to the application."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import audit
from common.files import content_disposition, signed_redirect
from common.storage import is_remote

from .. import selectors


@never_cache
@require_GET
@login_required
def download_view(request, token: str):
    material = selectors.downloadable_material(request.user, token)
    if request.user.is_reviewer:
        audit.record(
            "filings.material_downloaded",
            request=request,
            target=material.version.filing.public_id,
            file=material.original_name,
        )
    if is_remote(material.file.storage):
        return signed_redirect(
            material.file.storage,
            material.file.name,
            filename=material.original_name,
            content_type=material.content_type,
        )
    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=material.content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + material.file.name
    else:
        try:
            handle = material.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404
        response = FileResponse(handle, content_type=material.content_type)
        response["Content-Length"] = str(material.size)
    response["Content-Disposition"] = content_disposition(material.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
