"""The applicant's pages: 活动申请, the form section by section, 提交, 受理状态, 查看 (SPEC §B1–B4)."""

import re

import pytest
from django.urls import reverse

from filings.enums import FilingKind, FilingState
from filings.models import Filing, FilingVersion, Partner, Performer, Session

from .factories import applicant, make_filing
from .helpers import browser_post, form_values

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- 活动申请 ------------------------------------------------------------------------------------


def test_apply_page_shows_the_seed_buttons(member_client):
    body = text(member_client.get(reverse("filings:apply")))
    for label in (
        "营业性演出(内地)",
        "营业性演出(涉外/涉港澳台)",
        "跨地区巡演(内地)",
        "跨地区巡演(涉外/涉港澳台)",
        "新增剧本脚本",
        "增加演出地备案",
    ):
        assert re.search(re.escape(label) + r'<span class="d-block btn-disabled-note">暂未开放</span>', body), label
    assert f'href="{reverse("filings:new", args=["domestic"])}"' in body
    assert f'href="{reverse("filings:new", args=["import"])}"' in body
    assert "国产网络演出剧(节)目备案" in body and "进口网络演出剧(节)目内容审查" in body
    assert f'<a class="btn btn-outline-danger w-100 py-3" href="{reverse("filings:programmes")}">演出变更</a>' in body
    assert "网络演出剧（节）目管理" in body and "受理状态" in body


def test_home_tile_links_to_activity_management(member_client):
    body = text(member_client.get(reverse("home")))
    assert f'href="{reverse("filings:apply")}" data-testid="tile-activities"' in body
    assert "活动管理" in body


