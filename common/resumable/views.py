"""The tus 1.0.0 endpoint (core, creation, checksum, termination, expiration).

``POST /uploads/tus/`` creates an upload (``Upload-Length`` and ``Upload-Metadata`` declared up
front); ``HEAD``/``PATCH``/``DELETE /uploads/tus/<token>/`` read the offset, append a chunk and
terminate. Requests come from the portal's own pages: a logged-in user, the CSRF token in the
``X-CSRFToken`` header (Django's CSRF middleware checks every PATCH, POST and DELETE), same origin.
Refusals carry ``{"errors": [...]}`` in Chinese for the page to show.
"""

from __future__ import annotations

import base64
import binascii
import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import services
from .services import TusError

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,checksum,termination,expiration"
OFFSET_TYPE = "application/offset+octet-stream"


def _response(status: int = 204, headers: dict[str, str] | None = None, body: bytes = b"") -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8" if body else None)
    if not body:
        del response["Content-Type"]
    if status == services.HTTP_CHECKSUM_MISMATCH:
        response.reason_phrase = "Checksum Mismatch"
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(exc: TusError) -> HttpResponse:
    body = json.dumps({"errors": exc.messages}, ensure_ascii=False).encode()
    return _response(exc.status, exc.headers, body)


def _options() -> HttpResponse:
    return _response(
        204,
        {
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": EXTENSIONS,
            "Tus-Max-Size": str(services.max_size()),
            "Tus-Checksum-Algorithm": ",".join(services.CHECKSUM_ALGORITHMS),
        },
    )


def _expires(upload) -> dict[str, str]:
    return {"Upload-Expires": http_date(upload.expires_at.timestamp())}


def _check_common(request) -> None:
    if not request.user.is_authenticated:
        raise TusError(403, _("登录已过期，请重新登录后再上传。"))
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise TusError(412, _("不支持的上传协议版本。"), {"Tus-Version": TUS_VERSION})


def _integer(value: str | None, *, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            raise TusError(400, _("缺少必需的上传参数，请刷新页面后重试。"))
        return None
    if not value.isdigit() or len(value) > 19:
        raise TusError(400, _("上传参数无效，请刷新页面后重试。"))
    return int(value)


def parse_metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata: key base64,key2 base64`` → {key: text}; NUL and bad encodings refused."""
    metadata: dict[str, str] = {}
    for pair in (header or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _sep, encoded = pair.partition(" ")
        try:
            value = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise TusError(400, _("上传参数无效，请刷新页面后重试。"))
        if not key.isascii() or len(key) > 50 or "\x00" in value or len(value) > 1000 or key in metadata:
            raise TusError(400, _("上传参数无效，请刷新页面后重试。"))
        metadata[key] = value
    if len(metadata) > 20:
        raise TusError(400, _("上传参数无效，请刷新页面后重试。"))
    return metadata


@never_cache
def endpoint_view(request):
    if request.method == "OPTIONS":
        return _options()
    try:
        _check_common(request)
        if request.method != "POST":
            raise TusError(405, _("不支持的请求方式。"), {"Allow": "POST, OPTIONS"})
        if request.headers.get("Upload-Defer-Length"):
            raise TusError(400, _("请先声明文件大小。"))
        length = _integer(request.headers.get("Upload-Length"))
        upload = services.create(request.user, length, parse_metadata(request.headers.get("Upload-Metadata", "")))
    except TusError as exc:
        return _error(exc)
    location = reverse("resumable:upload", args=[upload.token])
    return _response(201, {"Location": location, **_expires(upload)})


@never_cache
def upload_view(request, token: str):
    if request.method == "OPTIONS":
        return _options()
    try:
        if not request.user.is_authenticated:
            raise TusError(403, _("登录已过期，请重新登录后再上传。"))
        upload = services.own(request.user, token)  # another user's upload: 404 whatever the method
        if request.method not in ("HEAD", "PATCH", "DELETE"):
            raise TusError(405, _("不支持的请求方式。"), {"Allow": "HEAD, PATCH, DELETE, OPTIONS"})
        _check_common(request)
        if request.method == "HEAD":
            return _response(
                200, {"Upload-Offset": str(upload.offset), "Upload-Length": str(upload.length), **_expires(upload)}
            )
        if request.method == "PATCH":
            if request.content_type != OFFSET_TYPE:
                raise TusError(415, _("上传数据格式错误。"))
            offset = _integer(request.headers.get("Upload-Offset"))
            length = _integer(request.META.get("CONTENT_LENGTH"))
            checksum = services.parse_checksum(request.headers.get("Upload-Checksum", ""))
            upload = services.append(request.user, token, offset, request, length, checksum)
            return _response(204, {"Upload-Offset": str(upload.offset), **_expires(upload)})
        services.terminate(request.user, token)  # DELETE
        return _response(204)
    except TusError as exc:
        return _error(exc)
