"""导出 Excel / 导出 CSV of 单位管理, 审核人员账号 and the certificate list (issue 9: every list a role sees exports
exactly what its filters show): the export holds the filtered list's rows, never another province's or the
other authority's, both sides in each test; no phone number, ID number or password; constant queries."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Authority, OrganisationKind, StaffLevel
from accounts.models import AuditEvent
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory
from tests.review.certtestapp.factories import ProgrammeFactory, issue

pytestmark = pytest.mark.django_db

UNITS = "staff:accounts_organisation_changelist"
UNITS_EXPORT = "staff:accounts_organisation_export"
ACCOUNTS = "staff:accounts_staffprofile_changelist"
ACCOUNTS_EXPORT = "staff:accounts_staffprofile_export"
CERTIFICATES = "staff:review_certificate_changelist"
CERTIFICATES_EXPORT = "staff:review_certificate_export"
REFUSED = {302, 403, 404}


def exported(client, name, query="", column=0):
    """{column of each row} of the xlsx export, asserted equal to the CSV export's (same rows, same order)."""
    suffix = f"?{query}" if query else ""
    xlsx = client.get(reverse(name, args=["xlsx"]) + suffix)
    text = client.get(reverse(name, args=["csv"]) + suffix)
    assert xlsx.status_code == 200 and text.status_code == 200, (xlsx.status_code, text.status_code)
    sheet = [list(r) for r in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)]
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert [[str(c) if c is not None else "" for c in r] for r in sheet] == rows
    return rows[0], [r[column] for r in rows[1:]]


def refused(client, list_name, export_name, secret: str):
    for response in (
        client.get(reverse(list_name)),
        client.get(reverse(export_name, args=["xlsx"])),
        client.get(reverse(export_name, args=["csv"])),
    ):
        assert response.status_code in REFUSED
        assert secret not in response.content.decode("utf-8", "replace")
    return True


def in_page(client, list_name, query, candidates) -> set[str]:
    page = client.get(reverse(list_name) + (f"?{query}" if query else "")).content.decode()
    return {c for c in candidates if c in page}


def ministry(authority=Authority.MCT, **kw):
    return StaffFactory(profile__authority=authority, profile__level=StaffLevel.MINISTRY, **kw)


# --- 单位管理 -------------------------------------------------------------------------------------


@pytest.fixture
def units(db):
    return {
        "hunan": OrganisationFactory(name="湖南甲文化公司", province="430000", credit_code="91430000MA0000001X"),
        "beijing": OrganisationFactory(name="北京乙文化公司", province="110000", credit_code="91110000MA0000002X"),
        "station": OrganisationFactory(kind=OrganisationKind.INSTITUTION, name="湖南示例电视台", province="430000"),
    }


UNIT_NAMES = {"湖南甲文化公司", "北京乙文化公司", "湖南示例电视台"}


def test_unit_export_is_the_filtered_list_of_the_ministry_s_units(client, units):
    client.force_login(ministry())
    for query, expected in (
        ("", {"湖南甲文化公司", "北京乙文化公司"}),
        ("province=430000", {"湖南甲文化公司"}),
        ("province=110000", {"北京乙文化公司"}),
        ("q=91110000MA0000002X", {"北京乙文化公司"}),
    ):
        header, names = exported(client, UNITS_EXPORT, query)
        assert set(names) == expected == in_page(client, UNITS, query, UNIT_NAMES), query
        assert len(names) == len(expected)
    assert header == ["单位名称", "类型", "统一社会信用代码", "所属省份", "中央直属单位"]
    page = client.get(reverse(UNITS) + "?province=430000").content.decode()
    assert reverse(UNITS_EXPORT, args=["xlsx"]) + "?province=430000" in page.replace("&amp;", "&")
    _h, rows = exported(client, UNITS_EXPORT, "province=430000", column=3)
    assert rows == ["湖南省"]
    event = AuditEvent.objects.filter(action="staff.export").latest("pk")
    assert (event.detail["rows"], event.detail["query"]) == (1, "province=430000")

    client.force_login(ministry(Authority.NRTA))
    assert set(exported(client, UNITS_EXPORT)[1]) == {"湖南示例电视台"}
    assert set(exported(client, UNITS_EXPORT, "province=110000")[1]) == set()


