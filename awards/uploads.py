"""The 版权承诺书 upload: a PDF, checked by its content (not its name).

The same checks as the MCT materials (filings' upload checks, SPEC §B2): the
declared extension must be .pdf, the content must be detected as PDF by
``filetype`` from its first bytes (a PNG or an executable renamed .pdf is
refused), it must start with ``%PDF-`` and carry ``%%EOF`` near its end (a
truncated upload is refused), within the document size limit. Only small
pieces are read: large uploads are already streamed to a temporary file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.uploads import check_pdf_active_content

HEAD_BYTES = 8192
TAIL_BYTES = 2048
ACCEPT_ATTR = ".pdf,application/pdf"


@dataclass(frozen=True)
class CheckedPdf:
    name: str
    size: int


def _read(upload, offset: int, length: int) -> bytes:
    upload.seek(offset)
    data = upload.read(length)
    upload.seek(0)
    return data


def check_pledge(upload) -> CheckedPdf:
    """Validate the uploaded pledge; raises ValidationError with a message for the user."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    if os.path.splitext(name)[1].lower() != ".pdf":
        raise ValidationError(
            _("版权承诺书须为 PDF 格式的扫描件（.pdf），“%(name)s”不是。") % {"name": name}, code="extension"
        )
    size = upload.size or 0
    if size <= 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    limit = settings.UPLOAD_MAX_DOCUMENT_BYTES
    if size > limit:
        raise ValidationError(
            _("文件“%(name)s”过大（%(size)s），不能超过 %(limit)s。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    head = _read(upload, 0, HEAD_BYTES)
    kind = filetype.guess(head)
    if kind is None or kind.extension != "pdf":
        raise ValidationError(
            _("文件“%(name)s”的内容不是 PDF 文件（扩展名与内容不符），请上传签字盖章后扫描成的 PDF 文件。")
            % {"name": name},
            code="content_mismatch",
        )
    if not head.startswith(b"%PDF-") or b"%%EOF" not in _read(upload, max(0, size - TAIL_BYTES), TAIL_BYTES):
        raise ValidationError(_("PDF文件已损坏或不完整，请重新上传。"), code="broken_pdf")
    check_pdf_active_content(upload)  # JavaScript, launch actions, embedded files (common/uploads.py)
    return CheckedPdf(name=name[:200], size=size)
