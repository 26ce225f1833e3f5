"""Helpers of the lean-rows tests (review.staff.rows): a queue page's table body, as served and as the admin's
own cell-by-cell rendering would have written it."""

from __future__ import annotations

import re


def table_body(html: str) -> str:
    """The rows of ``#result_list`` with the whitespace between tags removed ("" without a table)."""
    match = re.search(r'<table id="result_list">.*?<tbody>(.*?)</tbody>', html, re.S)
    return re.sub(r">\s+<", "><", match.group(1).strip()) if match else ""


def both_renderings(client, monkeypatch, admin_class, url: str, params=None) -> tuple[str, str]:
    """(lean, the admin's own) table bodies of one page for the logged-in client."""
    lean = client.get(url, params or {})
    assert lean.status_code == 200, url
    with monkeypatch.context() as patched:
        patched.setattr(admin_class, "get_list_cells", lambda self, request: None)
        own = client.get(url, params or {})
    assert own.status_code == 200, url
    return table_body(lean.content.decode()), table_body(own.content.decode())


def cells(body: str) -> list[list[str]]:
    """Each row's cell texts (tags stripped), for assertions a reader can check."""
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)] for row in rows]