def test_unit_export_is_refused_to_officials_and_applicants(client, units, hunan_official):
    client.force_login(hunan_official)
    assert refused(client, UNITS, UNITS_EXPORT, "湖南甲文化公司")
    client.force_login(ApplicantFactory(organisation=units["hunan"]))
    assert refused(client, UNITS, UNITS_EXPORT, "北京乙文化公司")
    client.force_login(ministry())
    assert "湖南甲文化公司" in exported(client, UNITS_EXPORT)[1]


# --- 审核人员账号 ---------------------------------------------------------------------------------


@pytest.fixture
def accounts(db):
    hunan = StaffFactory(full_name="湘审核甲", phone="13800001111", profile__province="430000")
    beijing = StaffFactory(full_name="京审核乙", phone="13800002222", profile__province="110000")
    beijing.is_active = False
    beijing.save(update_fields=["is_active"])
    nrta = StaffFactory(
        full_name="湘广电丙", phone="13800003333", profile__authority=Authority.NRTA, profile__province="430000"
    )
    return {"hunan": hunan, "beijing": beijing, "nrta": nrta}


ACCOUNT_NAMES = {"湘审核甲", "京审核乙", "湘广电丙"}


def test_account_export_is_the_filtered_list_of_the_authority_s_accounts(client, accounts):
    client.force_login(ministry(full_name="部级甲"))
    for query, expected in (
        ("", {"湘审核甲", "京审核乙"}),
        ("status=disabled", {"京审核乙"}),
        ("status=active", {"湘审核甲"}),
        ("q=湘审核", {"湘审核甲"}),
    ):
        _h, names = exported(client, ACCOUNTS_EXPORT, query, column=1)
        assert set(names) == expected == in_page(client, ACCOUNTS, query, ACCOUNT_NAMES), query
    page = client.get(reverse(ACCOUNTS) + "?status=active").content.decode().replace("&amp;", "&")
    assert 'class="addlink"' in page  # 新增审核人员账号 stays beside the exports
    assert reverse(ACCOUNTS_EXPORT, args=["csv"]) + "?status=active" in page
    header, _n = exported(client, ACCOUNTS_EXPORT)
    assert header == ["登录账号", "姓名", "级别", "所在部门", "账号状态", "创建人"]
    _h, departments = exported(client, ACCOUNTS_EXPORT, "q=湘审核", column=3)
    assert departments == ["湖南省文化和旅游厅"]

    client.force_login(ministry(Authority.NRTA, full_name="部级乙"))
    _h, names = exported(client, ACCOUNTS_EXPORT, column=1)
    assert set(names) == {"湘广电丙"}


def test_account_export_holds_no_phone_number_or_password(client, accounts):
    client.force_login(ministry())
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse(ACCOUNTS_EXPORT, args=[fmt]))
        content = response.content if fmt == "csv" else _xlsx_text(response.content)
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        assert "湘审核甲" in text
        for user in accounts.values():
            assert user.phone not in text and user.password not in text
        assert "pbkdf2" not in text and "argon2" not in text and "手机号" not in text


def _xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(",".join("" if c is None else str(c) for c in row) for row in sheet.iter_rows(values_only=True))


def test_account_export_is_refused_to_officials(client, accounts):
    client.force_login(accounts["hunan"])
    assert refused(client, ACCOUNTS, ACCOUNTS_EXPORT, "京审核乙")
    client.force_login(ministry())
    assert "京审核乙" in exported(client, ACCOUNTS_EXPORT, column=1)[1]


# --- 证照 ---------------------------------------------------------------------------------------


