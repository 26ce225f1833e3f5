"""HTTP gateway adapter: POSTs each message as JSON to ``SMS_GATEWAY_URL``.

Request::

    POST <SMS_GATEWAY_URL>
    Authorization: Bearer <SMS_GATEWAY_KEY>
    Content-Type: application/json; charset=utf-8

    {"phone": "13800000001", "template_id": "SMS_LOGIN", "params": {"code": "123456", ...}, "sign": "文化视听备案门户"}

The gateway answers ``{"code": "OK"}`` on success, anything else (``{"code":
"...", "message": "..."}``) is a refusal. Connection errors, timeouts and 5xx
answers are retried ``SMS_GATEWAY_RETRIES`` times with a short backoff; 4xx
answers and refusals are not (they would fail again). Only the standard
library is used. The parameters (verification codes) are never logged.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from accounts.sms import SmsDeliveryError
from common.validators import mask_phone

from .base import BaseSmsBackend

logger = logging.getLogger("accounts.sms")


class _Retryable(Exception):
    pass


class SmsBackend(BaseSmsBackend):
    def __init__(
        self,
        url: str | None = None,
        key: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float = 0.2,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.key = key if key is not None else settings.SMS_GATEWAY_KEY
        self.timeout = timeout if timeout is not None else settings.SMS_GATEWAY_TIMEOUT
        self.retries = max(0, retries if retries is not None else settings.SMS_GATEWAY_RETRIES)
        self.backoff = backoff

    def send_messages(self, messages) -> int:
        sent = 0
        for message in messages:
            try:
                self._send(message)
            except SmsDeliveryError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    # ------------------------------------------------------------------------
    def _request(self, message) -> urllib.request.Request:
        body = json.dumps(
            {
                "phone": message.phone,
                "template_id": message.template,
                "params": message.params,
                "sign": message.signature,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        return urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked)

    def _send(self, message) -> None:
        if not self.url:
            raise SmsDeliveryError("SMS_GATEWAY_URL is not configured")
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise SmsDeliveryError("SMS_GATEWAY_URL must be an http(s) URL")
        phone = mask_phone(message.phone)
        attempts = self.retries + 1
        last_problem = ""
        for attempt in range(1, attempts + 1):
            try:
                self._attempt(message)
            except _Retryable as exc:
                last_problem = str(exc)
                logger.warning(
                    "SMS gateway attempt %s/%s for %s (template %s) failed: %s",
                    attempt,
                    attempts,
                    phone,
                    message.template,
                    last_problem,
                )
                if attempt < attempts:
                    time.sleep(self.backoff * (2 ** (attempt - 1)))
                continue
            except SmsDeliveryError as exc:
                logger.warning("SMS gateway refused message to %s (template %s): %s", phone, message.template, exc)
                raise
            logger.info("SMS sent to %s (template %s)", phone, message.template)
            return
        raise SmsDeliveryError(f"短信网关不可用（{last_problem}）")

    def _attempt(self, message) -> None:
        try:
            with urllib.request.urlopen(self._request(message), timeout=self.timeout) as response:  # noqa: S310
                status = response.status
                raw = response.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
            try:
                raw = exc.read()
            except OSError:
                raw = b""
            finally:
                exc.close()
            if status >= 500:
                raise _Retryable(f"HTTP {status}")
            raise SmsDeliveryError(_gateway_message(raw) or f"HTTP {status}")
        except TimeoutError:
            raise _Retryable("timeout")
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise _Retryable("timeout")
            raise _Retryable(f"connection error: {type(reason).__name__}")
        except (ConnectionError, OSError) as exc:  # reset while reading, refused …
            raise _Retryable(f"connection error: {type(exc).__name__}")

        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise SmsDeliveryError(f"短信网关返回了无法解析的响应（HTTP {status}）")
        if not isinstance(data, dict):
            raise SmsDeliveryError(f"短信网关返回了无法解析的响应（HTTP {status}）")
        if str(data.get("code", "")).upper() == "OK":
            return
        raise SmsDeliveryError(_gateway_message(raw) or f"短信网关拒绝发送（{data.get('code')}）")


def _gateway_message(raw: bytes) -> str:
    """The gateway's own explanation from a JSON body, never the request."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(data, dict):
        return ""
    message = data.get("message") or data.get("msg") or ""
    code = data.get("code")
    text = str(message)[:200]
    if code not in (None, "") and text:
        return f"{code}: {text}"
    return text or (str(code)[:50] if code not in (None, "") else "")
