"""公示: opened by NRTA ministry staff on /staff/, a public page with its dates and an objection
form (validated, captcha, rate limited, CSRF), objections disposed of and recorded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.admin.utils import quote
from django.test import Client

from accounts.models import AuditEvent
from awards.enums import NominationState, ObjectionStatus
from awards.models import Nomination, Objection, Publicity
from awards.services import publication
from review.models import Message, ReviewRecord
from tests.awards.factories import mct_ministry, nrta_ministry, nrta_official
from tests.awards.factories_publication import PublicityFactory, WorkFactory, objection_data, page_text

pytestmark = pytest.mark.django_db

PAGE = "/awards/publicity/2026/1/"
ADD = "/staff/awards/publicity/add/"


@pytest.fixture
def works():
    return [
        WorkFactory(name="山河新歌", producer="湖南山河影业有限公司"),
        WorkFactory(individual=True, name="外婆家的非遗手艺", producer="陈晓雨"),
    ]


@pytest.fixture
def publicity(works):
    return PublicityFactory()


def staff_client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --- the public page ----------------------------------------------------------------------------


def test_publicity_page_is_public_with_its_dates_and_works(client, publicity, works):
    WorkFactory(name="未入选的作品", state=NominationState.NOT_SELECTED)
    response = client.get(PAGE)
    assert response.status_code == 200
    text = page_text(response)
    assert "2026年第1季度网络视听节目季度推优入选作品公示" in text
    assert "公示期： 2026-06-01 至 2026-06-06 （含结束日期当天，北京时间 23:59:59 止） 公示中" in text
    assert "机构类 共 1 件" in text and "个人类 共 1 件" in text
    assert "1 山河新歌 网络纪录片 芒果TV 湖南山河影业有限公司 湖南省广播电视局" in text
    assert "1 外婆家的非遗手艺 网络纪录片 芒果TV 陈晓雨 湖南省广播电视局" in text
    assert "未入选的作品" not in text
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "提交异议" in text and "图形验证码" in text


def test_publicity_page_is_not_shown_before_its_start_or_for_an_impossible_quarter(client, works):
    PublicityFactory(starts_on=date(2026, 6, 2), ends_on=date(2026, 6, 7))
    assert client.get(PAGE).status_code == 404  # starts tomorrow
    for url in ("/awards/publicity/2026/5/", "/awards/publicity/99999999999/1/", "/awards/publicity/2026/2/"):
        assert client.get(url).status_code == 404


def test_central_unit_work_names_the_unit_as_recommending_unit(client, publicity):
    WorkFactory(name="中央作品", bureau="000000", organisation__name="中央广播电视总台", producer="中央广播电视总台")
    assert "中央作品 网络纪录片 芒果TV 中央广播电视总台 中央广播电视总台" in page_text(client.get(PAGE))


def test_publicity_page_after_its_end_takes_no_objection(client, publicity, works, clock):
    clock.move_to("2026-06-07 00:00:00+08:00")
    response = client.get(PAGE)
    assert "公示期已结束，待公布" in page_text(response)
    assert "公示期已结束，不再受理异议。" in page_text(response)
    response = client.post(PAGE, objection_data(works[0]))
    assert response.status_code == 409
    assert "本季度公示期已结束，不再受理异议。" in page_text(response)
    assert Objection.objects.count() == 0


def test_last_day_of_publicity_still_takes_objections(client, publicity, works, clock):
    clock.move_to("2026-06-06 23:59:59+08:00")
    response = client.post(PAGE, objection_data(works[0]))
    assert response.status_code == 302
    assert Objection.objects.count() == 1


# --- the objection form -------------------------------------------------------------------------------


def test_objection_is_recorded_and_nrta_staff_are_told(client, publicity, works, django_capture_on_commit_callbacks):
    staff = nrta_ministry()
    hunan = nrta_official("430000")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, objection_data(works[0], contact_email="wang@example.cn"))
    assert response.status_code == 302
    assert response["Location"] == PAGE + "#objection"
    page = page_text(client.get(PAGE))
    assert "您的异议已提交，我们将认真核实处理，并通过您留下的联系方式与您联系。" in page
    objection = Objection.objects.get()
    assert (objection.nomination, objection.publicity) == (works[0], publicity)
    assert (objection.contact_name, objection.contact_phone, objection.contact_email) == (
        "王建国",
        "13812345678",
        "wang@example.cn",
    )
    assert objection.reason == "该作品的首播日期与平台记录不一致。"
    assert objection.status == ObjectionStatus.PENDING
    titles = list(Message.objects.filter(recipient=staff).values_list("title", flat=True))
    assert titles == ["公示期收到新的异议"]
    assert not Message.objects.filter(recipient=hunan).exists()  # ministry staff dispose, not the provinces


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contact_name": "  "}, "联系人", "请填写联系人。"),
        (
            {"contact_phone": "", "contact_email": ""},
            "联系电话",
            "请填写联系电话或电子邮箱（至少一项），以便我们联系您。",
        ),
        ({"contact_phone": "12345"}, "联系电话", "请输入正确的联系电话（手机号或固定电话，如010-86091625）。"),
        ({"contact_phone": "", "contact_email": "wang@"}, "电子邮箱", "请输入正确的电子邮箱地址。"),
        ({"work": ""}, "异议作品", "请选择您提出异议的作品。"),
        ({"work": "not-a-listed-work"}, "异议作品", "请选择公示名单中的作品。"),
        ({"reason": ""}, "异议理由", "请填写异议理由。"),
        ({"reason": "理" * 2001}, "异议理由", "异议理由最多 2000 个字（已输入 2001 个）。"),
        ({"captcha_1": "WRONG"}, "图形验证码", "图形验证码不正确，请重新输入。"),
        ({"captcha_1": ""}, "图形验证码", "请输入图形验证码。"),
    ],
)
def test_objection_form_refuses_bad_input_next_to_the_field_and_keeps_what_was_typed(
    client, publicity, works, overrides, field, message
):
    data = objection_data(works[0], **overrides)
    response = client.post(PAGE, data)
    assert response.status_code == 200
    text = page_text(response)
    assert f"异议表单有以下问题，请修改后再提交： {field}：{message}" in text  # at the top, linked
    assert text.count(message) == 2  # and next to the field
    html = response.content.decode()
    if overrides.get("contact_name") is None:
        assert 'value="王建国"' in html
    if "reason" not in overrides:
        assert "该作品的首播日期与平台记录不一致。</textarea>" in html
    assert Objection.objects.count() == 0


def test_objection_to_a_work_taken_out_meanwhile_is_refused(client, publicity, works):
    form_page = client.get(PAGE)
    assert "山河新歌（网络纪录片）" in page_text(form_page)
    Nomination.objects.filter(pk=works[0].pk).update(state=NominationState.NOT_SELECTED)
    response = client.post(PAGE, objection_data(works[0]))
    assert "异议作品：请选择公示名单中的作品。" in page_text(response)
    assert Objection.objects.count() == 0


def test_objections_are_rate_limited_per_ip(client, publicity, works, settings):
    settings.AWARDS_OBJECTIONS_PER_IP_PER_HOUR = 2
    for _ in range(2):
        assert client.post(PAGE, objection_data(works[0]), REMOTE_ADDR="203.0.113.7").status_code == 302
    response = client.post(PAGE, objection_data(works[0], reason="第三次"), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    text = page_text(response)
    assert "提交过于频繁，请一小时后再试。" in text
    assert "第三次</textarea>" in response.content.decode()  # what was typed is kept
    assert Objection.objects.count() == 2
    # Another address is not held back.
    assert client.post(PAGE, objection_data(works[0]), REMOTE_ADDR="203.0.113.8").status_code == 302
    assert Objection.objects.count() == 3


def test_objection_form_needs_the_csrf_token(publicity, works):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(PAGE, objection_data(works[0]))
    assert response.status_code == 403
    assert Objection.objects.count() == 0
    page = strict.get(PAGE)
    token = page.cookies["csrftoken"].value
    response = strict.post(PAGE, {**objection_data(works[0]), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Objection.objects.count() == 1


def test_publicity_page_queries_do_not_grow_with_the_works(client, publicity, works, django_assert_num_queries):
    client.get(PAGE)  # warm the content types and the captcha
    with django_assert_num_queries(3):  # the publicity, its works (with platform and unit), the captcha
        client.get(PAGE)
    for _ in range(28):
        WorkFactory()
    with django_assert_num_queries(3):
        response = client.get(PAGE)
    assert "机构类 共 29 件" in page_text(response)


# --- opening the 公示 on /staff/ ----------------------------------------------------------------------


def test_open_publicity_defaults_confirms_and_is_for_nrta_ministry_staff_only(works):
    staff = staff_client(nrta_ministry())
    page = staff.get(ADD)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2026-06-01"' in html and 'value="2026-06-06"' in html  # today … today + 5 (Beijing)
    assert 'name="year" value="2026"' in html
    data = {"year": "2026", "quarter": "1", "starts_on": "2026-06-01", "ends_on": "2026-06-06"}
    confirm = staff.post(ADD, data)
    text = page_text(confirm)
    assert (
        "将发起 2026 年第 1 季度的公示，公示期 2026-06-01 至 2026-06-06（含当日）。公示页面向社会公开以下 2 件入选作品"
        in text
    )
    assert "山河新歌" in text and "外婆家的非遗手艺" in text
    assert Publicity.objects.count() == 0  # not before the confirmation
    done = staff.post(ADD, {**data, "confirm": "yes"})
    publicity = Publicity.objects.get()
    assert (
        done.status_code == 302 and done["Location"] == f"/staff/awards/publicity/{quote(publicity.public_id)}/change/"
    )
    assert (publicity.starts_on, publicity.ends_on) == (date(2026, 6, 1), date(2026, 6, 6))
    assert AuditEvent.objects.filter(action="awards.publicity_opened", target="2026Q1").count() == 1
    # The wrong users, in the same test: a provincial official and an MCT ministry user.
    for user in (nrta_official("430000"), mct_ministry()):
        other = staff_client(user)
        assert other.get(ADD).status_code == 403
        assert other.post(ADD, {**data, "confirm": "yes"}).status_code == 403
        assert other.get(f"/staff/awards/publicity/{publicity.public_id}/change/").status_code == 403
        assert other.get("/staff/awards/publicity/").status_code == 403
    assert Publicity.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"starts_on": "2026-05-31"}, "公示开始日期", "公示开始日期不能早于今天。"),
        ({"ends_on": "2026-05-31", "starts_on": "2026-06-01"}, "公示结束日期", "公示结束日期不能早于开始日期。"),
        ({"ends_on": "6月6日"}, "公示结束日期", "请按 年-月-日 格式填写日期。"),
        ({"year": "abc"}, "年度", "请填写正确的年度。"),
        ({"quarter": "9"}, "季度", "请选择季度。"),
    ],
)
def test_open_publicity_refuses_bad_dates_next_to_the_field(works, data, field, message):
    staff = staff_client(nrta_ministry())
    values = {"year": "2026", "quarter": "1", "starts_on": "2026-06-01", "ends_on": "2026-06-06", **data}
    response = staff.post(ADD, {**values, "confirm": "yes"})
    assert response.status_code == 200
    text = page_text(response)
    assert f"{field}：{message}" in text
    assert Publicity.objects.count() == 0


def test_open_publicity_waits_until_every_work_is_decided(works):
    WorkFactory(state=NominationState.IN_EXPERT_REVIEW)
    staff = staff_client(nrta_ministry())
    values = {"year": "2026", "quarter": "1", "starts_on": "2026-06-01", "ends_on": "2026-06-06", "confirm": "yes"}
    text = page_text(staff.post(ADD, values))
    assert "季度：2026年第1季度尚有 1 件作品未确定入选或未入选，全部确定后才能发起公示。" in text
    assert page_text(staff.post(ADD, {**values, "quarter": "2"})).count("2026年第2季度没有入选作品。") == 2
    assert Publicity.objects.count() == 0
    Publicity.objects.create(year=2026, quarter=3, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 6))
    assert "2026年第3季度的公示已发起，不能重复发起。" in page_text(staff.post(ADD, {**values, "quarter": "3"}))


def test_publicity_list_queries_do_not_grow(django_assert_num_queries):
    staff = staff_client(nrta_ministry())
    WorkFactory()
    PublicityFactory()
    staff.get("/staff/awards/publicity/")
    with django_assert_num_queries(3) as one:
        response = staff.get("/staff/awards/publicity/")
    assert "2026年第1季度" in page_text(response)
    for quarter in (2, 3, 4):
        PublicityFactory(quarter=quarter)
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff.get("/staff/awards/publicity/")
    assert "2026年第4季度" in page_text(response)


# --- disposing of objections --------------------------------------------------------------------------


def _objection(publicity, work, **kwargs):
    return Objection.objects.create(
        publicity=publicity,
        nomination=work,
        contact_name="王建国",
        contact_phone="13812345678",
        contact_email="wang@example.cn",
        reason=kwargs.pop("reason", "首播日期不符。"),
        **kwargs,
    )


def test_upheld_objection_takes_the_work_out_and_is_recorded(client, publicity, works):
    objection = _objection(publicity, works[0])
    staff_user = nrta_ministry(full_name="李总局")
    staff = staff_client(staff_user)
    detail = page_text(staff.get(f"/staff/awards/publicity/{publicity.public_id}/change/"))
    assert "王* 138****5678 w***@example.cn 待处理" in detail  # masked on the list
    url = f"/staff/awards/publicity/{publicity.public_id}/objections/{objection.public_id}/"
    page = page_text(staff.get(url))
    assert "联系人 王建国 联系电话 13812345678 电子邮箱 wang@example.cn" in page  # in full, audited
    assert AuditEvent.objects.filter(action="staff.view", target=objection.public_id, actor=staff_user).count() == 1
    # The wrong users cannot see or dispose of it (both sides in one test).
    for user in (nrta_official("430000"), mct_ministry()):
        other = staff_client(user)
        assert other.get(url).status_code == 403
        assert other.post(url, {"decision": "accepted", "note": "越权"}).status_code == 403
    missing = page_text(staff.post(url, {"decision": "accepted", "note": ""}))
    assert "请填写处理意见。" in missing
    response = staff.post(url, {"decision": "accepted", "note": "经核实，首播日期不在推荐季度内。"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ACCEPTED
    assert objection.disposal_note == "经核实，首播日期不在推荐季度内。"
    assert objection.disposed_by == staff_user
    assert objection.disposed_at is not None
    works[0].refresh_from_db()
    assert works[0].state == NominationState.NOT_SELECTED
    record = ReviewRecord.objects.filter(object_id=works[0].pk).latest("pk")
    assert (record.transition, record.comment, record.actor) == (
        "unselect",
        "经核实，首播日期不在推荐季度内。",
        staff_user,
    )
    assert AuditEvent.objects.filter(action="awards.objection_disposed", target=objection.public_id).count() == 1
    # The work has left the public list; the other stays.
    text = page_text(client.get(PAGE))
    assert "山河新歌" not in text and "外婆家的非遗手艺" in text
    # A second disposal is refused with a message.
    again = staff.post(url, {"decision": "rejected", "note": "再次处理"})
    assert again.status_code == 200
    assert "已采纳" in page_text(again)


def test_rejected_objection_keeps_the_work(client, publicity, works):
    objection = _objection(publicity, works[0])
    staff = nrta_ministry()
    publication.dispose_objection(
        objection, decision=ObjectionStatus.REJECTED, note="经核实，异议不成立。", actor=staff
    )
    objection.refresh_from_db()
    assert (objection.status, objection.disposed_by) == (ObjectionStatus.REJECTED, staff)
    works[0].refresh_from_db()
    assert works[0].state == NominationState.SELECTED
    assert "山河新歌" in page_text(client.get(PAGE))


def test_dispose_service_refuses_other_staff(publicity, works):
    objection = _objection(publicity, works[0])
    for user in (nrta_official("430000"), mct_ministry()):
        with pytest.raises(publication.NotPermitted):
            publication.dispose_objection(objection, decision=ObjectionStatus.ACCEPTED, note="越权", actor=user)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING
    publication.dispose_objection(objection, decision=ObjectionStatus.ACCEPTED, note="成立", actor=nrta_ministry())
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ACCEPTED


def test_default_dates_are_beijing_today_plus_five(clock):
    clock.move_to("2026-06-01 23:30:00+08:00")  # 15:30 UTC: still 1 June in Beijing
    assert publication.default_dates() == (date(2026, 6, 1), date(2026, 6, 1) + timedelta(days=5))
    clock.move_to("2026-06-01 16:30:00+00:00")  # 00:30 on 2 June in Beijing
    assert publication.default_dates() == (date(2026, 6, 2), date(2026, 6, 7))
