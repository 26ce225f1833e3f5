"""Chinese everywhere in /staff/ (issue 12): every page each staff role reaches from /staff/ in the demo data
(lists, filters, detail, add and history pages, the index and the app pages) shows none of Django's English
("Model name", "Add link", alt="Search" …) nor its machine-like Chinese ("以 队列", "选择证照查看",
"增加 通知公告", "账户 管理").

The walk follows every /staff/ link of every page it reaches (GET; no exports, downloads or logout), one
page per shape (ids replaced by *, a query string by its keys, at most one filter at a time)."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

ROLES = ("mct-hunan", "mct-ministry", "nrta-hunan", "nrta-ministry")

# Django's admin English, wherever a user sees or hears it (text, title, alt, aria-label, placeholder).
ENGLISH = re.compile(
    r"\b(Model name|Add link|Change or view list link|Search|Select|Change|View|Add|Delete|History|Save|"
    r"Filter|Show all|Action|Actions|User|Home|Log out|Django|Unknown|Today|Yes|No|None|True|False|By)\b"
)
# Django's Chinese catalogue where it reads machine-like, in the headings and links it writes.
MACHINE_CHINESE = re.compile(r"^(以 |选择\s*\S+\s*来修改$|选择\S+查看$|增加 |修改 |查看 |\S+ 管理$|变更历史： )")
SKIP = re.compile(r"/logout/|/(export|pdf|xlsx|csv|zip|download|pledge|file|files)/|\.(pdf|xlsx|csv|zip|png)$")


def shape(url: str) -> str:
    path, _, query = url.partition("?")
    keys = sorted({part.split("=")[0] for part in query.split("&") if part})
    path = re.sub(r"/[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*/", "/*/", path)
    return path + "?" + ",".join(keys)


def seen_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>|<!--.*?-->", " ", html)
    html = re.sub(r'<input[^>]*type="hidden"[^>]*>', " ", html)
    attributes = re.findall(r'\b(?:title|alt|aria-label|placeholder)="([^"]*)"', html)
    attributes += re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', html)
    return unescape(re.sub(r"(?s)<[^>]+>", " ", html) + " " + " ".join(attributes))


def headings(html: str) -> list[str]:
    found = re.findall(r"(?s)<(?:h1|h2|h3|summary|title|caption)\b[^>]*>(.*?)</", html)
    found += re.findall(r'(?s)<a [^>]*class="[^"]*addlink[^"]*"[^>]*>(.*?)</a>', html)
    return [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", h))).strip() for h in found]


def walk(username: str, limit: int = 250) -> dict[str, str]:
    """{url: html} of the /staff/ pages the user reaches; server errors are raised."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    queue, visited, shapes, pages = ["/staff/"], set(), set(), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in visited or shape(url) in shapes:
            continue
        visited.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        shapes.add(shape(url))
        html = response.content.decode()
        pages[url] = html
        for href in re.findall(r'href="([^"#]*)"', html):
            href = unescape(href)
            if href.startswith("?"):
                href = url.partition("?")[0] + href
            query = href.partition("?")[2]
            if not href.startswith("/staff/") or SKIP.search(href) or query.count("=") > 1:
                continue
            queue.append(href)
    return pages


def leaks(pages: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    for url, html in pages.items():
        for word in ENGLISH.findall(seen_text(html)):
            found.setdefault(word, set()).add(url)
        for heading in headings(html):
            if MACHINE_CHINESE.search(heading):
                found.setdefault(heading, set()).add(url)
    return {word: sorted(urls)[:3] for word, urls in sorted(found.items())}


@pytest.fixture
def demo(db):
    call_command("demo", stdout=StringIO())


def test_every_staff_page_of_every_role_reads_chinese(demo):
    walked = {role: walk(role) for role in ROLES}

    # the walk reached the pages the issue names, for the roles that have them
    everything = {url for pages in walked.values() for url in pages}
    for needed in ("/staff/", "/staff/review/certificate/", "/staff/filings/filing/", "/staff/accounts/"):
        assert any(url.partition("?")[0] == needed for url in everything), needed
    assert any(re.match(r"/staff/filings/filing/[^/]+/change/", url) for url in everything)
    assert any(url.startswith("/staff/accounts/staffprofile/add/") for url in walked["nrta-ministry"])
    assert all(len(pages) > 10 for pages in walked.values())

    assert {role: leaks(pages) for role, pages in walked.items()} == {role: {} for role in ROLES}


def test_the_titles_django_writes_are_replaced(demo):
    client = Client()
    client.force_login(User.objects.get(username="mct-ministry"))

    certificates = client.get("/staff/review/certificate/").content.decode()
    accounts = client.get("/staff/accounts/").content.decode()
    index = client.get("/staff/").content.decode()
    staff_list = client.get("/staff/accounts/staffprofile/").content.decode()

    assert "<h1>证照</h1>" in certificates and "选择证照查看" not in certificates
    assert re.search(r"<summary>\s*队列\s*</summary>", client.get("/staff/filings/filing/").content.decode())
    assert "<h1>账户</h1>" in accounts
    assert '<th scope="col">功能</th>' in index and "Model name" not in index
    assert re.search(r'class="addlink">\s*新增审核人员\s*</a>', staff_list)
    assert 'alt="Search"' not in staff_list and 'for="searchbar"' in staff_list
