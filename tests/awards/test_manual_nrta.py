"""The NRTA manual (/help/nrta/) describes what exists: its links open real pages, its quoted labels are the screens'.

A label the manual puts in “…” must be a string of the portal's own templates or
code (outside the manuals themselves), so a renamed button shows up here; the
few that are not literal are listed with the reason. Every link of the manual
opens, for the person the chapter is written for.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from tests.awards.factories import nrta_ministry

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SOURCES = ("accounts", "awards", "review", "templates", "portal", "common")
# Quoted in the manual but not one literal string of ours, and why.
NOT_LITERAL = {
    "动作": "Django admin's own action selector",
    "新增专家分配": "the reviewers' site's add link, 新增%(name)s with the 专家分配 model",
    "已推荐 N/10": "the quota counter, 已推荐 %(used)s/%(limit)s",
    "还可推荐 M 件": "the quota panel, 还可推荐 {{ left }} 件",
    "排名前 N 名": "the ranking's scope: 排名前 [N] 名 around a number field",
    "确认入选": "the confirmation button: 确认 + the decision's label",
    "确认未入选": "the confirmation button: 确认 + the decision's label",
}


def manual_html(client) -> str:
    response = client.get(reverse("manual", args=["nrta"]))
    assert response.status_code == 200
    return response.content.decode()


def portal_strings() -> str:
    parts = []
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".html", ".py") and "help" not in path.parts and "migrations" not in path.parts:
                parts.append(path.read_text(encoding="utf-8", errors="ignore"))
    return "\n".join(parts)


def test_every_quoted_label_is_a_label_of_the_portal(client):
    html = manual_html(client)
    text = re.sub(r"<[^>]+>", "", html[html.index('id="tips"') :])
    quoted = set(re.findall(r"“([^”]+)”", text))
    source = portal_strings()

    missing = sorted(label for label in quoted - set(NOT_LITERAL) if label not in source)

    assert missing == []
    assert set(NOT_LITERAL) <= quoted  # the exceptions are still in the manual
    # The labels of the seed's applicant screens and of each reviewer chapter are there.
    for label in ("项目申报", "立刻申报", "保存", "申报", "我的申报", "编辑", "查看", "推荐", "不推荐", "退回修改"):
        assert f"“{label}”" in text, label
    for label in (
        "提交声明",
        "保存评分",
        "下一步：确认",
        "发起公示",
        "提交异议",
        "提交处理结果",
        "确认公布",
        "证照核验",
    ):
        assert f"“{label}”" in text, label


def test_table_of_contents_names_every_chapter(client):
    html = manual_html(client)

    toc = re.findall(r'<li><a href="#(ch\d+|tips)">', html)
    sections = re.findall(r'<section id="(ch\d+|tips)"', html)

    assert toc == sections == ["tips", *[f"ch{n}" for n in range(1, 11)]]


def test_every_link_of_the_manual_opens_for_its_reader(client):
    html = manual_html(client)
    links = sorted(
        {href for href in re.findall(r'href="([^"#]+)"', html) if href.startswith("/") and "/static/" not in href}
    )
    staff_links = [href for href in links if href.startswith("/staff/")]
    public_links = [href for href in links if not href.startswith("/staff/")]
    for href in links:
        try:
            resolve(href.split("?")[0])
        except Resolver404:
            pytest.fail(f"the manual links to {href}, which is no page")

    # Public chapters open for anyone (the applicant and expert pages ask for a login first).
    anonymous = {href: client.get(href).status_code for href in public_links}
    assert set(anonymous.values()) <= {200, 302}, anonymous
    assert anonymous[reverse("awards:results")] == 200
    assert anonymous[reverse("manual_pdf", args=["nrta"])] == 200

    # The /staff/ chapters open for NRTA ministry staff, and not for a visitor.
    client.force_login(nrta_ministry())
    opened = {href: client.get(href).status_code for href in staff_links}
    assert opened == dict.fromkeys(staff_links, 200)
    assert len(staff_links) == 7
    client.logout()
    assert {client.get(href).status_code for href in staff_links} == {302}
