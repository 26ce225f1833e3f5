"""Creating, appending to, finishing, terminating and purging resumable uploads.

Every function takes the acting user and finds uploads only among that user's own (another user's
token is "not found"). An append holds a short lock of the upload in the cache (a second PATCH of
the same upload meanwhile is 423, which tus clients retry) and moves the offset with a conditional
UPDATE, so two requests never both count the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from common import ratelimit

from . import files, targets
from .models import Upload, UploadState

logger = logging.getLogger("common.resumable")

CHECKSUM_ALGORITHMS = {"sha1": "sha1", "sha256": "sha256", "sha512": "sha512"}
HTTP_CHECKSUM_MISMATCH = 460


class TusError(Exception):
    """A refusal: the HTTP status and the messages for the user."""

    def __init__(self, status: int, messages: list[str] | str, headers: dict[str, str] | None = None):
        self.status = status
        self.messages = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        self.headers = headers or {}
        super().__init__("; ".join(self.messages))


def _expiry():
    return timezone.now() + timedelta(seconds=settings.UPLOAD_RESUMABLE_EXPIRE_SECONDS)


def max_size() -> int:
    return settings.UPLOAD_RESUMABLE_MAX_BYTES


def _limit(user, action: str, allowed: int, window: int) -> None:
    if ratelimit.hit(f"tus:{action}:{user.pk}", window) > allowed:
        raise TusError(429, _("上传请求过于频繁，请稍后再试。"), {"Retry-After": str(window)})


def own(user, token: str) -> Upload:
    """The user's own upload ``token`` (404 otherwise; 410 once it has expired)."""
    upload = Upload.objects.filter(owner=user, token=str(token)[:32]).first()
    if upload is None:
        raise TusError(404, _("上传记录不存在或已被删除，请重新选择文件上传。"))
    if upload.expires_at <= timezone.now():
        raise TusError(410, _("上传已过期，请重新选择文件上传。"))
    return upload


def create(user, length: int, metadata: dict[str, str]) -> Upload:
    if length > max_size():
        raise TusError(
            413,
            _("文件“%(name)s”过大（%(size)s），不能超过 %(limit)s。")
            % {
                "name": metadata.get("filename", ""),
                "size": filesizeformat(length),
                "limit": filesizeformat(max_size()),
            },
        )
    target = targets.get(metadata.get("target", ""))
    if target is None:
        raise TusError(400, _("上传用途无效，请刷新页面后重试。"))
    _limit(user, "create", settings.UPLOAD_RESUMABLE_CREATE_PER_HOUR, 3600)
    active = Upload.objects.filter(owner=user, state=UploadState.RECEIVING, expires_at__gt=timezone.now()).count()
    if active >= settings.UPLOAD_RESUMABLE_MAX_ACTIVE:
        raise TusError(429, _("未完成的上传过多，请等待其他文件上传完成后再试。"))
    try:
        target.prepare(user, metadata, length)
    except targets.Refused as exc:
        raise TusError(exc.status, exc.messages)
    upload = Upload.objects.create(
        owner=user, target=metadata["target"], metadata=metadata, length=length, expires_at=_expiry()
    )
    files.create_empty(upload.token)
    logger.info("upload %s created: %s bytes for %s", upload.token, length, upload.target)
    return upload


def parse_checksum(header: str) -> tuple[str, bytes] | None:
    """``Upload-Checksum: <algorithm> <base64 digest>`` → (hashlib name, digest); None without the header."""
    if not header:
        return None
    algorithm, _sep, encoded = header.strip().partition(" ")
    name = CHECKSUM_ALGORITHMS.get(algorithm.lower())
    if name is None:
        raise TusError(400, _("不支持的校验算法。"))
    try:
        return name, base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise TusError(400, _("校验值格式错误。"))


class _Lock:
    def __init__(self, token: str):
        self.key = f"tus:lock:{token}"

    def __enter__(self):
        if not cache.add(self.key, 1, settings.UPLOAD_RESUMABLE_LOCK_SECONDS):
            raise TusError(423, _("该文件正在上传中，请稍候。"))
        return self

    def __exit__(self, *exc):
        cache.delete(self.key)


