"""QR codes as small inline SVG (vector, no network, no temporary files)."""

from __future__ import annotations

import base64

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_svg(data: str, *, border: int = 4) -> str:
    """SVG markup of a QR code of ``data``: one path of merged horizontal runs."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    size = len(matrix)
    parts: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(parts)}"/></svg>'
    )


def qr_data_uri(data: str) -> str:
    """``data:`` URI of the QR code SVG, for an ``<img src>``."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode("ascii")).decode("ascii")
