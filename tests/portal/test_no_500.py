"""No input a browser can send gives a 500 (SPEC §F): every URL pattern, walked with bad ids, bad
query strings and malformed POSTs, as an anonymous visitor, an applicant, officials and ministry staff."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from filings.enums import FilingState
from filings.models import Material
from review.models import Certificate, Message
from review.outbox.views import message_token
from tests.filings.factories import EnterpriseFactory, applicant, make_change, make_filing, ministry, official

pytestmark = pytest.mark.django_db

HUGE = "界" * 5000
BAD_VALUES = ["", "abc", "-1", "0", "99999999999999999999", "2026-13-45", "1e400", "\x00", HUGE, "<script>"]
# Query strings the list pages and the admin change lists may receive from a mangled link.
BAD_QUERIES = [
    "page=abc",
    "page=-1",
    "page=99999",
    "state=nope&type=nope",
    "next=//evil.example&programme=zz",
    "o=abc",
    "o=99.-1",
    "p=x",
    "q=" + "%E7%95%8C" * 300,
    "queue=nope&kind=nope&province=zz",
    "submitted_at__gte=2026-99-99&submitted_at__lt=abc",
    "all=&e=1",
    "_changelist_filters=%00",
]
POST_ONLY_FIELDS = {"phone", "purpose", "captcha_0", "captcha_1", "target", "member", "confirm", "language", "next"}
SKIP_NAMES = {"healthz", "bench_bare"}


def _walk(resolver, prefix="", ns=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            sub_ns = f"{ns}:{entry.namespace}" if entry.namespace and ns else (entry.namespace or ns)
            yield from _walk(entry, prefix + str(entry.pattern), sub_ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _fill(route: str, value: str) -> str | None:
    """A concrete path for ``route`` with every parameter set to ``value`` (None for regex routes)."""
    if route.startswith("^") or "(?P" in route:
        return None
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: value if (m.group(1) or "str") != "int" else "1", route)
    return "/" + path


def _paths(values: list[str]) -> list[str]:
    seen: list[str] = []
    for route, entry in _walk(get_resolver()):
        if entry.name in SKIP_NAMES or route.startswith("admin/"):
            continue
        for value in values if "<" in route else [""]:
            path = _fill(route, value)
            if path is not None and path not in seen:
                seen.append(path)
    return seen


def _form_field_names(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html)) - {"csrfmiddlewaretoken"}


@pytest.fixture
def world(db):
    unit = EnterpriseFactory(name="湖南甲文化公司")
    member = applicant(unit)
    other = applicant(EnterpriseFactory(name="湖南乙文化公司"))
    draft = make_filing(organisation=unit, by=member)
    approved = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    submitted = make_filing(organisation=other.organisation, by=other, state=FilingState.SUBMITTED)
    change = make_change(approved, by=member)
    tokens = [draft.public_id, approved.public_id, submitted.public_id, change.public_id]
    tokens += list(Material.objects.values_list("token", flat=True)[:2])
    for cert in Certificate.objects.all()[:1]:
        tokens += [cert.public_id, cert.token]
    for message in Message.objects.all()[:1]:
        tokens.append(message_token(message))
    return {
        "applicant": member,
        "hunan": official("430000"),
        "beijing": official("110000"),
        "ministry": ministry(),
        "tokens": tokens,
    }


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _check(client, method, path, failures, **kwargs):
    response = getattr(client, method)(path, **kwargs)
    if response.status_code >= 500:
        failures.append(f"{method.upper()} {path[:120]} {kwargs.get('data', '')!r:.120} -> {response.status_code}")
    return response


@pytest.mark.parametrize("who", [None, "applicant", "hunan", "beijing", "ministry"])
def test_no_500_for_bad_ids_queries_and_posts(world, who, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client = _client(world[who] if who else None)
    failures: list[str] = []
    paths = _paths(["x" * 300, "domestic", *world["tokens"][:4]])
    for path in paths:
        page = _check(client, "get", path, failures)
        for query in BAD_QUERIES[:3] if "<" not in path else []:
            _check(client, "get", f"{path}?{query}", failures)
        _check(client, "post", path, failures, data={})
        names = _form_field_names(page.content.decode("utf-8", "replace")) if page.status_code == 200 else set()
        if page.status_code == 405:  # POST-only endpoints (SMS sending, 撤回, members …): the fields they read
            names = POST_ONLY_FIELDS
        if names:  # every field of the page at once: one mixed bag of bad values, then all huge
            mixed = {name: BAD_VALUES[i % len(BAD_VALUES)] for i, name in enumerate(sorted(names))}
            _check(client, "post", path, failures, data=mixed | {"action": "abc"})
            _check(client, "post", path, failures, data=dict.fromkeys(names, HUGE) | {"action": HUGE})
    assert failures == []


@pytest.mark.parametrize("who", ["hunan", "beijing", "ministry"])
def test_no_500_on_staff_admin_lists_and_details(world, who):
    client = _client(world[who])
    failures: list[str] = []
    index = client.get("/staff/")
    assert index.status_code == 200
    lists = sorted({m for m in re.findall(r'href="(/staff/\w+/\w+/)[?"]', index.content.decode())})
    assert lists, "the reviewers' index links no list"
    for base in lists:
        for query in BAD_QUERIES:
            _check(client, "get", f"{base}?{query}", failures)
        for fmt in ("xlsx", "csv", "pdf", "x" * 200):
            _check(client, "get", f"{base}export/{fmt}/?state=nope&o=zz", failures)
        for token in ["x", "0", "A" * 300, *world["tokens"]]:
            _check(client, "get", f"{base}{token}/change/", failures)
            _check(client, "post", f"{base}{token}/change/", failures, data={"transition": "nope", "comment": HUGE})
        page = client.get(base).content.decode()
        actions = set(re.findall(r'<option value="(\w+)"', page)) | {"", "nope", "delete_selected"}
        for action in sorted(actions):
            data = {"action": action, "_selected_action": ["x", "1", *world["tokens"]], "index": "0", "comment": HUGE}
            _check(client, "post", base, failures, data=data)
    assert failures == []


def test_no_500_for_applicant_reaching_staff_and_admin(world):
    client = _client(world["applicant"])
    for path in ("/staff/", "/staff/filings/filing/", "/staff/review/certificate/zip/", "/admin/"):
        response = client.get(path)
        assert response.status_code in (302, 403, 404), path


EDITOR_ACTIONS = [
    "save:nope",
    "row-add:nope",
    "row-edit:performers:x\r\nSet-Cookie: a=b",
    "row-edit:performers:" + HUGE,
    "row-save:performers:x",
    "row-save:sessions:",
    "row-delete:partners:x",
    "row-delete:performers:",
    "file-delete:x",
    "file-delete:",
    ":::",
    "submit",
    "file-delete:a\x00b",
    "row-delete:performers:a\x00b",
    "row-save:sessions:a\x00b",
    "row-edit:partners:a\x00b",
]


def test_no_500_for_crafted_editor_posts(world):
    client = _client(world["applicant"])
    failures: list[str] = []
    draft, _approved, _theirs, change = world["tokens"][:4]
    for url in (reverse("filings:edit", args=[draft]), reverse("filings:change_edit", args=[change])):
        page = client.get(url)
        assert page.status_code == 200
        for action in EDITOR_ACTIONS:
            _check(client, "post", url, failures, data={"action": action, "sections": ["basic", "programme", "x"]})
        for files in (
            [SimpleUploadedFile("empty.pdf", b"")],
            [SimpleUploadedFile("a" * 300 + ".pdf", b"%PDF-1.4\n"), SimpleUploadedFile("b.png", b"\x89PNG\r\n")],
            [SimpleUploadedFile("../../etc/passwd", b"MZ"), SimpleUploadedFile("x.pdf" + "\x00", b"%PDF-1.4")],
        ):
            _check(client, "post", url, failures, data={"action": "save", "material-self_review": files})
        _check(client, "get", url + "?edit=performers:x", failures)
        _check(client, "get", url + "?edit=" + "%0d%0a:" * 3, failures)
    for kind in ("domestic", "import"):
        url = reverse("filings:new", args=[kind])
        _check(client, "get", url, failures)
        _check(client, "post", url, failures, data={"basic-filler": "x", "basic-manager": HUGE, "basic-email": HUGE})
    assert failures == []


@pytest.mark.parametrize("who", [None, "applicant"])
def test_no_500_when_asking_for_sms_codes_with_bad_input(world, who):
    from accounts.enums import SmsPurpose

    client = _client(world[who] if who else None)
    failures: list[str] = []
    for purpose in SmsPurpose.values:
        for phone in ("", "abc", "1" * 11, "13800000000", HUGE):
            for captcha in ({}, {"captcha_0": "nope", "captcha_1": "PASSED"}, {"captcha_0": HUGE, "captcha_1": ""}):
                data = {"purpose": purpose, "phone": phone, "target": "old"} | captcha
                _check(client, "post", reverse("accounts:sms_send"), failures, data=data)
    assert failures == []


def test_no_500_on_member_add_and_activation_with_bad_input(world):
    from tests.factories import ApplicantFactory

    failures: list[str] = []
    client = _client(world["applicant"])
    names = _form_field_names(client.get(reverse("accounts:members")).content.decode())
    for action in ("send_code", "add", HUGE):
        for bad in ("abc", HUGE, "13800000000"):
            _check(
                client,
                "post",
                reverse("accounts:member_add"),
                failures,
                data=dict.fromkeys(names, bad) | {"action": action},
            )
    newcomer = _client(ApplicantFactory())  # a unit that has not activated its qualification yet
    page = newcomer.get(reverse("accounts:activate"))
    assert page.status_code == 200
    names = _form_field_names(page.content.decode())
    for bad in ("abc", HUGE, "", "\x00"):
        _check(newcomer, "post", reverse("accounts:activate"), failures, data=dict.fromkeys(names, bad))
    assert failures == []


@pytest.mark.parametrize(
    "method, url, data",
    [
        ("get", "/filings/applications/a%00b/", None),
        ("get", "/verify/a%00b/", None),
        ("get", "/certificates/?kind=a%00b", None),
    ],
)
def test_nul_characters_are_a_bad_request(client, db, method, url, data):
    """PostgreSQL refuses NUL in text (ValueError → 500); the portal answers 400 before any query."""
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == 400
    assert "请求无法处理，请返回上一页检查后重试。" in response.content.decode()
