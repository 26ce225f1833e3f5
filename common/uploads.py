"""Content checks every app's upload shares beyond type and size: active PDF content, appended payloads.

* A PDF carrying JavaScript or an action that runs something (``/JavaScript``, ``/Launch``,
  embedded files, rich media, XFA forms) is refused. The names are found in the raw bytes, read in
  pieces with an overlap (nothing is read whole), after undoing PDF name escapes (``/J#61vaScript``).
  Names inside compressed object streams are not seen: such a file is still only ever served as an
  attachment with ``nosniff`` (common/files.py), never shown inline by the portal.
* An image with bytes after its end (a PNG after ``IEND``, a JPEG after its last ``FFD9``) is refused:
  that is how a PNG+zip or JPEG+PDF polyglot is made. A few KB of zero padding (some scanners) pass;
  a phone's "motion photo" (a video after the JPEG) is refused: the user exports a still.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
OVERLAP = 64
# PDF names that run code, start programs or carry other files. Every JavaScript action has
# /S /JavaScript and document scripts sit under /Names << /JavaScript … >>, so the short /JS key is not
# looked for: in the compressed bytes of a 20 MB scan it turns up by chance about once; these longer
# names (and /XFA only before a PDF delimiter) practically never do.
ACTIVE_PDF_NAMES = re.compile(
    rb"/(?:JavaScript|Launch|EmbeddedFiles?|RichMedia|SubmitForm|ImportData)(?![A-Za-z])|/XFA[\s\[<(/]"
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_CHUNKS = 100_000
PADDING_BYTES = 4096


def _unescape_names(data: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def check_pdf_active_content(upload) -> None:
    """Refuse a PDF with JavaScript, launch actions or embedded files (ValidationError for the user)."""
    upload.seek(0)
    tail = b""
    try:
        while True:
            piece = upload.read(CHUNK)
            if not piece:
                break
            window = tail + piece
            if ACTIVE_PDF_NAMES.search(_unescape_names(window)):
                raise ValidationError(
                    _("PDF文件“%(name)s”含有脚本或自动执行的动作，不能上传。请另存为或打印为普通PDF后重新上传。")
                    % {"name": getattr(upload, "name", "") or ""},
                    code="active_pdf",
                )
            tail = window[-OVERLAP:]
    finally:
        upload.seek(0)


def _appended(upload) -> ValidationError:
    return ValidationError(
        _("图片“%(name)s”末尾附带了其他数据（可能夹带了压缩包或其他文件），不能上传。请重新导出图片后上传。")
        % {"name": getattr(upload, "name", "") or ""},
        code="appended_data",
    )


def _png_end(upload) -> int:
    """Offset just past the IEND chunk (walks chunk headers, reads no pixel data)."""
    upload.seek(0)
    if upload.read(8) != PNG_SIGNATURE:
        return -1
    position = 8
    for _i in range(MAX_PNG_CHUNKS):
        header = upload.read(8)
        if len(header) < 8:
            return -1
        length = int.from_bytes(header[:4], "big")
        position += 12 + length
        if header[4:8] == b"IEND":
            return position
        upload.seek(position)
    return -1


def _only_padding(upload, start: int, size: int) -> bool:
    """Whether the bytes from ``start`` to the end are a little zero padding (some scanners write it)."""
    if size - start > PADDING_BYTES:
        return False
    upload.seek(start)
    return upload.read(size - start).strip(b"\x00\r\n ") == b""


def check_no_appended_data(upload, size: int, kind: str) -> None:
    """Refuse a PNG or JPEG with bytes after its end (``kind``: "png" or "jpg")."""
    try:
        if kind == "png":
            end = _png_end(upload)
            if end != -1 and end != size and not _only_padding(upload, end, size):
                raise _appended(upload)
        elif kind == "jpg":
            start = max(0, size - PADDING_BYTES - 2)
            upload.seek(start)
            tail = upload.read(size - start).rstrip(b"\x00\r\n ")
            if not tail.endswith(b"\xff\xd9"):
                raise _appended(upload)
    finally:
        upload.seek(0)
