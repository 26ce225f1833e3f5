"""导出 Excel / 导出 CSV of the officials' 通知公告 list and of the sign-ups of their trainings (issue 9: every list
a role sees exports exactly what its filters show): the export holds the filtered list's rows and never another
province's or the other authority's, both sides in each test; the list still offers 新增; constant queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Authority, StaffLevel
from supervision.notices import services
from supervision.notices.enums import NoticeKind
from supervision.notices.models import Notice
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOTICES = "staff:notices_notice_changelist"
NOTICES_EXPORT = "staff:notices_notice_export"
SIGNUPS = "staff:notices_signup_changelist"
SIGNUPS_EXPORT = "staff:notices_signup_export"
REFUSED = {302, 403, 404}


def exported(client, name, query="", column=0):
    """The header and {column of each row} of the xlsx export, asserted equal to the CSV export."""
    suffix = f"?{query}" if query else ""
    xlsx = client.get(reverse(name, args=["xlsx"]) + suffix)
    text = client.get(reverse(name, args=["csv"]) + suffix)
    assert xlsx.status_code == 200 and text.status_code == 200, (xlsx.status_code, text.status_code)
    sheet = [list(r) for r in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)]
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert [["" if c is None else str(c) for c in r] for r in sheet] == rows
    return rows[0], [r[column] for r in rows[1:]]


def in_page(client, list_name, query, candidates) -> set[str]:
    page = client.get(reverse(list_name) + (f"?{query}" if query else "")).content.decode()
    return {c for c in candidates if c in page}


def staff(authority=Authority.MCT, level=StaffLevel.PROVINCE, province="430000", **kw):
    return StaffFactory(profile__authority=authority, profile__level=level, profile__province=province, **kw)


@pytest.fixture
def people(db):
    return {
        "hunan": staff(full_name="湖南文旅审核员"),
        "beijing": staff(province="110000", full_name="北京文旅审核员"),
        "ministry": staff(level=StaffLevel.MINISTRY, province="", full_name="文旅部工作人员"),
        "nrta": staff(Authority.NRTA, StaffLevel.MINISTRY, province="", full_name="总局工作人员"),
        "nrta_hunan": staff(Authority.NRTA, full_name="湖南广电审核员"),
    }


def notice(actor, *, publish=True, **fields):
    fields.setdefault("body", "正文")
    saved = services.save_notice(actor, Notice(**fields))
    return services.publish(actor, saved) if publish else saved


def training(actor, title, province):
    now = timezone.now()
    return notice(
        actor,
        kind=NoticeKind.TRAINING,
        title=title,
        authority=Authority.MCT,
        province=province,
        starts_at=now + timedelta(days=7),
        place="会议室",
        capacity=50,
        signup_deadline=now + timedelta(days=5),
    )


@pytest.fixture
def notices(people):
    return {
        "湖南培训班": training(people["hunan"], "湖南培训班", "430000"),
        "湖南政策宣贯草稿": notice(
            people["hunan"],
            publish=False,
            kind=NoticeKind.POLICY,
            title="湖南政策宣贯草稿",
            authority=Authority.MCT,
            province="430000",
        ),
        "北京培训班": training(people["beijing"], "北京培训班", "110000"),
        "文旅部全国通知": notice(people["ministry"], title="文旅部全国通知", authority=Authority.MCT),
        "总局通知": notice(people["nrta"], title="总局通知", authority=Authority.NRTA),
    }


ALL = {"湖南培训班", "湖南政策宣贯草稿", "北京培训班", "文旅部全国通知", "总局通知"}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("hunan", {"湖南培训班", "湖南政策宣贯草稿"}),
        ("beijing", {"北京培训班"}),
        ("ministry", {"湖南培训班", "湖南政策宣贯草稿", "北京培训班", "文旅部全国通知"}),
        ("nrta", {"总局通知"}),
        ("nrta_hunan", set()),
    ],
)
def test_notice_export_is_the_list_of_the_official_s_scope(client, people, notices, who, sees):
    client.force_login(people[who])
    _h, titles = exported(client, NOTICES_EXPORT)
    assert set(titles) == sees == in_page(client, NOTICES, "", ALL)
    assert len(titles) == len(sees)


def test_notice_export_follows_the_filters_and_search(client, people, notices):
    client.force_login(people["ministry"])
    for query, expected in (
        (f"kind__exact={NoticeKind.TRAINING}", {"湖南培训班", "北京培训班"}),
        ("state__exact=draft", {"湖南政策宣贯草稿"}),
        ("q=北京", {"北京培训班"}),
        (f"kind__exact={NoticeKind.TRAINING}&q=湖南", {"湖南培训班"}),
    ):
        _h, titles = exported(client, NOTICES_EXPORT, query)
        assert set(titles) == expected == in_page(client, NOTICES, query, ALL), query
    header, _t = exported(client, NOTICES_EXPORT)
    assert header == ["标题", "类型", "状态", "面向业务", "面向省份", "发布日期", "截止日期"]
    _h, provinces = exported(client, NOTICES_EXPORT, "q=北京", column=4)
    assert provinces == ["北京市"]
    page = client.get(reverse(NOTICES) + "?q=北京").content.decode().replace("&amp;", "&")
    assert 'class="addlink"' in page  # 新增通知公告 stays beside the exports
    assert reverse(NOTICES_EXPORT, args=["xlsx"]) + "?q=%E5%8C%97%E4%BA%AC" in page

    client.force_login(people["hunan"])
    _h, titles = exported(client, NOTICES_EXPORT, f"kind__exact={NoticeKind.TRAINING}")
    assert titles == ["湖南培训班"]  # Beijing's training never, filtered or not


def test_notice_export_is_refused_to_applicants(client, notices):
    client.force_login(ApplicantFactory(organisation=OrganisationFactory(province="430000")))
    for url in (reverse(NOTICES), reverse(NOTICES_EXPORT, args=["xlsx"]), reverse(NOTICES_EXPORT, args=["csv"])):
        response = client.get(url)
        assert response.status_code in REFUSED and "湖南政策宣贯草稿" not in response.content.decode("utf-8", "replace")


# --- the sign-ups of a training (SignUpAdmin's export) ------------------------------------------------


@pytest.fixture
def signups(notices):
    hunan = notices["湖南培训班"]
    beijing = notices["北京培训班"]
    units = {
        name: ApplicantFactory(organisation=OrganisationFactory(name=name, province=province))
        for name, province in (
            ("湖南甲公司", "430000"),
            ("湖南乙公司", "430000"),
            ("北京丙公司", "110000"),
            ("湖南丁公司", "430000"),
        )
    }
    second = training(hunan.created_by, "湖南第二期培训", "430000")  # two trainings: the 培训 filter is offered
    services.sign_up(units["湖南丁公司"], second, name="孙丽", phone="13912345677", attendees=1)
    services.sign_up(units["湖南甲公司"], hunan, name="李明", phone="13912345678", attendees=2)
    services.sign_up(units["湖南乙公司"], hunan, name="王芳", phone="13912345679", attendees=1)
    services.cancel(units["湖南乙公司"], hunan)
    services.sign_up(units["北京丙公司"], beijing, name="赵强", phone="13812345670", attendees=3)
    return units


UNITS = {"湖南甲公司", "湖南乙公司", "北京丙公司", "湖南丁公司"}
HUNAN_UNITS = {"湖南甲公司", "湖南乙公司", "湖南丁公司"}


def test_signup_export_is_the_filtered_list_both_sides(client, people, notices, signups):
    client.force_login(people["hunan"])
    hunan = notices["湖南培训班"]
    for query, expected in (
        ("", HUNAN_UNITS),
        (f"notice__id__exact={hunan.pk}", {"湖南甲公司", "湖南乙公司"}),
        ("cancelled_at__isempty=1", {"湖南甲公司", "湖南丁公司"}),
        ("cancelled_at__isempty=0", {"湖南乙公司"}),
        ("q=李明", {"湖南甲公司"}),
        # another province's training asked for by id: nothing of it
        (f"notice__id__exact={notices['北京培训班'].pk}", set()),
    ):
        _h, units = exported(client, SIGNUPS_EXPORT, query, column=1)
        assert set(units) == expected == in_page(client, SIGNUPS, query, UNITS), query
    header, _u = exported(client, SIGNUPS_EXPORT)
    assert header == ["培训", "报名单位", "联系人", "联系电话", "参加人数", "报名时间", "取消时间"]
    _h, phones = exported(client, SIGNUPS_EXPORT, "q=李明", column=3)
    assert phones == ["13912345678"]  # the list shows the phone number, so does its export

    client.force_login(people["beijing"])
    _h, units = exported(client, SIGNUPS_EXPORT, column=1)
    assert units == ["北京丙公司"]
    client.force_login(people["ministry"])
    _h, units = exported(client, SIGNUPS_EXPORT, column=1)
    assert set(units) == UNITS
    client.force_login(people["nrta"])
    assert exported(client, SIGNUPS_EXPORT)[1] == []


def test_signup_export_is_refused_to_the_unit_that_signed_up(client, signups):
    client.force_login(signups["湖南甲公司"])
    for url in (reverse(SIGNUPS), reverse(SIGNUPS_EXPORT, args=["xlsx"]), reverse(SIGNUPS_EXPORT, args=["csv"])):
        response = client.get(url)
        assert response.status_code in REFUSED and "13912345678" not in response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("list_name", [NOTICES, NOTICES_EXPORT, SIGNUPS, SIGNUPS_EXPORT])
def test_list_and_export_cost_the_same_queries_for_few_and_many(
    client, django_assert_max_num_queries, people, list_name
):
    official = people["hunan"]
    client.force_login(official)
    url = reverse(list_name, args=["csv"]) if list_name.endswith("export") else reverse(list_name)

    def add(i):
        item = training(official, f"培训{i}", "430000")
        unit = ApplicantFactory(organisation=OrganisationFactory(name=f"单位{i}", province="430000"))
        services.sign_up(unit, item, name="李明", phone="13912345678", attendees=1)

    add(0)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for i in range(1, 8):
        add(i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- 统计分析: a valid period narrows the figures, on the page and in its xlsx export ----------------------


STATS = "/supervision/statistics/mct/"


def _at(day: str, hour: int = 10):
    import datetime as dt

    y, m, d = (int(x) for x in day.split("-"))
    return dt.datetime(y, m, d, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def decided_filings(db):
    from filings.enums import FilingState
    from filings.models import Filing
    from tests.filings.factories import EnterpriseFactory, make_filing

    unit = EnterpriseFactory(name="湖南期间文化公司", province="430000")
    made = {}
    # (submitted, decided): 15 days in March 2025; 10 days in June 2025
    for key, (sent, done) in {"march": ("2025-03-05", "2025-03-20"), "june": ("2025-06-03", "2025-06-13")}.items():
        filing = make_filing(organisation=unit, state=FilingState.APPROVED, name=f"期间节目{key}")
        Filing.objects.filter(pk=filing.pk).update(submitted_at=_at(sent), decided_at=_at(done))
        made[key] = filing
    return made


def _page_row(page: str, key: str, label: str) -> list[str]:
    import re

    table = page.split(f'data-testid="table-{key}"', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = [c.strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        if cells and cells[0] == label:
            return cells[1:]
    return []


def _xlsx_rows(client, key: str, query: str) -> dict:
    response = client.get(reverse("stats:mct_export", args=[key, "xlsx"]) + "?" + query)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return {r[0]: ["" if c is None else str(c) for c in r[1:]] for r in rows[1:]}


@pytest.mark.parametrize(
    ("query", "decided", "median", "months"),
    [
        ("start=2025-03&end=2025-03", 1, "15.0", ["2025-03"]),
        ("start=2025-06&end=2025-06", 1, "10.0", ["2025-06"]),
        ("start=2025-03&end=2025-06", 2, "12.5", ["2025-03", "2025-04", "2025-05", "2025-06"]),
        ("start=2025-04&end=2025-05", 0, "—", ["2025-04", "2025-05"]),
    ],
)
def test_a_period_counts_the_filing_decided_inside_it_and_not_the_other(
    client, people, decided_filings, query, decided, median, months
):
    client.force_login(people["hunan"])
    response = client.get(STATS + "?" + query)
    page = response.content.decode()
    assert response.status_code == 200 and "筛选条件有误" not in page
    # 审核用时 by type: 已办结件数 and the median of the filings decided in the period
    assert _page_row(page, "time_type", "国产")[:2] == [str(decided), median]
    count, value = _xlsx_rows(client, "time_type", query)["国产"][:2]
    assert (count, value if value == "—" else f"{float(value):.1f}") == (str(decided), median)  # xlsx: 15.0 is 15
    # by type and state: 已通过 (column 3 of 提交 / 审核中 / 已通过 / …) and the total
    approved = _page_row(page, "type_state", "国产")
    assert (approved[2], approved[-1]) == (str(decided), str(decided))
    assert _xlsx_rows(client, "type_state", query)["国产"] == approved
    # by month: only the months of the period, the filing in its own month
    by_month = _xlsx_rows(client, "month", query)
    assert list(by_month) == months
    assert {m: r[0] for m, r in by_month.items() if r[0] != "0"} == {
        m: "1" for m in months if m in ("2025-03", "2025-06")
    }
    # Beijing's official: neither filing, whatever the period
    client.force_login(people["beijing"])
    assert _xlsx_rows(client, "time_type", query)["国产"][0] == "0"