@pytest.fixture
def certificates(db):
    hunan_org = OrganisationFactory(name="湖南芒果网络演艺有限公司", province="430000")
    beijing_org = OrganisationFactory(name="北京长城演艺有限公司", province="110000")
    return {
        "hunan": [
            issue(ProgrammeFactory(organisation=hunan_org, name=f"湘剧{i}", province="430000")) for i in range(2)
        ],
        "beijing": issue(ProgrammeFactory(organisation=beijing_org, name="京剧", province="110000")),
    }


def test_certificate_export_of_an_official_is_their_province_filtered(client, certificates, hunan_official):
    hunan = sorted(c.number for c in certificates["hunan"])
    beijing = certificates["beijing"].number
    client.force_login(hunan_official)
    _h, numbers = exported(client, CERTIFICATES_EXPORT)
    assert sorted(numbers) == hunan and beijing not in numbers
    assert set(numbers) == in_page(client, CERTIFICATES, "", {*hunan, beijing})
    first = certificates["hunan"][0]
    _h, numbers = exported(client, CERTIFICATES_EXPORT, f"q={first.title}")
    assert numbers == [first.number] == sorted(in_page(client, CERTIFICATES, f"q={first.title}", {*hunan, beijing}))
    # a province in the query string does not reach another province (officials get no province filter)
    _h, numbers = exported(client, CERTIFICATES_EXPORT, "province=110000")
    assert beijing not in numbers and set(numbers) == in_page(
        client, CERTIFICATES, "province=110000", {*hunan, beijing}
    )


def test_certificate_export_of_the_ministry_is_all_filtered(client, certificates):
    hunan = {c.number for c in certificates["hunan"]}
    beijing = certificates["beijing"].number
    client.force_login(ministry())
    header, numbers = exported(client, CERTIFICATES_EXPORT)
    assert set(numbers) == hunan | {beijing} and len(numbers) == 3
    assert header == ["证照编号", "类型", "名称", "持证单位", "省份", "发证日期", "状态"]
    for query, expected in (("province=430000", hunan), ("province=110000", {beijing}), ("q=京剧", {beijing})):
        _h, numbers = exported(client, CERTIFICATES_EXPORT, query)
        assert set(numbers) == expected == in_page(client, CERTIFICATES, query, hunan | {beijing}), query
    _h, units = exported(client, CERTIFICATES_EXPORT, "province=110000", column=3)
    assert units == ["北京长城演艺有限公司"]
    page = client.get(reverse(CERTIFICATES) + "?province=110000").content.decode().replace("&amp;", "&")
    assert 'data-testid="certificate-zip"' in page  # the zip of the filtered list stays
    assert re.search(r'href="[^"]*/export/csv/\?province=110000"', page)

    client.force_login(ministry(Authority.NRTA))
    assert exported(client, CERTIFICATES_EXPORT)[1] == []


def test_certificate_export_is_refused_to_applicants(client, certificates):
    client.force_login(ApplicantFactory(organisation=certificates["beijing"].organisation))
    assert refused(client, CERTIFICATES, CERTIFICATES_EXPORT, certificates["hunan"][0].number)


@pytest.mark.parametrize(
    ("list_name", "export_name", "add"),
    [
        (UNITS, UNITS_EXPORT, lambda i: OrganisationFactory(name=f"湖南单位{i}")),
        (ACCOUNTS, ACCOUNTS_EXPORT, lambda i: StaffFactory(full_name=f"审核{i}")),
        (CERTIFICATES, CERTIFICATES_EXPORT, lambda i: issue(ProgrammeFactory(name=f"剧{i}", province="430000"))),
    ],
)
def test_list_and_export_cost_the_same_queries_for_few_and_many(
    client, django_assert_max_num_queries, list_name, export_name, add
):
    client.force_login(ministry())
    add(0)
    urls = (reverse(list_name), reverse(export_name, args=["csv"]))
    client.get(urls[0])
    few = []
    for url in urls:
        with django_assert_max_num_queries(20) as counted:
            assert client.get(url).status_code == 200
        few.append(len(counted.captured_queries))
    for i in range(1, 8):
        add(i)
    for url, count in zip(urls, few, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
