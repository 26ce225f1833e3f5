"""The HTTP SMS gateway adapter against a real local HTTP server."""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accounts import sms
from accounts.sms import SmsDeliveryError, SmsMessage
from accounts.sms.backends.http import SmsBackend

CODE = "654321"


class Gateway:
    """A scripted gateway: each request takes the next (status, body, delay) answer."""

    def __init__(self):
        self.script: list[tuple[int, bytes, float]] = []
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                gateway.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, payload, delay = gateway.script.pop(0) if gateway.script else (200, b'{"code":"OK"}', 0)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/sms/send"

    def answer(self, status: int, body, delay: float = 0.0) -> None:
        payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.script.append((status, payload, delay))


@pytest.fixture
def gateway():
    gw = Gateway()
    gw.thread.start()
    yield gw
    gw.server.shutdown()
    gw.server.server_close()


def backend(gateway, **kwargs) -> SmsBackend:
    options = {"url": gateway.url, "key": "test-key-123", "timeout": 2.0, "retries": 2, "backoff": 0.01}
    options.update(kwargs)
    return SmsBackend(**options)


def message() -> SmsMessage:
    return SmsMessage(
        phone="13800000001", template="SMS_LOGIN", params={"code": CODE, "minutes": "5"}, signature="文化视听备案门户"
    )


def test_sms_gateway_success_posts_json_with_bearer_key(gateway):
    gateway.answer(200, {"code": "OK", "message": "sent"})

    sent = backend(gateway).send_messages([message()])

    assert sent == 1
    assert len(gateway.requests) == 1
    request = gateway.requests[0]
    assert request["path"] == "/sms/send"
    assert request["headers"]["Authorization"] == "Bearer test-key-123"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(request["body"].decode("utf-8")) == {
        "phone": "13800000001",
        "template_id": "SMS_LOGIN",
        "params": {"code": CODE, "minutes": "5"},
        "sign": "文化视听备案门户",
    }


def test_sms_gateway_4xx_is_not_retried(gateway):
    gateway.answer(400, {"code": "TEMPLATE_INVALID", "message": "模板未报备"})

    with pytest.raises(SmsDeliveryError) as info:
        backend(gateway).send_messages([message()])

    assert str(info.value) == "TEMPLATE_INVALID: 模板未报备"
    assert len(gateway.requests) == 1


def test_sms_gateway_refusal_in_200_body_is_an_error(gateway):
    gateway.answer(200, {"code": "BALANCE", "message": "余额不足"})

    with pytest.raises(SmsDeliveryError) as info:
        backend(gateway).send_messages([message()])

    assert str(info.value) == "BALANCE: 余额不足"
    assert len(gateway.requests) == 1


def test_sms_gateway_500_then_200_is_retried(gateway):
    gateway.answer(500, {"code": "ERR", "message": "busy"})
    gateway.answer(200, {"code": "OK"})

    assert backend(gateway).send_messages([message()]) == 1
    assert len(gateway.requests) == 2
    assert gateway.requests[0]["body"] == gateway.requests[1]["body"]


def test_sms_gateway_500_every_time_gives_up_after_retries(gateway):
    for _ in range(3):
        gateway.answer(503, b"Service Unavailable")

    with pytest.raises(SmsDeliveryError) as info:
        backend(gateway, retries=2).send_messages([message()])

    assert str(info.value) == "短信网关不可用（HTTP 503）"
    assert len(gateway.requests) == 3


def test_sms_gateway_timeout_is_retried_then_error(gateway):
    gateway.answer(200, {"code": "OK"}, delay=0.6)
    gateway.answer(200, {"code": "OK"}, delay=0.6)

    started = time.monotonic()
    with pytest.raises(SmsDeliveryError) as info:
        backend(gateway, timeout=0.2, retries=1).send_messages([message()])

    assert str(info.value) == "短信网关不可用（timeout）"
    assert len(gateway.requests) == 2
    assert time.monotonic() - started < 2


def test_sms_gateway_timeout_then_success(gateway):
    gateway.answer(200, {"code": "OK"}, delay=0.6)
    gateway.answer(200, {"code": "OK"})

    assert backend(gateway, timeout=0.2, retries=1).send_messages([message()]) == 1
    assert len(gateway.requests) == 2


def test_sms_gateway_bad_json_is_an_error_without_retry(gateway):
    gateway.answer(200, b"<html>ok</html>")

    with pytest.raises(SmsDeliveryError) as info:
        backend(gateway).send_messages([message()])

    assert str(info.value) == "短信网关返回了无法解析的响应（HTTP 200）"
    assert len(gateway.requests) == 1


def test_sms_gateway_connection_refused_is_retried_then_error():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on that port any more.
    refused = SmsBackend(url=f"http://127.0.0.1:{port}/", key="k", timeout=1, retries=1, backoff=0.01)

    with pytest.raises(SmsDeliveryError) as info:
        refused.send_messages([message()])
    assert str(info.value) == "短信网关不可用（connection error: ConnectionRefusedError）"


def test_sms_gateway_fail_silently_counts_only_sent(gateway):
    gateway.answer(400, {"code": "BAD"})
    gateway.answer(200, {"code": "OK"})

    assert backend(gateway, fail_silently=True).send_messages([message(), message()]) == 1


def test_sms_gateway_never_logs_the_code(gateway, caplog):
    gateway.answer(500, {"code": "ERR"})
    gateway.answer(400, {"code": "BAD", "message": "号码无效"})

    with caplog.at_level(logging.DEBUG):
        with pytest.raises(SmsDeliveryError) as info:
            backend(gateway).send_messages([message()])
        gateway.answer(200, {"code": "OK"})
        backend(gateway).send_messages([message()])

    assert caplog.records, "the adapter logs its attempts"
    assert all(CODE not in record.getMessage() for record in caplog.records)
    assert all("13800000001" not in record.getMessage() for record in caplog.records)
    assert CODE not in str(info.value)


def test_sms_gateway_through_send_sms_uses_settings(gateway, settings):
    settings.SMS_BACKEND = "accounts.sms.backends.http.SmsBackend"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_KEY = "from-settings"
    settings.SMS_GATEWAY_TIMEOUT = 2
    settings.SMS_GATEWAY_RETRIES = 0
    settings.SMS_SIGNATURE = "测试签名"
    gateway.answer(200, {"code": "OK"})

    sms.send_sms("13800000009", "SMS_REGISTER", {"code": CODE})

    request = gateway.requests[0]
    assert request["headers"]["Authorization"] == "Bearer from-settings"
    assert json.loads(request["body"]) == {
        "phone": "13800000009",
        "template_id": "SMS_REGISTER",
        "params": {"code": CODE},
        "sign": "测试签名",
    }


def test_sms_gateway_without_url_is_an_error(settings):
    settings.SMS_GATEWAY_URL = ""

    with pytest.raises(SmsDeliveryError):
        SmsBackend().send_messages([message()])


def test_sms_gateway_refuses_non_http_urls(tmp_path):
    target = tmp_path / "x.json"
    target.write_text('{"code": "OK"}')

    with pytest.raises(SmsDeliveryError) as info:
        SmsBackend(url=f"file://{target}", key="k").send_messages([message()])
    assert str(info.value) == "SMS_GATEWAY_URL must be an http(s) URL"
