"""What a programme provides for its certificates (证照).

A kind that issues certificates sets ``Kind.certificate`` to an instance of a
:class:`CertificateProvider` subclass and ``Kind.approved_states`` to the
states in which its objects hold one (the sweep issues what was missed); on
approval its side effects write ``("certificate.issue", {"kind": key, "id": pk})``
to the outbox. The machinery (record, number, PDF, QR, verify page, sweep)
lives in ``review.certificates`` and reads the provider only:

* :meth:`CertificateProvider.spec` — the document: number format and counter,
  issuing department, heading, statement, rows printed on the PDF;
* :attr:`CertificateProvider.template_name` — the PDF's HTML template;
* :attr:`CertificateProvider.wording` — how the verify page and lists speak of
  the subject (节目 / 作品, 备案信息 / 推优信息);
* :meth:`CertificateProvider.public_details` — the live, current approved data
  of the public verify page (personal data masked), and
  :meth:`CertificateProvider.verify_queryset` — its ``select_related`` /
  ``prefetch_related`` so that page needs one query;
* :meth:`CertificateProvider.on_status_changed` — the subject follows the
  certificate's status (暂扣 / 恢复 / 注销 / 失效), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from ..engine.errors import ReviewError


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
    # Heading of the document, e.g. 网络演出剧（节）目备案证明 (default: kind_label + 证明).
    heading: str = ""
    # The sentence above the table (default: a generic approval statement).
    statement: str = ""


@dataclass(frozen=True)
class Wording:
    """How pages speak of a kind's certified subject."""

    title_label: Any = _("名称")  # the subject's name row: 节目名称 / 作品名称
    reference_label: Any = _("受理编号")  # the application's number: 受理编号 / 申报编号
    details_heading: Any = _("当前信息")  # the verify page's table of live data
    details_note: Any = _("以上为当前有效的信息；个人信息已做脱敏处理。")
    pdf_note: Any = _("本证明以核验页面显示的状态为准。")


class CertificateProvider:
    """Base of a kind's certificate provider; subclass and override ``spec`` (at least)."""

    template_name: str = "review/certificates/certificate.html"
    wording: Wording = Wording()

    def spec(self, subject: Model) -> CertificateSpec | None:
        """The certificate document of an approved subject (None: no certificate for it)."""
        raise NotImplementedError

    def public_details(self, subject: Model) -> list[tuple[Any, Any]]:
        """(label, value) rows of the subject's live, current approved data for the verify page."""
        return []

    def verify_queryset(self, queryset: QuerySet) -> QuerySet:
        """Add what ``public_details`` reads to the subject's fetch (one query per snapshot)."""
        return queryset

    def on_status_changed(self, certificate: Model, status: str, *, actor: Any, note: str) -> None:
        """The certificate's status became ``status`` (a ``CertificateStatus`` value): make the
        subject follow it (a revoked programme is no longer filed …). Runs inside the status
        change's transaction, after the certificate row is saved; raising ``ReviewError``
        undoes the change and shows its message."""


class CertificateError(ReviewError):
    """A refused certificate operation; ``message`` is shown to the user as it is."""
