"""Filings on the reviewers' admin site (/staff/): scope, search, detail fragment, actions, export."""

import re

import pytest
from django.urls import reverse

from filings.enums import FilingKind, FilingState
from filings.models import Filing, Material

from .factories import EnterpriseFactory, make_change, make_filing

pytestmark = pytest.mark.django_db

LIST = "staff:filings_filing_changelist"
CHANGES = "staff:filings_changerequest_changelist"


def detail_url(obj):
    name = "filing" if isinstance(obj, Filing) else "changerequest"
    return reverse(f"staff:filings_{name}_change", args=[obj.public_id])


def rows(response) -> list[str]:
    return re.findall(r'<th class="field-reference"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def filings(unit, member):
    beijing = EnterpriseFactory(province="110000", name="北京示例公司", credit_code="91110000MA0000001X")
    return {
        "hunan": make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED, name="湘江音乐会"),
        "hunan_import": make_filing(
            organisation=unit, by=member, kind=FilingKind.IMPORT, state=FilingState.SUBMITTED, name="进口剧目"
        ),
        "draft": make_filing(organisation=unit, by=member, name="草稿节目"),
        "beijing": make_filing(organisation=beijing, state=FilingState.SUBMITTED, name="京城晚会"),
    }


def test_provincial_official_sees_only_submitted_filings_of_the_province(client, hunan_official, filings):
    client.force_login(hunan_official)
    response = client.get(reverse(LIST))
    assert sorted(rows(response)) == sorted([filings["hunan"].reference, filings["hunan_import"].reference])


def test_ministry_sees_all_provinces(client, ministry_staff, filings):
    client.force_login(ministry_staff)
    assert len(rows(client.get(reverse(LIST)))) == 3


def test_beijing_official_gets_404_on_a_hunan_filing(client, beijing_official, filings):
    client.force_login(beijing_official)
    filing = filings["hunan"]
    assert client.get(detail_url(filing)).status_code == 404
    response = client.post(detail_url(filing), {"transition": "accept", "comment": ""})
    assert response.status_code == 404
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED
    assert rows(client.get(reverse(LIST))) == [filings["beijing"].reference]


@pytest.mark.parametrize("term", ["湘江", "湖南示例文化传媒", "WY-湘-"])
def test_search_by_name_unit_and_reference(client, hunan_official, filings, term):
    client.force_login(hunan_official)
    found = rows(client.get(reverse(LIST), {"q": term}))
    assert filings["hunan"].reference in found
    assert filings["hunan_import"].reference not in found or term == "湖南示例文化传媒"


def test_search_by_credit_code(client, ministry_staff, filings):
    client.force_login(ministry_staff)
    assert rows(client.get(reverse(LIST), {"q": "91110000MA0000001X"})) == [filings["beijing"].reference]


def test_detail_shows_the_application_with_protected_file_links(client, hunan_official, filings):
    client.force_login(hunan_official)
    filing = filings["hunan"]
    body = client.get(detail_url(filing)).content.decode()
    assert 'data-testid="filing-detail"' in body
    assert "湘江音乐会" in body
    for material in Material.objects.filter(version_id=filing.application_version_id):
        assert reverse("filings:download", args=[material.token]) in body


def test_accept_then_approve_from_the_admin(client, hunan_official, filings):
    client.force_login(hunan_official)
    filing = filings["hunan"]
    client.post(detail_url(filing), {"transition": "accept", "comment": ""})
    assert Filing.objects.get(pk=filing.pk).state == FilingState.REVIEWING
    client.post(detail_url(filing), {"transition": "approve", "comment": ""})
    filing = Filing.objects.get(pk=filing.pk)
    assert (filing.state, filing.current_version_id) == (FilingState.APPROVED, filing.application_version_id)


def test_return_without_comment_is_refused_in_the_admin(client, hunan_official, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.REVIEWING)
    client.force_login(hunan_official)
    response = client.post(detail_url(filing), {"transition": "return", "comment": ""}, follow=True)
    assert "请填写意见" in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.REVIEWING


def test_change_request_detail_shows_the_diff(client, hunan_official, approved, member):
    change = make_change(approved, by=member, name="变更后的名称", state=FilingState.SUBMITTED)
    client.force_login(hunan_official)
    body = client.get(detail_url(change)).content.decode()
    assert 'data-testid="change-diff"' in body
    assert re.search(
        r'<th scope="row">网络演出剧\(节\)目名称</th><td class="old">'
        + re.escape(approved.current_version.name)
        + r'</td><td class="new">变更后的名称</td>',
        body,
    )


def test_change_requests_are_scoped_like_filings(client, beijing_official, hunan_official, approved, member):
    change = make_change(approved, by=member, name="变更后的名称", state=FilingState.SUBMITTED)
    client.force_login(hunan_official)
    assert change.version.name in client.get(reverse(CHANGES)).content.decode()
    client.force_login(beijing_official)
    assert change.version.name not in client.get(reverse(CHANGES)).content.decode()
    assert client.get(detail_url(change)).status_code == 404


def test_export_lists_the_scoped_rows(client, hunan_official, filings):
    client.force_login(hunan_official)
    response = client.get(reverse("staff:filings_filing_export", args=["csv"]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8-sig")
    assert filings["hunan"].reference in text and "湘江音乐会" in text
    assert filings["beijing"].reference not in text
    assert text.splitlines()[0].startswith("受理编号,类型,网络演出剧(节)目名称,申报单位")


def test_list_query_count_is_constant(client, hunan_official, unit, member, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    client.force_login(hunan_official)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(LIST))
    for _i in range(10):
        make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED, complete=False)
    with CaptureQueriesContext(connection) as eleven:
        response = client.get(reverse(LIST))
    assert len(rows(response)) == 11
    assert len(one.captured_queries) == len(eleven.captured_queries)


def test_xlsx_export_keeps_a_name_typed_with_control_characters(client, hunan_official, unit, member):
    """openpyxl refuses control characters (IllegalCharacterError); a name pasted with one must not break the export."""
    import io

    from openpyxl import load_workbook

    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED, name="湘江\x0b音乐会\x1f")
    client.force_login(hunan_official)
    response = client.get(reverse("staff:filings_filing_export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[0] for row in rows] == [filing.reference]
    assert "湘江 音乐会 " in rows[0]
