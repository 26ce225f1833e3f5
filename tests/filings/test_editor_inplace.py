"""The editor in place (htmx): a row or a section answers with its section, the full-page path stays."""

import re

import pytest
from django.urls import reverse

from filings.models import FilingVersion, Performer, Session

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return response.content.decode().strip()


def add_performer(client, url, name="示例乐团", **headers):
    return client.post(
        url,
        {
            "sections": ["performers", "programme"],
            "programme-name": "不应保存",
            "performers-new-name": name,
            "performers-new-country": "HK",
            "performers-new-virtual": "False",
            "action": "row-add:performers",
        },
        **headers,
    )


def test_row_add_in_place_answers_with_the_section_only(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = add_performer(member_client, url, **HX)
    assert response.status_code == 200
    page = text(response)
    assert page.startswith('<section class="card mb-3 filing-section" id="section-performers"')
    assert "<html" not in page
    assert 'id="editor-steps" class="step-list sticky-lg-top pt-lg-2" data-hx-swap-oob="true"' in page
    assert list(Performer.objects.values_list("name", "country")) == [("示例乐团", "HK")]
    assert re.search(r"<td[^>]*>示例乐团</td>", page)
    assert "data-saved>已保存。</span>" in page
    # only the section of the button is saved in place: what is typed elsewhere stays in the browser
    assert FilingVersion.objects.get(pk=empty_draft.application_version_id).name != "不应保存"
    assert response["Vary"].count("HX-Request") == 1


def test_row_add_without_javascript_still_redirects(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = add_performer(member_client, url)
    assert (response.status_code, response["Location"]) == (302, f"{url}#section-performers")
    assert Performer.objects.count() == 1


def test_invalid_row_in_place_keeps_what_was_typed_with_the_message(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = member_client.post(
        url,
        {"sections": "performers", "performers-new-name": "无国家乐团", "action": "row-add:performers"},
        **HX,
    )
    page = text(response)
    assert response.status_code == 200
    assert 'value="无国家乐团"' in page
    assert "新增的记录有错误，请修改后再保存。" in page  # the summary, out of band
    assert 'id="editor-summary" data-hx-swap-oob="true"' in page
    assert "data-saved" not in page
    assert Performer.objects.count() == 0


def test_row_edit_save_delete_in_place(member_client, draft):
    url = reverse("filings:edit", args=[draft.public_id])
    row = Performer.objects.get(version_id=draft.application_version_id)
    page = text(member_client.post(url, {"action": f"row-edit:performers:{row.key}"}, **HX))
    assert f'name="performers-{row.key}-name"' in page
    assert f'data-hx-get="{url}?section=performers"' in page
    cancel = text(member_client.get(f"{url}?section=performers", **HX))
    assert cancel.startswith('<section class="card mb-3 filing-section" id="section-performers"')
    assert f'name="performers-{row.key}-name"' not in cancel
    page = text(
        member_client.post(
            url,
            {
                "sections": "performers",
                f"performers-{row.key}-name": "改名乐团",
                f"performers-{row.key}-country": "CN",
                f"performers-{row.key}-virtual": "True",
                "action": f"row-save:performers:{row.key}",
            },
            **HX,
        )
    )
    row.refresh_from_db()
    assert (row.name, row.virtual) == ("改名乐团", True)
    assert re.search(r"<td[^>]*>改名乐团</td>", page)
    member_client.post(url, {"action": f"row-delete:performers:{row.key}"}, **HX)
    assert Performer.objects.filter(pk=row.pk).count() == 0


def test_session_rows_update_the_partner_table_out_of_band(member_client, draft):
    url = reverse("filings:edit", args=[draft.public_id])
    page = text(
        member_client.post(
            url,
            {
                "sections": "sessions",
                "sessions-new-name": "加演场",
                "sessions-new-type": "live",
                "sessions-new-starts_at": "2026-03-05T19:30",
                "sessions-new-url": "https://live.example.cn/9",
                "action": "row-add:sessions",
            },
            **HX,
        )
    )
    assert Session.objects.filter(name="加演场").count() == 1
    partners = page.split('id="section-partners"', 1)[1]
    assert page.count('id="section-partners"') == 1
    assert 'data-hx-swap-oob="true"' in partners.split(">", 1)[0]
    assert "加演场" in partners  # the new session can be chosen for a partner at once


def test_other_units_cannot_post_in_place(client, other_member, member, draft):
    client.force_login(other_member)
    url = reverse("filings:edit", args=[draft.public_id])
    assert add_performer(client, url, name="别家乐团", **HX).status_code == 404
    assert Performer.objects.filter(name="别家乐团").count() == 0
    # The same post by the unit's own member adds the row.
    client.force_login(member)
    assert add_performer(client, url, name="本单位乐团", **HX).status_code == 200
    assert Performer.objects.filter(name="本单位乐团", version_id=draft.application_version_id).count() == 1


@pytest.mark.parametrize("rows", [1, 12])
def test_in_place_row_add_has_constant_queries(member_client, draft, rows, django_assert_num_queries):
    version = draft.application_version
    for i in range(2, rows + 1):
        Performer.objects.create(version=version, position=i, name=f"乐团{i}", country="CN", virtual=False)
    url = reverse("filings:edit", args=[draft.public_id])
    member_client.get(url)
    with django_assert_num_queries(QUERIES_ROW_ADD):
        add_performer(member_client, url, name=f"新乐团{rows}", **HX)


@pytest.mark.parametrize("rows", [1, 12])
def test_editor_page_has_constant_queries(member_client, draft, rows, django_assert_num_queries):
    version = draft.application_version
    for i in range(2, rows + 1):
        Performer.objects.create(version=version, position=i, name=f"乐团{i}", country="CN", virtual=False)
        Session.objects.create(
            version=version,
            position=i,
            name=f"场{i}",
            type="live",
            starts_at="2026-03-0%sT12:00Z" % (i % 9 + 1),
            url=f"https://live.example.cn/{i}",
        )
    url = reverse("filings:edit", args=[draft.public_id])
    member_client.get(url)
    with django_assert_num_queries(QUERIES_PAGE):
        member_client.get(url)


QUERIES_ROW_ADD = 24  # unit, version with its rows, the insert, completion flags, the section again
QUERIES_PAGE = 8  # session and unread count from the cache (issue 11)
