"""Applicant pages through the test client: right and wrong user in the same test, typed values kept."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.calendar import BEIJING
from awards.enums import NominationState
from awards.models import Nomination
from tests.filings.helpers import form_values

from .factories import (
    EnterpriseFactory,
    ProjectFactory,
    applicant,
    complete_values,
    make_nomination,
    nrta_official,
    pdf_bytes,
    png_bytes,
)


def html(response) -> str:
    return response.content.decode()


def post_data(values: dict, action: str) -> dict:
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in values.items()}
    data["first_broadcast"] = values["first_broadcast"].isoformat()
    data["broadcast_end"] = values["broadcast_end"].isoformat()
    data["action"] = action
    return data


def test_projects_list_shows_the_kind_of_each_applicant(client, member, person, project, individual_project):
    enterprise = applicant(EnterpriseFactory(name="湖南示例文化传媒有限公司"))

    client.force_login(member)
    institution_page = html(client.get(reverse("awards:projects")))
    client.force_login(person)
    person_page = html(client.get(reverse("awards:projects")))
    client.force_login(enterprise)
    enterprise_page = html(client.get(reverse("awards:projects")))

    assert project.title in institution_page and individual_project.title not in institution_page
    assert individual_project.title in person_page and project.title not in person_page
    assert project.title in enterprise_page and individual_project.title not in enterprise_page
    assert "距截止还有 14 天 14 小时" in institution_page


def test_projects_list_hides_closed_and_future_projects(client, member, project, clock):
    clock.move_to(datetime(2026, 6, 15, 23, 59, 59, tzinfo=BEIJING))
    client.force_login(member)  # the session's clock moves with the test's
    last_second = html(client.get(reverse("awards:projects")))
    clock.move_to(datetime(2026, 6, 16, 0, 0, tzinfo=BEIJING))
    client.force_login(member)
    after = html(client.get(reverse("awards:projects")))

    assert project.title not in after
    assert project.title in last_second


def test_applicant_pages_refuse_staff_and_anonymous(client, member, project):
    urls = [reverse("awards:projects"), reverse("awards:mine"), reverse("awards:project", args=[project.public_id])]

    client.force_login(member)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    client.force_login(nrta_official())
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.logout()
    assert [client.get(url).status_code for url in urls] == [302, 302, 302]


def test_project_detail_shows_sections_and_eight_criteria(client, member, person, project):
    client.force_login(member)
    page = html(client.get(reverse("awards:project", args=[project.public_id])))
    client.force_login(person)  # an individual: 机构类 is not theirs
    refused = client.get(reverse("awards:project", args=[project.public_id]))

    for label in ("项目类型", "申报时间", "附件信息", "项目详情", "立刻申报", "距截止还有 14 天 14 小时"):
        assert label in page
    assert page.count("优秀作品</li>") == 8
    assert refused.status_code == 404


def test_pledge_template_is_a_real_pdf_for_the_right_user(client, member, person, project):
    url = reverse("awards:pledge_template", args=[project.public_id])

    client.force_login(member)
    response = client.get(url)
    body = b"".join(response.streaming_content)
    client.force_login(person)
    refused = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-") and b"%%EOF" in body[-1024:]
    assert "attachment" in response["Content-Disposition"]
    assert refused.status_code == 404


def test_new_form_has_every_field_of_the_seed(member_client, project, platform):
    page = html(member_client.get(reverse("awards:new", args=[project.public_id])))

    for label in (
        "网络视听节目季度推优参评作品登记表",
        "申报台局",
        "作品名称",
        "作品类型",
        "集数",
        "单集时长(分钟)",
        "总时长(分钟)",
        "首播日期",
        "播出完毕日期",
        "播出平台",
        "版权所属机构(个人)",
        "出品机构",
        "制作机构",
        "版权承诺书",
        "保存",
        "申报",
        "0/200",
        "允许误差 ±10% 或 ±5 分钟（取较大者）",
    ):
        assert label in page, label
    for work_type in ("网络纪录片", "网络微短剧", "网络音频节目", "短视频", "其他"):
        assert work_type in page
    assert '<optgroup label="中南">' in page and "湖南省广播电视局" in page
    assert "国家广播电视总局</option>" not in page  # not a central unit


def test_central_unit_is_offered_nrta(client, project):
    central = applicant(EnterpriseFactory(name="中央示例单位", is_central=True))
    client.force_login(central)

    page = html(client.get(reverse("awards:new", args=[project.public_id])))

    assert '<optgroup label="中央">' in page and "国家广播电视总局</option>" in page


def test_save_creates_a_draft_and_submit_from_the_form(member_client, member, project, platform):
    values = complete_values(project, platform=platform)
    data = post_data(values, "save")
    data["pledge"] = SimpleUploadedFile("承诺书.pdf", pdf_bytes(), content_type="application/pdf")

    saved = member_client.post(reverse("awards:new", args=[project.public_id]), data)
    nomination = Nomination.objects.get()
    submitted = member_client.post(reverse("awards:edit", args=[nomination.public_id]), {**post_data(values, "submit")})
    nomination.refresh_from_db()

    assert saved.status_code == 302 and saved["Location"] == reverse("awards:edit", args=[nomination.public_id])
    assert submitted.status_code == 302 and submitted["Location"] == reverse(
        "awards:detail", args=[nomination.public_id]
    )
    assert (nomination.state, nomination.reference, nomination.pledge_name) == (
        NominationState.PENDING,
        "TY-湘-2026Q2-0001",
        "承诺书.pdf",
    )


def test_refused_submit_keeps_what_was_typed_and_shows_errors(member_client, project, platform):
    values = complete_values(project, platform=platform, name="我的作品《测试》", total_minutes="999")
    response = member_client.post(reverse("awards:new", args=[project.public_id]), post_data(values, "submit"))
    page = html(response)
    kept = form_values(page, "nomination-form")

    assert response.status_code == 200
    assert kept["name"] == ["我的作品《测试》"]
    assert kept["total_minutes"] == ["999"]
    assert kept["episodes"] == ["6"]
    assert kept["bureau"] == ["430000"]
    assert kept["work_type"] == ["documentary"]
    assert kept["platform"] == [str(platform.pk)]
    assert kept["first_broadcast"] == [values["first_broadcast"].isoformat()]
    # next to the field and in the summary at the top, linked to the field
    assert 'id="id_total_minutes-error"' in page
    assert 'href="#id_total_minutes"' in page and 'href="#id_pledge"' in page
    assert "请上传签字盖章后的版权承诺书（PDF）。" in page
    # the draft is saved and the form now posts to it
    nomination = Nomination.objects.get()
    assert nomination.state == NominationState.DRAFT
    assert f'action="{reverse("awards:edit", args=[nomination.public_id])}"' in page


def test_type_error_on_save_keeps_values(member_client, project):
    response = member_client.post(
        reverse("awards:new", args=[project.public_id]),
        {"name": "作品甲", "episodes": "十集", "first_broadcast": "2026-02-30", "action": "save"},
    )
    kept = form_values(html(response), "nomination-form")

    assert response.status_code == 200
    assert (kept["name"], kept["episodes"], kept["first_broadcast"]) == (["作品甲"], ["十集"], ["2026-02-30"])
    assert "请输入整数。" in html(response) and "请输入有效日期（年-月-日）。" in html(response)
    assert Nomination.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("伪装.pdf", png_bytes(), "的内容不是 PDF 文件"),  # a PNG renamed .pdf
        ("scan.png", png_bytes(), "版权承诺书须为 PDF 格式的扫描件"),
        ("截断.pdf", pdf_bytes()[:40], "PDF文件已损坏或不完整"),
        ("empty.pdf", b"", "是空文件"),
    ],
)
def test_pledge_checked_by_content(member_client, project, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = member_client.post(
        reverse("awards:new", args=[project.public_id]), {"name": "作品乙", "pledge": upload, "action": "save"}
    )

    assert response.status_code == 200
    assert message in html(response)
    assert 'id="id_pledge-error"' in html(response)
    assert Nomination.objects.count() == 0


def test_tampered_nrta_choice_refused_by_the_form(member_client, project):
    response = member_client.post(
        reverse("awards:new", args=[project.public_id]), {"name": "作品丙", "bureau": "000000", "action": "save"}
    )

    assert "请选择有效的申报台局。" in html(response)
    assert Nomination.objects.count() == 0


def test_nominations_are_scoped_to_the_unit(client, member, other_member, project):
    mine = make_nomination(member, project, submit=True)
    theirs = make_nomination(other_member, project, name="别人的作品", bureau="110000")
    urls = lambda n: [  # noqa: E731
        reverse("awards:detail", args=[n.public_id]),
        reverse("awards:edit", args=[n.public_id]),
        reverse("awards:pledge", args=[n.public_id]),
    ]

    client.force_login(member)
    own = [client.get(url).status_code for url in urls(mine)]
    foreign = [client.get(url).status_code for url in urls(theirs)]
    foreign_post = client.post(reverse("awards:act", args=[theirs.public_id, "submit"])).status_code
    client.force_login(other_member)
    their_own = [client.get(url).status_code for url in urls(theirs)]

    assert own == [200, 302, 200]  # a submitted nomination's 编辑 goes to 查看
    assert foreign == [404, 404, 404] and foreign_post == 404
    assert their_own == [200, 200, 200]


def test_detail_shows_state_and_history(member_client, member, project):
    nomination = make_nomination(member, project, submit=True)

    page = html(member_client.get(reverse("awards:detail", args=[nomination.public_id])))

    assert "待初审" in page and "审核记录" in page and "已申报" in page
    assert page.count('data-testid="history-row"') == 1
    assert nomination.reference in page
    assert "编辑</a>" not in page  # no transition offered once submitted


def test_submit_from_the_list_with_problems_shows_the_form(member_client, member, project):
    nomination = make_nomination(member, project, pledge=False)

    response = member_client.post(reverse("awards:act", args=[nomination.public_id, "submit"]))

    assert response.status_code == 200
    assert "请上传签字盖章后的版权承诺书（PDF）。" in html(response)
    assert form_values(html(response), "nomination-form")["name"] == ["山河新歌"]


def test_submit_from_the_list(member_client, member, project):
    nomination = make_nomination(member, project)

    response = member_client.post(reverse("awards:act", args=[nomination.public_id, "submit"]))
    nomination.refresh_from_db()

    assert response.status_code == 302 and nomination.state == NominationState.PENDING


def test_transition_not_offered_is_refused(member_client, member, project):
    nomination = make_nomination(member, project)

    member_client.post(reverse("awards:act", args=[nomination.public_id, "recommend"]))
    nomination.refresh_from_db()

    assert nomination.state == NominationState.DRAFT


def test_delete_draft_only(member_client, member, other_member, project):
    draft = make_nomination(member, project)
    submitted = make_nomination(member, project, name="已申报作品", submit=True)
    theirs = make_nomination(other_member, project, name="别人的草稿", bureau="110000")

    member_client.post(reverse("awards:delete", args=[draft.public_id]))
    member_client.post(reverse("awards:delete", args=[submitted.public_id]))
    foreign = member_client.post(reverse("awards:delete", args=[theirs.public_id]))

    assert sorted(Nomination.objects.values_list("name", flat=True)) == ["别人的草稿", "已申报作品"]
    assert foreign.status_code == 404


def test_new_after_deadline_redirects_with_message(client, member, project, clock):
    clock.move_to(datetime(2026, 6, 16, 0, 0, tzinfo=BEIJING))
    client.force_login(member)
    member_client = client

    response = member_client.get(reverse("awards:new", args=[project.public_id]), follow=True)

    assert "该项目的申报截止日期（2026-06-15 23:59:59）已过，不能再申报。" in html(response)
    assert "立刻申报</a>" not in html(response)


def test_home_tile_lists_open_projects(client, member, project, individual_project):
    client.force_login(member)
    logged_in = html(client.get(reverse("home")))
    client.logout()
    public = html(client.get(reverse("home")))

    assert 'data-testid="tile-nrta"' in logged_in and project.title in logged_in
    assert individual_project.title not in logged_in
    assert "暂未开放" not in logged_in.split('data-testid="tile-nrta"')[1].split("</div>\n</div>")[0]
    assert 'data-testid="public-projects"' in public
    assert project.title in public and individual_project.title in public


def test_other_quarter_project_of_own_kind_is_visible_in_detail(member_client):
    closed = ProjectFactory(year=2026, quarter=1)

    page = html(member_client.get(reverse("awards:project", args=[closed.public_id])))

    assert "已过，不能再申报" in page
