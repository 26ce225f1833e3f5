"""The 初审 queue of nominations on /staff/: scope, columns, search, detail, pledge download, export, queries."""

import csv
import io
import re

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import Nomination
from review.staff import reviewer_change_url
from tests.factories import StaffFactory

from .factories import InstitutionFactory, applicant, make_nomination, mct_ministry, nrta_ministry, nrta_official
from .factories_review import submitted, submitted_many

pytestmark = pytest.mark.django_db

LIST = reverse("staff:awards_nomination_changelist")


def rows(response) -> list[str]:
    """申报编号 of the listed rows, in order (what the official reads in the first column)."""
    return re.findall(r'<th class="field-reference"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def pledge_url(nomination) -> str:
    return reverse("staff:awards_nomination_pledge", args=[nomination.public_id])


@pytest.fixture
def works(project):
    return {
        "hunan": submitted(project, province="430000", name="湘江岸边的守望者"),
        "beijing": submitted(project, province="110000", name="京城胡同"),
        "central": submitted(project, central=True, name="中央台的新闻纪录"),
    }


def test_each_official_sees_only_their_province_and_ministry_sees_all(client, works):
    hunan, beijing, central = works["hunan"], works["beijing"], works["central"]
    seen, details = {}, {}
    users = {
        "hunan": nrta_official("430000"),
        "beijing": nrta_official("110000"),
        "ministry": nrta_ministry(),
        "mct_ministry": mct_ministry(),
        "mct_hunan": StaffFactory(profile__authority="mct", profile__level="province", profile__province="430000"),
    }
    for who, user in users.items():
        client.force_login(user)
        response = client.get(LIST)
        seen[who] = (response.status_code, sorted(rows(response)) if response.status_code == 200 else [])
        details[who] = [client.get(reviewer_change_url(n)).status_code for n in (hunan, beijing, central)]

    assert seen["hunan"] == (200, [hunan.reference])
    assert seen["beijing"] == (200, [beijing.reference])
    assert seen["ministry"] == (200, sorted([hunan.reference, beijing.reference, central.reference]))
    assert seen["mct_ministry"] == (403, [])
    assert seen["mct_hunan"] == (403, [])
    assert details["hunan"] == [200, 404, 404]  # never the central units' nominations to 总局
    assert details["beijing"] == [404, 200, 404]
    assert details["ministry"] == [200, 200, 200]
    assert details["mct_ministry"] == [404, 404, 404]
    assert details["mct_hunan"] == [404, 404, 404]


def test_applicants_are_sent_away_from_the_queue(client, works, member):
    client.force_login(member)

    assert client.get(LIST).status_code == 302
    assert client.get(reviewer_change_url(works["hunan"])).status_code == 302


def test_the_other_province_cannot_act_on_a_nomination(client, works):
    hunan = works["hunan"]
    client.force_login(nrta_official("110000"))

    response = client.post(reviewer_change_url(hunan), {"transition": "recommend"})

    assert response.status_code == 404
    assert Nomination.objects.get(pk=hunan.pk).state == "pending"
    client.force_login(nrta_official("430000"))
    client.post(reviewer_change_url(hunan), {"transition": "recommend"})
    assert Nomination.objects.get(pk=hunan.pk).state == "recommended"


def test_queue_columns_are_the_registration_form_s(client, project):
    nomination = submitted(project, name="湘江岸边的守望者", first_broadcast=project.window_start)
    client.force_login(nrta_official())

    body = client.get(LIST).content.decode()

    headers = re.findall(r'<th scope="col"[^>]*>.*?<(?:a|span)[^>]*>([^<]+)</', body, re.S)
    assert [h.strip() for h in headers if h.strip()] == [
        "申报编号",
        "作品名称",
        "作品类型",
        "申报单位",
        "申报台局",
        "播出平台",
        "首播日期",
        "状态",
        "申报时间",
        "相似作品提示",
    ]
    cells = re.findall(r'<td class="field-([a-z_]+)[^"]*">(.*?)</td>', body, re.S)
    values = {name: re.sub(r"<[^>]+>", "", html).strip() for name, html in cells}
    assert values["work_type_label"] == "网络纪录片"
    assert values["unit_name"] == nomination.organisation.name
    assert values["bureau_label"] == "湖南省广播电视局"
    assert values["platform_name"] == "芒果TV"
    assert values["review_state"] == "待初审"
    assert values["similar_mark"] == "—"


def test_a_similar_name_elsewhere_is_flagged_in_the_queue_and_on_the_detail(client, project):
    first = submitted(project, province="110000", name="山河·新歌")
    second = submitted(project, province="430000", name="山河新歌！", first_broadcast=project.window_start)
    client.force_login(nrta_official("430000"))

    body = client.get(LIST).content.decode()
    detail = client.get(reviewer_change_url(second)).content.decode()

    assert rows(client.get(LIST)) == [second.reference]
    assert body.count('data-testid="similar-flag"') == 1
    assert "有相似作品" in body
    assert 'data-testid="similar-warning"' in detail
    assert f"相似作品：{first.reference}《山河·新歌》" in detail


@pytest.mark.parametrize("field", ["name", "unit", "credit_code", "reference"])
def test_search_by_name_unit_credit_code_and_reference(client, project, field):
    unit = InstitutionFactory(name="潇湘影视传媒中心", credit_code="91430100MA4L000017", province="430000")
    wanted = submitted(project, unit=unit, name="橘子洲头的清晨")
    other = submitted(project, name="岳麓书院")
    client.force_login(nrta_official())
    term = {"name": "橘子洲头", "unit": "潇湘影视", "credit_code": "91430100MA4L000017", "reference": wanted.reference}

    found = rows(client.get(LIST, {"q": term[field]}))

    assert found == [wanted.reference]
    assert other.reference not in found


def test_queue_query_count_is_the_same_for_1_and_30_rows(client, project, django_assert_num_queries):
    client.force_login(nrta_official())
    submitted_many(project, 1)
    with django_assert_num_queries(8):
        one = client.get(LIST)
    submitted_many(project, 29)
    with django_assert_num_queries(8):
        thirty = client.get(LIST)

    assert (len(rows(one)), len(rows(thirty))) == (1, 30)


def test_ministry_queue_query_count_is_constant(client, project, django_assert_num_queries):
    client.force_login(nrta_ministry())
    submitted_many(project, 1)
    with django_assert_num_queries(4):
        one = client.get(LIST)
    submitted_many(project, 29, province="110000")
    with django_assert_num_queries(4):
        thirty = client.get(LIST)

    assert (len(rows(one)), len(rows(thirty))) == (1, 30)


def test_detail_shows_every_field_of_the_registration_form(client, project):
    nomination = submitted(project, name="湘江岸边的守望者")
    client.force_login(nrta_official())

    body = client.get(reviewer_change_url(nomination)).content.decode()

    fields = dict(
        (k, re.sub(r"<[^>]+>", " ", v).split()[0] if re.sub(r"<[^>]+>", " ", v).split() else "")
        for k, v in re.findall(r"<dt>([^<]+)</dt>\s*<dd[^>]*>(.*?)</dd>", body, re.S)
    )
    assert fields == {
        "项目": nomination.project.title,
        "申报单位": nomination.organisation.name,
        "统一社会信用代码": "—",
        "申报时间": "2026-06-01",
        "申报台局": "湖南省广播电视局",
        "作品名称": "湘江岸边的守望者",
        "作品类型": "网络纪录片",
        "集数": "6",
        "单集时长": "45",
        "总时长": "270",
        "首播日期": nomination.first_broadcast.isoformat(),
        "播出完毕日期": nomination.broadcast_end.isoformat(),
        "播出平台": "芒果TV",
        "版权所属机构(个人)": "湖南示例网络视听机构",
        "出品机构": "湖南示例网络视听机构",
        "制作机构": "湖南示例制作公司",
        "版权承诺书": "版权承诺书.pdf",
    }
    assert f"申报编号：{nomination.reference}" in body
    assert "已推荐 0/10" in body
    buttons = re.findall(r'<button type="submit" name="transition" value="([a-z_]+)"[^>]*>([^<]+)</button>', body)
    assert buttons == [("recommend", "推荐"), ("not_recommend", "不推荐"), ("return", "退回修改")]


def test_the_detail_view_is_audited(client, project):
    nomination = submitted(project)
    official = nrta_official()
    client.force_login(official)

    client.get(reviewer_change_url(nomination))

    event = AuditEvent.objects.filter(action="staff.view").get()
    assert (event.actor, event.target) == (official, nomination.reference)


def test_pledge_download_for_the_province_s_officials_the_ministry_and_the_unit(client, project, member):
    nomination = make_nomination(member, project, submit=True)
    other_member = applicant(InstitutionFactory(province="430000"))
    codes = {}
    for who, user in (
        ("hunan", nrta_official("430000")),
        ("beijing", nrta_official("110000")),
        ("ministry", nrta_ministry()),
        ("mct", mct_ministry()),
    ):
        client.force_login(user)
        response = client.get(pledge_url(nomination))
        codes[who] = response.status_code
        if response.status_code == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
            assert response["Content-Type"] == "application/pdf"
    for who, user in (("member", member), ("other_member", other_member)):
        client.force_login(user)
        codes[who] = client.get(reverse("awards:pledge", args=[nomination.public_id])).status_code
        codes[f"{who}_staff_url"] = client.get(pledge_url(nomination)).status_code

    assert codes == {
        "hunan": 200,
        "beijing": 404,
        "ministry": 200,
        "mct": 404,
        "member": 200,
        "other_member": 404,
        "member_staff_url": 302,  # the reviewers' site sends applicants away
        "other_member_staff_url": 302,
    }
    assert AuditEvent.objects.filter(action="awards.pledge_downloaded").count() == 2


def test_export_xlsx_and_csv_hold_the_official_s_rows_only(client, works):
    client.force_login(nrta_official())
    export = reverse("staff:awards_nomination_export", args=["csv"])

    response = client.get(export)
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    xlsx = client.get(reverse("staff:awards_nomination_export", args=["xlsx"]))

    assert table[0][:8] == [
        "申报编号",
        "作品名称",
        "作品类型",
        "项目类型",
        "申报单位",
        "统一社会信用代码",
        "申报台局",
        "所属省份",
    ]
    assert [row[0] for row in table[1:]] == [works["hunan"].reference]
    assert table[1][1:3] == ["湘江岸边的守望者", "网络纪录片"]
    assert table[1][6] == "湖南省广播电视局"
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert AuditEvent.objects.filter(action="staff.export").count() == 2
