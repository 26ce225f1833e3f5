"""Pluggable SMS delivery, shaped like Django's email backends.

Chinese SMS gateways send only pre-registered templates, so a message is a
phone number, a template id and its parameters; the signature comes from
settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class SmsMessage:
    phone: str
    template: str
    params: dict[str, str] = field(default_factory=dict)
    signature: str = ""

    def render(self) -> str:
        """Readable text, for the console and file backends only."""
        body = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"【{self.signature}】[{self.template}] {body}"


class SmsDeliveryError(Exception):
    """The gateway refused or could not be reached."""


def get_backend(backend: str | None = None, **kwargs):
    return import_string(backend or settings.SMS_BACKEND)(**kwargs)


def send_sms(phone: str, template: str, params: dict[str, str] | None = None) -> None:
    message = SmsMessage(phone=phone, template=template, params=dict(params or {}), signature=settings.SMS_SIGNATURE)
    get_backend().send_messages([message])
