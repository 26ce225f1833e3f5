"""What a kind tells the certificate machinery about an approved object.

A kind whose approval issues a certificate sets ``Kind.extra["certificate"]``
to a callable returning a :class:`CertificateSpec`; the machinery (record,
number, PDF, verification page) lives in this app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CertificateSpec:
    organisation: Any  # accounts.Organisation
    province: str  # region code ("" for national)
    title: str  # programme / work name
    reference: str  # reference number of the application
    issuing_department: str  # official name from the region table
    sequence_key: str  # counter key, e.g. "cert:网演备:2026:430000"
    format_number: Callable[[int], str]  # e.g. lambda n: f"网演备〔2026〕湘字第{n:06d}号"
    kind_label: str = ""  # e.g. 国产网络演出剧（节）目备案
    # (label, value) rows printed on the PDF.
    details: list[tuple[str, str]] = field(default_factory=list)
