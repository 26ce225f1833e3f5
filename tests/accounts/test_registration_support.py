"""Helpers for the registration, SMS and members tests (no tests here).

They read the rendered page the way a user sees it: the message shown next to
a field (inside ``div#div_id_<field>``) and the value the field was re-rendered
with.
"""

from __future__ import annotations

import re

import tinyhtml5
from stdnum.cn import uscc

from tests.conftest import last_sms_code

NS = "{http://www.w3.org/1999/xhtml}"
PASSWORD = "Star2026Light"
CAPTCHA_OK = {"captcha_0": "key", "captcha_1": "PASSED"}


def credit_code(division: str = "430100", serial: int = 1) -> str:
    """A valid unified social credit code in ``division`` (GB 32100 check character computed)."""
    base = f"91{division}MA4L{serial:05d}"
    return base + uscc.calc_check_digit(base)


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def page(response):
    return tinyhtml5.parse(response.content.decode())


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def element_by_id(root, element_id: str):
    for element in root.iter():
        if element.get("id") == element_id:
            return element
    return None


def text_of(element) -> str:
    return _norm("".join(element.itertext())) if element is not None else ""


def field_errors(response, name: str) -> list[str]:
    """Messages shown next to field ``name`` (inside its ``div#div_id_<name>`` wrapper)."""
    wrapper = element_by_id(page(response), f"div_id_{name}")
    assert wrapper is not None, f"field {name} is not on the page"
    return [text_of(element) for element in wrapper.iter() if (element.get("id") or "").startswith("error_")]


def field_value(response, name: str):
    """What the field ``name`` shows after a re-render (None when it has no value)."""
    root = page(response)
    for element in root.iter():
        if element.get("name") != name:
            continue
        tag = element.tag.replace(NS, "")
        if tag == "input":
            if element.get("type") in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    return element.get("value")
                continue
            return element.get("value")
        if tag == "select":
            for option in element.iter(f"{NS}option"):
                if option.get("selected") is not None:
                    return option.get("value")
            return None
        if tag == "textarea":
            return "".join(element.itertext())
    return None


def has_field(response, name: str) -> bool:
    return any(e.get("name") == name for e in page(response).iter())


def select_options(response, name: str) -> list[str]:
    for element in page(response).iter(f"{NS}select"):
        if element.get("name") == name:
            return [o.get("value") for o in element.iter(f"{NS}option")]
    raise AssertionError(f"no select {name}")


def messages_text(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def enterprise_data(**overrides) -> dict:
    data = {
        "name": "湖南星光文化传媒有限公司",
        "full_name": "李华",
        "phone": "13812340001",
        "credit_code": credit_code(),
        **CAPTCHA_OK,
        "sms_code": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "agree": "on",
    }
    data.update(overrides)
    return data


def send_register_code(client, url: str, data: dict) -> str:
    """Press 获取验证码 without JavaScript and return the code that was sent."""
    response = client.post(url, {**data, "action": "send_code"})
    assert response.status_code == 200
    assert "验证码已发送，5分钟内有效。" in messages_text(response), field_errors(response, "sms_code")
    return last_sms_code(data["phone"])