def test_unactivated_unit_cannot_create_a_filing(client, unit):
    unit.activated_at = None
    unit.save()
    user = applicant(unit)
    client.force_login(user)
    body = text(client.get(reverse("filings:apply")))
    assert "本单位未激活资质，不能新增备案。请先在首页点击“激活资质”。" in body
    response = client.get(reverse("filings:new", args=["domestic"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("filings:apply")
    response = client.post(
        reverse("filings:new", args=["domestic"]),
        {
            "sections": "basic",
            "basic-filler": user.pk,
            "basic-manager": user.pk,
            "basic-email": "a@example.cn",
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert Filing.objects.count() == 0


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("filings:status"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_officials_do_not_get_applicant_pages(client, hunan_official, member):
    client.force_login(hunan_official)
    assert client.get(reverse("filings:apply")).status_code == 404
    assert client.get(reverse("filings:status")).status_code == 404
    client.force_login(member)  # an enterprise's member has both
    assert client.get(reverse("filings:apply")).status_code == 200
    assert client.get(reverse("filings:status")).status_code == 200


# --- creating and editing ---------------------------------------------------------------------


def test_new_form_shows_basic_info_only_until_saved(member_client, member, unit):
    response = member_client.get(reverse("filings:new", args=["domestic"]))
    body = text(response)
    assert '首页</a></li> <li class="breadcrumb-item"><a href="/filings/">活动申请</a></li>' in body
    assert body.count("请先填写并保存基本信息。") == 5
    assert f'value="{unit.name}"' in body
    assert 'name="programme-name"' not in body
    assert "提交" not in re.sub(r"提交后", "", body.split('id="filing-form"')[1].split("</form>")[0])


def test_import_form_uses_its_own_labels(member_client):
    body = text(member_client.get(reverse("filings:new", args=["import"])))
    for label in ("单位名称:", "申请人:", "业务负责人:", "电子邮箱:"):
        assert label in body
    assert "填报人" not in body


def test_first_save_of_basic_info_creates_the_draft(member_client, member):
    response = member_client.post(
        reverse("filings:new", args=["domestic"]),
        {
            "sections": "basic",
            "basic-filler": member.pk,
            "basic-manager": member.pk,
            "basic-email": "x@example.cn",
            "action": "save",
        },
    )
    filing = Filing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("filings:edit", args=[filing.public_id]) + "#section-programme"
    assert (filing.kind, filing.state, filing.reference) == (FilingKind.DOMESTIC, FilingState.DRAFT, "")
    version = filing.application_version
    assert (version.filler, version.manager, version.email, version.basic_done) == (
        member,
        member,
        "x@example.cn",
        True,
    )
    assert str(filing.public_id) not in (str(filing.pk),)


def test_basic_info_refuses_a_person_of_another_unit(member_client, member, other_member):
    response = member_client.post(
        reverse("filings:new", args=["domestic"]),
        {
            "sections": "basic",
            "basic-filler": other_member.pk,
            "basic-manager": member.pk,
            "basic-email": "x@example.cn",
            "action": "save",
        },
    )
    assert response.status_code == 200
    assert "只能选择本单位的成员。" in text(response)
    assert Filing.objects.count() == 0


def test_partial_save_keeps_a_draft(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = browser_post(
        member_client,
        url,
        "save:programme",
        {
            "programme-name": "新节目",
            "programme-safety_officer": "",
            "programme-synopsis": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url + "#section-programme"
    version = FilingVersion.objects.get(pk=empty_draft.application_version_id)
    assert (version.name, version.safety_officer, version.synopsis, version.programme_done) == ("新节目", "", "", False)


def test_bad_input_is_kept_with_a_message_next_to_the_field(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = browser_post(
        member_client,
        url,
        "save",
        {
            "programme-name": "保留的名称",
            "programme-video_url": "不是网址",
            "programme-replay_from": "2026-05-02",
            "programme-replay_to": "2026-05-01",
        },
    )
    body = text(response)
    assert response.status_code == 200
    assert 'value="保留的名称"' in body and 'value="不是网址"' in body
    assert (
        '<div class="invalid-feedback d-block" id="id_programme-video_url-error">请输入有效的网址（以 http:// 或 https:// 开头）。</div>'
        in body
    )
    assert "至：回看期限的结束日期应晚于开始日期。" in body
    assert (
        '<a href="#id_programme-video_url" class="alert-link">视频下载地址：请输入有效的网址（以 http:// 或 https:// 开头）。</a>'
        in body
    )
    version = FilingVersion.objects.get(pk=empty_draft.application_version_id)
    assert version.name != "保留的名称"


def test_synopsis_over_2000_characters_is_refused_on_save(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = browser_post(member_client, url, "save", {"programme-synopsis": "字" * 2001})
    assert "演出内容简介不能超过2000字（当前2001字）。" in text(response)


def test_submit_lists_every_problem_with_links(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = browser_post(
        member_client,
        url,
        "submit",
        {
            "programme-name": "",
            "programme-replay": "True",
            "programme-replay_type": "period",
            "programme-replay_from": "",
            "programme-replay_to": "",
            "programme-replay_url": "",
            "joint-joint_broadcast": "True",
            "pledge-pledged": [],
        },
    )
    body = text(response)
    assert response.status_code == 200
    summary = body.split('id="error-summary"')[1].split("</ul>")[0]
    links = re.findall(r'<a href="#([^"]+)" class="alert-link">([^<]+)</a>', summary)
    assert links == [
        ("id_programme-name", "网络演出剧(节)目名称：此项为必填项。"),
        ("id_programme-replay_from", "回看期限自：回看期限为时间段时，请填写开始日期。"),
        ("id_programme-replay_to", "回看期限至：回看期限为时间段时，请填写结束日期。"),
        ("id_programme-replay_url", "回看地址：提供回看时请填写回看地址。"),
        ("section-performers", "演员/团体信息：请至少添加一个演员/团体。"),
        ("section-sessions", "场次信息：请至少添加一个场次。"),
        ("section-partners", "联合播出信息：联合播出时请至少添加一家联合播出企业。"),
        ("material-copyright", "演出获得版权授权证明：请上传此项材料。"),
        ("material-self_review", "自审报告：请上传此项材料。"),
        ("id_pledge-pledged", "承诺书：请阅读承诺书并勾选“确认以上承诺”。"),
    ]
    for anchor, _label in links:
        assert f'id="{anchor}"' in body, anchor
    assert Filing.objects.get(pk=empty_draft.pk).state == FilingState.DRAFT


def test_submit_complete_application(member_client, draft):
    url = reverse("filings:edit", args=[draft.public_id])
    response = browser_post(member_client, url, "submit", follow=True)
    filing = Filing.objects.get(pk=draft.pk)
    assert filing.state == FilingState.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("filings:status")
    assert f"提交成功，受理编号 {filing.reference}。提交后不能修改，请在受理状态中查看办理进度。" in text(response)


def test_editing_after_submit_is_refused(member_client, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    url = reverse("filings:edit", args=[filing.public_id])
    response = member_client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("filings:detail", args=[filing.public_id])
    assert "提交后不能修改。" in text(response)
    response = member_client.post(url, {"sections": "programme", "programme-name": "改名", "action": "save"})
    assert response.status_code == 302
    assert FilingVersion.objects.get(pk=filing.application_version_id).name != "改名"


# --- tables without JavaScript -----------------------------------------------------------------


def test_add_edit_delete_performer_rows(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = browser_post(
        member_client,
        url,
        "row-add:performers",
        {
            "performers-new-name": "示例乐团",
            "performers-new-country": "HK",
            "performers-new-virtual": "False",
        },
    )
    assert response.status_code == 302
    row = Performer.objects.get()
    assert (row.name, row.country, row.virtual) == ("示例乐团", "HK", False)
    page = text(member_client.get(url))
    assert (
        '<td data-label="演员/团体名称">示例乐团</td><td data-label="国家/地区">中国香港</td>'
        '<td data-label="是否(包含)虚拟演员">否</td>'
    ) in page

    response = browser_post(member_client, url, f"row-edit:performers:{row.key}")
    assert response["Location"] == f"{url}?edit=performers:{row.key}#row-{row.key}"
    edit_url = f"{url}?edit=performers:{row.key}"
    response = browser_post(
        member_client,
        edit_url,
        f"row-save:performers:{row.key}",
        {
            f"performers-{row.key}-name": "改名乐团",
            f"performers-{row.key}-virtual": "True",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.name, row.country, row.virtual) == ("改名乐团", "HK", True)

    browser_post(member_client, url, f"row-delete:performers:{row.key}")
    assert Performer.objects.count() == 0


def test_invalid_new_row_keeps_what_was_typed(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    response = browser_post(
        member_client,
        url,
        "row-add:sessions",
        {
            "sessions-new-name": "首场",
            "sessions-new-type": "live",
            "sessions-new-starts_at": "明天",
            "sessions-new-url": "https://live.example.cn/1",
        },
    )
    body = text(response)
    assert response.status_code == 200
    assert 'value="首场"' in body and 'value="明天"' in body
    assert "请输入有效的日期和时间。" in body
    assert Session.objects.count() == 0


def test_new_row_typed_then_save_pressed_is_added(member_client, empty_draft):
    url = reverse("filings:edit", args=[empty_draft.public_id])
    browser_post(
        member_client,
        url,
        "save",
        {
            "sessions-new-name": "首场",
            "sessions-new-type": "recorded",
            "sessions-new-starts_at": "2026-12-01T19:30",
            "sessions-new-url": "https://live.example.cn/1",
        },
    )
    session = Session.objects.get()
    assert (session.name, session.type) == ("首场", "recorded")
    assert session.starts_at.isoformat() == "2026-12-01T11:30:00+00:00"


def test_partner_rows_choose_sessions_of_the_same_application(member_client, draft, unit, member):
    other = make_filing(organisation=unit, by=member)
    foreign_session = Session.objects.get(version_id=other.application_version_id)
    own_session = Session.objects.get(version_id=draft.application_version_id)
    url = reverse("filings:edit", args=[draft.public_id])
    response = browser_post(
        member_client,
        url,
        "row-add:partners",
        {
            "joint-joint_broadcast": "True",
            "partners-new-company": "联合公司",
            "partners-new-safety_officer": "甲",
            "partners-new-contact": "乙",
            "partners-new-platform": "平台",
            "partners-new-sessions": [foreign_session.key],
        },
    )
    assert response.status_code == 200
    assert "所选场次不属于本申请，请重新选择。" in text(response)
    assert Partner.objects.count() == 0
    browser_post(
        member_client,
        url,
        "row-add:partners",
        {
            "joint-joint_broadcast": "True",
            "partners-new-company": "联合公司",
            "partners-new-safety_officer": "甲",
            "partners-new-contact": "乙",
            "partners-new-platform": "平台",
            "partners-new-sessions": [own_session.key],
        },
    )
    partner = Partner.objects.get()
    assert list(partner.sessions.all()) == [own_session]
    assert FilingVersion.objects.get(pk=draft.application_version_id).partners_done is True


def test_session_used_by_a_partner_cannot_be_deleted(member_client, draft):
    version = FilingVersion.objects.get(pk=draft.application_version_id)
    FilingVersion.objects.filter(pk=version.pk).update(joint_broadcast=True)
    session = Session.objects.get(version=version)
    partner = Partner.objects.create(
        version=version, company="联合公司", safety_officer="甲", contact="乙", platform="平台"
    )
    partner.sessions.set([session])
    url = reverse("filings:edit", args=[draft.public_id])
    response = browser_post(member_client, url, f"row-delete:sessions:{session.key}")
    assert "场次“第一场”已被联合播出企业“联合公司”选择，请先修改联合播出信息。" in text(response)
    assert Session.objects.filter(pk=session.pk).exists()


def test_step_list_marks_complete_sections(member_client, empty_draft):
    body = text(member_client.get(reverse("filings:edit", args=[empty_draft.public_id])))
    steps = re.findall(r'list-group-item list-group-item-action( done)?[^>]*href="#section-(\w+)"', body)
    assert steps == [
        (" done", "basic"),
        (" done", "programme"),
        ("", "performers"),
        ("", "sessions"),
        (" done", "partners"),
        ("", "materials"),
        (" done", "pledge"),
    ]


def test_pages_work_in_the_form_parser(member_client, draft):
    values = form_values(member_client.get(reverse("filings:edit", args=[draft.public_id])).content.decode())
    assert values["sections"] == ["basic", "programme", "performers", "sessions", "partners", "pledge"]
    assert values["programme-replay"] == ["True"]


# --- 受理状态, 查看, 撤回, 删除 ---------------------------------------------------------------------


def test_status_lists_applications_and_changes_with_actions(member_client, unit, member):
    draft = make_filing(organisation=unit, by=member)
    submitted = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    returned = make_filing(organisation=unit, by=member, state=FilingState.RETURNED)
    body = text(member_client.get(reverse("filings:status")))
    rows = body.split('data-testid="status-row"')[1:]
    assert len(rows) == 3

    def actions(filing):
        row = next(r for r in rows if filing.application_version.name in r)
        return re.findall(r">(修改|查看|撤回|删除)<", row)

    assert actions(draft) == ["修改", "查看", "删除"]
    assert actions(submitted) == ["查看", "撤回"]
    assert actions(returned) == ["修改", "查看"]


def test_status_filters_by_state_and_type(member_client, unit, member):
    make_filing(organisation=unit, by=member)
    make_filing(organisation=unit, by=member, kind=FilingKind.IMPORT, state=FilingState.SUBMITTED)
    body = text(member_client.get(reverse("filings:status"), {"state": "submitted"}))
    assert body.count('data-testid="status-row"') == 1
    assert "JK-湘-" in body
    body = text(member_client.get(reverse("filings:status"), {"type": "domestic"}))
    assert body.count('data-testid="status-row"') == 1
    body = text(member_client.get(reverse("filings:status"), {"type": "change"}))
    assert body.count('data-testid="status-row"') == 0
    body = text(member_client.get(reverse("filings:status"), {"type": "nonsense", "state": "x"}))
    assert body.count('data-testid="status-row"') == 2


def _status_queries(client, django_assert_max_num_queries, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("filings:status"))
    assert response.status_code == 200
    assert text(response).count('data-testid="status-row"') == min(count, 20)
    return len(ctx.captured_queries)


def test_status_list_query_count_is_constant(member_client, unit, member, django_assert_max_num_queries):
    make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    one = _status_queries(member_client, django_assert_max_num_queries, 1)
    approved = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    from .factories import make_change

    make_change(approved, by=member)
    for _i in range(47):
        make_filing(organisation=unit, by=member, complete=False)
    fifty = _status_queries(member_client, django_assert_max_num_queries, 50)
    assert one == fifty
    assert fifty <= 15


def test_status_is_paginated(member_client, unit, member):
    for _i in range(21):
        make_filing(organisation=unit, by=member, complete=False)
    body = text(member_client.get(reverse("filings:status"), {"page": 2}))
    assert body.count('data-testid="status-row"') == 1
    assert "第 2 / 2 页，共 21 条" in body


def test_detail_shows_data_and_review_records(member_client, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.RETURNED)
    body = text(member_client.get(reverse("filings:detail", args=[filing.public_id])))
    assert filing.reference in body
    assert filing.application_version.name in body
    history = body.split('id="h-history"')[1].split("</table>")[0]
    rows = re.findall(
        r'<td class="text-nowrap">[^<]+</td> <td>([^<]+)</td> <td>([^<]+)</td> <td>([^<]+)</td> <td>([^<]*)</td>',
        history,
    )
    assert rows == [
        ("已提交", member.get_full_name(), "待受理", ""),
        ("已受理", "审核部门", "审核中", ""),
        ("退回修改", "审核部门", "退回修改", "请补充材料"),
    ]


def test_withdraw_from_status_page(member_client, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    response = member_client.post(reverse("filings:withdraw", args=[filing.public_id]), follow=True)
    assert "已撤回，申请已回到草稿状态，可修改后重新提交。" in text(response)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT


def test_withdraw_while_reviewing_is_refused_with_a_message(member_client, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.REVIEWING)
    response = member_client.post(reverse("filings:withdraw", args=[filing.public_id]), follow=True)
    assert "该申请当前不能撤回。" in text(response)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.REVIEWING


def test_withdraw_that_lost_a_race_shows_the_seed_message(member_client, unit, member, hunan_official):
    from filings.services import lifecycle
    from review.engine import perform

    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    stale = Filing.objects.get(pk=filing.pk)
    perform(filing, "accept", actor=hunan_official)  # the official accepts while the page is open
    with pytest.raises(lifecycle.FilingError) as caught:
        lifecycle.withdraw(member, stale)
    assert caught.value.message == "审批中的数据不可撤回"


@pytest.mark.parametrize(
    "target", ["/\\evil.example/", "//evil.example/", "https://evil.example/", "/\t/evil.example/"]
)
def test_withdraw_ignores_an_off_site_next(member_client, unit, member, target):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    response = member_client.post(reverse("filings:withdraw", args=[filing.public_id]), {"next": target})
    assert response["Location"] == reverse("filings:status")


def test_withdraw_returns_to_the_page_it_came_from(member_client, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    page = reverse("filings:detail", args=[filing.public_id])
    response = member_client.post(reverse("filings:withdraw", args=[filing.public_id]), {"next": page})
    assert response["Location"] == page


def test_withdraw_by_get_only_asks(member_client, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    response = member_client.get(reverse("filings:withdraw", args=[filing.public_id]))
    assert response.status_code == 200
    assert "确认撤回" in text(response)
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED


def test_delete_draft_only(member_client, unit, member, settings):
    import os

    draft = make_filing(organisation=unit, by=member)
    submitted = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED)
    response = member_client.post(reverse("filings:delete", args=[submitted.public_id]), follow=True)
    assert "该申请当前不能删除。" in text(response)
    response = member_client.post(reverse("filings:delete", args=[draft.public_id]), follow=True)
    assert "已删除。" in text(response)
    assert list(Filing.objects.values_list("pk", flat=True)) == [submitted.pk]
    stored = [f for _d, _s, files in os.walk(settings.PRIVATE_MEDIA_ROOT) for f in files]
    assert len(stored) == 2  # the submitted application's two files remain


def test_close_returns_to_status(member_client, draft):
    body = text(member_client.get(reverse("filings:edit", args=[draft.public_id])))
    assert f'<a class="btn btn-outline-secondary px-4" href="{reverse("filings:status")}">关闭</a>' in body


def test_summary_lists_a_radio_problem_once_with_a_link_to_its_first_button(member_client, empty_draft):
    FilingVersion.objects.filter(pk=empty_draft.application_version_id).update(first_recorded=None)
    url = reverse("filings:edit", args=[empty_draft.public_id])
    body = text(browser_post(member_client, url, "submit"))
    summary = body.split('id="error-summary"')[1].split("</ul>")[0]
    assert summary.count("首场演出是否为录播：请选择是或否。") == 1
    assert (
        '<a href="#id_programme-first_recorded_0" class="alert-link">首场演出是否为录播：请选择是或否。</a>' in summary
    )
    assert "申请信息不完整，请修改以下问题后再提交。" in summary


def test_thirty_day_rule_is_shown_for_domestic_filings(client, member, draft, settings):
    """Factory sessions start 2026-03-01 20:00 Beijing time: the deadline is 30 days later."""
    import time_machine

    url = reverse("filings:edit", args=[draft.public_id])

    def page_on(day):
        with time_machine.travel(f"{day} 12:00 +0800", tick=False):
            client.force_login(member)
            return text(client.get(url))

    assert "国产网络演出剧(节)目应在首场演出后30天内备案，本节目备案期限为 2026-03-31。" in page_on("2026-03-10")
    assert "首场演出已超过30天（备案期限 2026-03-31），属于逾期备案，请尽快提交。" in page_on("2026-04-01")
    settings.FILINGS_DOMESTIC_FILING_DAYS = 60
    assert "本节目备案期限为 2026-04-30。" in page_on("2026-04-01")


def test_thirty_day_rule_is_not_shown_for_imports(member_client, import_draft):
    body = text(member_client.get(reverse("filings:edit", args=[import_draft.public_id])))
    assert 'id="deadline-note"' not in body


@pytest.mark.parametrize("kind", ["institution", "individual"])
def test_nrta_applicants_have_no_mct_filing_pages(client, kind, member):
    from tests.factories import ApplicantFactory, OrganisationFactory

    user = ApplicantFactory(organisation=OrganisationFactory(kind=kind, name="湖南示例网络视听机构"))
    client.force_login(member)  # an enterprise's member has them
    for url in ("/filings/", "/filings/status/", "/filings/programmes/"):
        assert client.get(url).status_code == 200, url
    client.force_login(user)
    for url in ("/filings/", "/filings/status/", "/filings/programmes/"):
        assert client.get(url).status_code == 404, url
    home = client.get("/").content.decode()
    assert "活动管理" not in home
    assert "网络视听节目季度推优" in home
