"""Checks of uploaded 材料 files: type from the content, size limits, integrity.

Accepted: jpg/jpeg, png (images), mp4, flv (video) and pdf. The declared
extension must belong to the same type as the content (a PNG named .mp4 is
refused, so is an executable renamed .pdf). Images are refused by pixel count
before decoding, then must open and decode with Pillow (a truncated image is
refused; common/images.py); a PDF must start with ``%PDF-`` and
carry ``%%EOF`` near its end. Files are read in small pieces only: uploads
larger than FILE_UPLOAD_MAX_MEMORY_SIZE are already streamed to a temporary
file by Django's TemporaryFileUploadHandler, and nothing here reads a whole
file into memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.images import check_image
from common.uploads import check_pdf_active_content

HEAD_BYTES = 8192
TAIL_BYTES = 2048
# Declared extension → the kinds ``filetype`` may detect for it.
ACCEPTED = {
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
    "mp4": {"mp4", "m4v"},
    "flv": {"flv"},
    "pdf": {"pdf"},
}
IMAGE = {"jpg", "jpeg", "png"}
VIDEO = {"mp4", "flv"}
MIME = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "flv": "video/x-flv",
    "pdf": "application/pdf",
}
ACCEPT_ATTR = ".jpg,.jpeg,.png,.mp4,.flv,.pdf"


@dataclass(frozen=True)
class CheckedFile:
    extension: str  # normalised, e.g. "jpg"
    content_type: str
    size: int


def max_bytes(extension: str) -> int:
    if extension in VIDEO:
        return settings.UPLOAD_MAX_VIDEO_BYTES
    return settings.UPLOAD_MAX_DOCUMENT_BYTES


def _declared_extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _read_tail(upload, size: int) -> bytes:
    upload.seek(max(0, size - TAIL_BYTES))
    tail = upload.read(TAIL_BYTES)
    upload.seek(0)
    return tail


def _check_image(upload) -> None:
    # Pixel count before decoding, then structure and decode: one check for every app (common/images.py).
    check_image(upload)


def _check_pdf(upload, size: int) -> None:
    head = _read_head(upload)
    if not head.startswith(b"%PDF-") or b"%%EOF" not in _read_tail(upload, size):
        raise ValidationError(_("PDF文件已损坏或不完整，请重新上传。"), code="broken_pdf")
    check_pdf_active_content(upload)  # JavaScript, launch actions, embedded files (common/uploads.py)


def check_declared(name: str, size: int) -> str:
    """The checks a file's name and size allow before any byte is read (a resumable upload declares
    both up front); returns the declared extension. Raises ValidationError with a message for the user."""
    declared = _declared_extension(name)
    if declared not in ACCEPTED:
        raise ValidationError(
            _("不支持的文件格式“%(name)s”，请上传 jpg、jpeg、png、mp4、flv 或 pdf 格式的文件。") % {"name": name},
            code="extension",
        )
    if size <= 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    limit = max_bytes(declared)
    if size > limit:
        raise ValidationError(
            _("文件“%(name)s”过大（%(size)s），此类文件不能超过 %(limit)s。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    return declared


def check_upload(upload) -> CheckedFile:
    """Validate one uploaded file; raises ValidationError with a message for the user."""
    name = getattr(upload, "name", "") or ""
    size = upload.size or 0
    declared = check_declared(name, size)
    kind = filetype.guess(_read_head(upload))
    detected = kind.extension if kind else None
    if detected not in ACCEPTED[declared]:
        raise ValidationError(
            _("文件“%(name)s”的内容与其扩展名不符（不是有效的 %(ext)s 文件），请上传真实的文件。")
            % {"name": name, "ext": declared},
            code="content_mismatch",
        )
    if declared in IMAGE:
        _check_image(upload)
    elif declared == "pdf":
        _check_pdf(upload, size)
    normalised = "jpg" if declared == "jpeg" else declared
    return CheckedFile(extension=normalised, content_type=MIME[detected], size=size)
