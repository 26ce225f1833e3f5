"""Telling a certificate's holder that it is ready or its status changed (through the outbox)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Certificate
from ..outbox import enqueue
from ..outbox.notifications import notify_payload
from .lookup import kind_label


def notify_holder(certificate: Certificate, event: str) -> None:
    """Queue a notification to the holder's members (in-site, SMS, e-mail) in this transaction.

    Written in the site's language (Chinese), whatever language the request or task runs in.
    """
    with translation.override(settings.LANGUAGE_CODE):
        _queue_notification(certificate, event)


TITLES = {
    "suspend": gettext_lazy("证照已暂扣"),
    "restore": gettext_lazy("证照已恢复有效"),
    "revoke": gettext_lazy("证照已注销"),
    "expire": gettext_lazy("证照已失效"),
}


def _queue_notification(certificate: Certificate, event: str) -> None:
    if event == "ready":
        title = _("证照已生成")
        body = _("您的%(kind)s《%(title)s》证照（%(number)s）已生成，可在证照查看中下载。")
    else:
        title = str(TITLES.get(event, TITLES["revoke"]))
        body = _(
            "您的%(kind)s《%(title)s》证照（%(number)s）状态变更为“%(status)s”。原因：%(category)s；说明：%(reason)s"
        )
    values = {
        "kind": kind_label(certificate),
        "title": certificate.title,
        "number": certificate.number,
        "status": certificate.get_status_display(),
        "category": certificate.get_status_reason_display(),
        "reason": certificate.status_note,
    }
    link = reverse("review:certificate", args=[certificate.public_id])
    payload = notify_payload(
        organisation=certificate.organisation_id, title=title, body=body % values, link=link, sms=True, email=True
    )
    enqueue("notify", payload)
