"""Hostile uploads: each a (label, file name, content) the portal must refuse wherever a file is taken."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from tests.filings.factories import jpeg_bytes, pdf_bytes, png_bytes

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"\x00" * 64
PE += b"PE\x00\x00" + b"\x00" * 200


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("payload.exe", PE)
    return buf.getvalue()


def png_header_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A PNG whose header claims width×height pixels (400 megapixels), a few hundred bytes on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * 64  # a few rows only: decoding would need width×height bytes
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * 4)) + chunk(b"IEND", b"")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)


def pdf_with(action: bytes) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R" + action + b">>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"3 0 obj<</S/JavaScript/JS(app.alert\\(1\\))>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def corpus(extensions=("pdf", "png", "jpg")) -> list[tuple[str, str, bytes]]:
    """The hostile files, named with the extensions a field takes (pdf only for the pledge)."""
    items = [
        ("ELF renamed .pdf", "报告.pdf", ELF),
        ("PE renamed .pdf", "报告.pdf", PE),
        ("zip renamed .pdf", "报告.pdf", zip_bytes()),
        ("PNG renamed .pdf", "报告.pdf", png_bytes()),
        ("JPEG header then a PDF (polyglot) named .pdf", "报告.pdf", jpeg_bytes() + pdf_bytes()),
        ("PDF with /OpenAction JavaScript", "报告.pdf", pdf_with(b"/OpenAction 3 0 R")),
        ("PDF with /AA /JS", "报告.pdf", pdf_with(b"/AA<</O 3 0 R>>")),
        ("PDF with /Launch", "报告.pdf", pdf_with(b"/OpenAction<</S/Launch/F(cmd.exe)>>")),
        ("truncated PDF", "报告.pdf", pdf_bytes()[:40]),
        ("0-byte PDF", "报告.pdf", b""),
        ("SVG with script", "截图.svg", SVG),
        ("SVG renamed .pdf", "截图.pdf", SVG),
        ("HTML renamed .pdf", "截图.pdf", b"<html><script>alert(1)</script></html>"),
        ("executable .exe", "setup.exe", PE),
        ("double extension .pdf.exe", "报告.pdf.exe", PE),
    ]
    if "png" in extensions:
        items += [
            ("ELF renamed .png", "截图.png", ELF),
            ("zip renamed .png", "截图.png", zip_bytes()),
            ("PNG with a zip appended (polyglot)", "截图.png", png_bytes() + zip_bytes()),
            ("PNG with a PDF appended (polyglot)", "截图.png", png_bytes() + pdf_with(b"/OpenAction 3 0 R")),
            ("truncated PNG", "截图.png", png_bytes(64, 64)[:60]),
            ("PNG decompression bomb (400 megapixels)", "截图.png", png_header_bomb()),
            ("0-byte PNG", "截图.png", b""),
        ]
    if "jpg" in extensions:
        items += [
            ("PE renamed .jpg", "照片.jpg", PE),
            ("JPEG with a zip appended (polyglot)", "照片.jpg", jpeg_bytes() + zip_bytes()),
            ("truncated JPEG", "照片.jpg", jpeg_bytes()[:100]),
        ]
    return items