def append(user, token: str, offset: int, stream, length: int, checksum: tuple[str, bytes] | None) -> Upload:
    """PATCH: ``length`` bytes of ``stream`` at ``offset``; finishes the upload when it is complete."""
    _limit(user, "patch", settings.UPLOAD_RESUMABLE_PATCH_PER_MINUTE, 60)
    upload = own(user, token)
    if length > settings.UPLOAD_RESUMABLE_CHUNK_MAX_BYTES:
        raise TusError(413, _("单次上传的数据过大，请刷新页面后重试。"))
    with _Lock(upload.token):
        upload.refresh_from_db()
        if offset != upload.offset:
            raise TusError(409, _("上传进度不一致，请重试。"), {"Upload-Offset": str(upload.offset)})
        if upload.state == UploadState.DONE:
            if length == 0:
                return upload
            raise TusError(409, _("上传进度不一致，请重试。"), {"Upload-Offset": str(upload.offset)})
        if offset + length > upload.length:
            raise TusError(413, _("上传的数据超过了声明的文件大小。"))
        result = files.append(upload.token, offset, stream, length, checksum[0] if checksum else None)
        if checksum is not None and (not result.complete or result.digest != checksum[1]):
            files.cut(upload.token, offset)
            if result.complete:
                raise TusError(HTTP_CHECKSUM_MISMATCH, _("数据校验失败，请重试。"))
            raise TusError(400, _("上传中断，请重试。"))
        new_offset = offset + result.received
        moved = Upload.objects.filter(pk=upload.pk, offset=offset).update(offset=new_offset, expires_at=_expiry())
        if not moved:  # cannot happen while the lock is held; never count the bytes twice
            files.cut(upload.token, offset)
            raise TusError(409, _("上传进度不一致，请重试。"))
        upload.refresh_from_db()
        if not result.complete:
            raise TusError(400, _("上传中断，请重试。"), {"Upload-Offset": str(upload.offset)})
        if upload.offset == upload.length:
            _finish(user, upload)
    return upload


def _refuse(upload: Upload, status: int, messages) -> TusError:
    files.remove(upload.token)
    upload.delete()
    return TusError(status, messages)


def _finish(user, upload: Upload) -> None:
    """The last byte arrived: SHA-256 by streaming, the client's own if declared, then the target's checks."""
    path = files.partial_path(upload.token)
    digest = files.sha256(path)
    declared = upload.metadata.get("sha256", "").strip().lower()
    if declared and declared != digest:
        logger.warning("upload %s: sha256 %s, client declared %s", upload.token, digest, declared)
        raise _refuse(upload, HTTP_CHECKSUM_MISMATCH, _("文件校验失败（SHA-256 不一致），请重新上传。"))
    target = targets.get(upload.target)
    if target is None:
        raise _refuse(upload, 400, _("上传用途无效，请刷新页面后重试。"))
    name = upload.metadata.get("filename", "") or "upload"
    finished = files.FinishedUpload(path, name, upload.metadata.get("filetype", ""), upload.length)
    try:
        target.complete(user, finished, upload.metadata)
    except targets.Refused as exc:
        raise _refuse(upload, exc.status, exc.messages)
    except ValidationError as exc:
        raise _refuse(upload, 422, exc.messages)
    except Exception:
        # Never leave a complete but unattached upload: a client resuming it would take it for done.
        _refuse(upload, 500, "")
        raise
    finally:
        finished.close()
    files.remove(upload.token)  # when the storage copied it (object storage) rather than moved it
    Upload.objects.filter(pk=upload.pk).update(state=UploadState.DONE, sha256=digest)
    upload.state, upload.sha256 = UploadState.DONE, digest
    logger.info("upload %s done: %s bytes, sha256 %s", upload.token, upload.length, digest)


def terminate(user, token: str) -> None:
    upload = own(user, token)
    with _Lock(upload.token):
        files.remove(upload.token)
        upload.delete()
    logger.info("upload %s terminated", token)


def purge_expired(now=None) -> int:
    """Delete expired uploads and their partial files (a periodic job); returns how many."""
    now = now or timezone.now()
    count = 0
    for upload in Upload.objects.filter(expires_at__lte=now).only("pk", "token").iterator():
        with transaction.atomic():
            if Upload.objects.filter(pk=upload.pk).delete()[0]:
                files.remove(upload.token)
                count += 1
    # Files whose record is gone (a process stopped between the two), once they are old enough.
    folder = files.root()
    if folder.is_dir():
        cutoff = (now - timedelta(seconds=settings.UPLOAD_RESUMABLE_EXPIRE_SECONDS)).timestamp()
        names = {p.name for p in folder.iterdir() if p.is_file() and p.stat().st_mtime < cutoff}
        known = set(Upload.objects.filter(token__in=names).values_list("token", flat=True)) if names else set()
        for name in names - known:
            files.remove(name)
    return count
