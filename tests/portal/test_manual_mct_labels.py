"""The MCT manual (/help/mct/) quotes the portal's own labels, as the NRTA one does (issue 9).

A label the manual puts in “…” must be a string of the portal's templates or code (outside the manuals
themselves), so a renamed button or menu shows up here; the few that are not one literal string are
listed with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SOURCES = ("accounts", "filings", "review", "supervision", "templates", "portal", "common")
# Quoted in the manual but not one literal string of ours, and why.
NOT_LITERAL = {
    "演出监控录像": "the seed manual's name for a material, quoted to say the portal calls it 演出监管预案",
}


def manual_text(client) -> str:
    response = client.get(reverse("manual", args=["mct"]))
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"<[^>]+>", "", html[html.index('id="ch1"') :])


def portal_strings() -> str:
    parts = []
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".html", ".py") and "help" not in path.parts and "migrations" not in path.parts:
                parts.append(path.read_text(encoding="utf-8", errors="ignore"))
    return "\n".join(parts)


def test_every_quoted_label_is_a_label_of_the_portal(client):
    text = manual_text(client)
    quoted = set(re.findall(r"“([^”]+)”", text))
    source = portal_strings()

    missing = sorted(label for label in quoted - set(NOT_LITERAL) if label not in source)

    assert missing == []
    assert set(NOT_LITERAL) <= quoted  # the exceptions are still in the manual
    # The labels of the seed's applicant screens are there.
    for label in ("立即注册", "获取验证码", "注册", "登录", "激活资质", "保存", "提交", "变更", "证照查看", "操作手册"):
        assert f"“{label}”" in text, label
