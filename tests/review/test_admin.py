"""The reviewers' admin site (/staff/) through ReviewableAdmin, using the test-only Dossier kinds."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from accounts.models import AuditEvent
from review.engine import perform
from review.models import ReviewRecord
from tests.factories import OrganisationFactory
from tests.review.factories import DossierFactory

pytestmark = pytest.mark.django_db

LIST = "/staff/reviewtestapp/dossier/"


def detail(dossier):
    return f"{LIST}{dossier.public_id}/change/"


def row_names(response):
    """Names in the first column of the change list, in order."""
    return re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a></th>', response.content.decode())


def page_messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def hunan_row(db):
    return DossierFactory(name="湖南剧目", organisation__province="430000")


@pytest.fixture
def beijing_row(db):
    return DossierFactory(name="北京剧目", organisation__province="110000")


# --- access and scope ----------------------------------------------------------------


def test_admin_official_sees_only_own_province(client, hunan_official, hunan_row, beijing_row):
    DossierFactory(name="湖南草稿", draft=True)
    client.force_login(hunan_official)

    response = client.get(LIST)

    assert response.status_code == 200
    assert row_names(response) == ["湖南剧目"]


def test_admin_official_gets_404_for_other_province_by_url(client, hunan_official, hunan_row, beijing_row):
    client.force_login(hunan_official)

    assert client.get(detail(beijing_row)).status_code == 404
    assert client.get(f"{LIST}{beijing_row.pk}/change/").status_code == 404
    response = client.post(detail(beijing_row), {"transition": "accept"})
    assert response.status_code == 404
    beijing_row.refresh_from_db()
    assert beijing_row.state == "submitted"
    # The same official opens and accepts a row of their own province.
    assert client.get(detail(hunan_row)).status_code == 200
    assert client.post(detail(hunan_row), {"transition": "accept"}).status_code == 302
    hunan_row.refresh_from_db()
    assert hunan_row.state == "in_review"


def test_admin_ministry_sees_all_provinces(client, ministry, hunan_row, beijing_row):
    draft = DossierFactory(name="北京草稿", draft=True, organisation__province="110000")
    client.force_login(ministry)

    response = client.get(LIST)

    # Every province's submitted rows, never a unit's draft.
    assert sorted(row_names(response)) == ["北京剧目", "湖南剧目"]
    assert client.get(detail(beijing_row)).status_code == 200
    assert client.get(detail(hunan_row)).status_code == 200
    assert client.get(detail(draft)).status_code == 404
    assert client.post(detail(draft), {"transition": "accept"}).status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_admin_ministry_of_other_authority_cannot_open_the_list(client, nrta_ministry, ministry, hunan_row):
    client.force_login(nrta_ministry)

    assert client.get(LIST).status_code == 403
    assert client.get(detail(hunan_row)).status_code == 404
    # The ministry of the dossier's own authority opens both.
    client.force_login(ministry)
    assert row_names(client.get(LIST)) == ["湖南剧目"]
    assert client.get(detail(hunan_row)).status_code == 200


def test_admin_applicant_is_redirected_to_admin_login_and_refused(client, applicant):
    client.force_login(applicant)

    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url == "/staff/login/?next=/staff/"

    refused = client.get(response.url)
    assert refused.status_code == 403
    assert "不是审核人员，无权访问审核工作台" in refused.content.decode()
    assert client.get(LIST).status_code == 302


def test_admin_anonymous_is_sent_to_portal_login(client):
    response = client.get("/staff/login/?next=/staff/reviewtestapp/dossier/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fstaff%2Freviewtestapp%2Fdossier%2F"


def test_admin_login_ignores_off_site_next(client):
    response = client.get("/staff/login/?next=https://evil.example/")

    assert response.url == "/accounts/login/?next=%2Fstaff%2F"


def test_admin_staff_needing_otp_is_sent_to_verify(client, ministry, monkeypatch):
    from accounts.services import staff

    monkeypatch.setattr(staff, "staff_needs_otp", lambda user: True)
    client.force_login(ministry)

    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url == "/accounts/otp/verify/?next=%2Fstaff%2Freviewtestapp%2Fdossier%2F"


def test_admin_offers_no_add_edit_delete_or_history(client, hunan_official, hunan_row):
    client.force_login(hunan_official)

    assert client.get(f"{LIST}add/").status_code == 403
    assert client.get(f"{LIST}{hunan_row.public_id}/delete/").status_code == 403
    assert client.get(f"{LIST}{hunan_row.public_id}/history/").status_code == 404


# --- index ---------------------------------------------------------------------------


def test_admin_index_counts_queues_in_scope(client, hunan_official):
    DossierFactory.create_batch(2, state="submitted")
    DossierFactory(state="in_review")
    DossierFactory(state="approved")
    DossierFactory(state="returned")
    DossierFactory(state="submitted", organisation__province="110000")
    client.force_login(hunan_official)

    response = client.get("/staff/")

    content = response.content.decode()
    assert "审核工作台" in content
    assert "返回门户首页" in content
    counts = dict(re.findall(r'data-queue="(\w+)"><strong>(\d+)</strong>', content))
    filing_queues = {key: counts.get(key) for key in ("pending", "in_review", "done")}
    assert filing_queues == {"pending": "2", "in_review": "1", "done": "2"}
    # the guidance queues (supervision) are counted on the same index, empty here
    assert {key: counts.get(key) for key in ("awaiting_answer", "answered")} == {
        "awaiting_answer": "0",
        "answered": "0",
    }


# --- filters and search ----------------------------------------------------------------


def test_admin_queue_filter(client, hunan_official):
    DossierFactory(name="待受理一", state="submitted")
    DossierFactory(name="审核中一", state="in_review")
    DossierFactory(name="已通过一", state="approved")
    client.force_login(hunan_official)

    assert row_names(client.get(LIST + "?queue=pending")) == ["待受理一"]
    assert row_names(client.get(LIST + "?queue=in_review")) == ["审核中一"]
    assert row_names(client.get(LIST + "?queue=done")) == ["已通过一"]
    assert "待受理" in client.get(LIST).content.decode()


def test_admin_type_status_and_province_filters(client, ministry):
    DossierFactory(name="国产一", type="domestic", state="submitted")
    DossierFactory(name="进口一", type="import", state="in_review")
    DossierFactory(name="北京进口", type="import", state="in_review", organisation__province="110000")
    client.force_login(ministry)

    assert sorted(row_names(client.get(LIST + "?type=test.import"))) == ["北京进口", "进口一"]
    assert row_names(client.get(LIST + "?status=submitted")) == ["国产一"]
    assert row_names(client.get(LIST + "?province=110000")) == ["北京进口"]


def test_admin_province_filter_not_offered_to_officials(client, hunan_official, hunan_row):
    client.force_login(hunan_official)

    content = client.get(LIST).content.decode()

    assert "?province=" not in content
    assert row_names(client.get(LIST + "?province=110000")) == ["湖南剧目"]


def test_admin_search_by_name_reference_unit_and_credit_code(client, hunan_official):
    org = OrganisationFactory(name="星辰文化传媒有限公司", credit_code="91430100MA4L678907")
    DossierFactory(name="春之声", organisation=org, reference="WY-湘-2026-000123")
    DossierFactory(name="夏之夜")
    client.force_login(hunan_official)

    for term in ("春之声", "WY-湘-2026-000123", "星辰文化", "91430100MA4L678907"):
        assert row_names(client.get(LIST, {"q": term})) == ["春之声"], term


def test_admin_list_newest_submitted_first(client, hunan_official):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    DossierFactory(name="较早", submitted_at=now - timedelta(days=2))
    DossierFactory(name="最新", submitted_at=now)
    DossierFactory(name="居中", submitted_at=now - timedelta(days=1))
    client.force_login(hunan_official)

    assert row_names(client.get(LIST)) == ["最新", "居中", "较早"]


def test_admin_list_query_count_is_constant(client, hunan_official, django_assert_max_num_queries):
    DossierFactory()
    client.force_login(hunan_official)
    with django_assert_max_num_queries(15) as one:
        response = client.get(LIST)
    assert len(row_names(response)) == 1

    DossierFactory.create_batch(49)
    with django_assert_max_num_queries(15) as fifty:
        response = client.get(LIST)
    assert len(row_names(response)) == 50

    assert len(one.captured_queries) == len(fifty.captured_queries)


# --- detail page and actions ------------------------------------------------------------


def test_admin_detail_is_read_only_with_files_records_and_actions(client, hunan_official, applicant):
    row = DossierFactory(name="春之声", organisation=applicant.organisation, state="draft")
    perform(row, "submit", actor=applicant)
    client.force_login(hunan_official)

    response = client.get(detail(row))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="dossier-detail"' in content
    assert "省份 430000" in content  # context from get_review_context
    assert '<a href="/files/' in content and "自审报告.pdf" in content
    assert '<span class="review-state" data-testid="review-state">待受理</span>' in content
    records = re.findall(r"<td>([^<]*)</td>", content.split('data-testid="review-records"')[1])
    assert records[1:4] == [applicant.full_name, "提交", "草稿 → 待受理"]
    buttons = re.findall(r'<button type="submit" name="transition" value="(\w+)"[^>]*>([^<]+)</button>', content)
    assert buttons == [("accept", "受理")]
    assert "<input" not in content.split('id="review-application"')[1].split("</section>")[0]


def test_admin_detail_view_is_audited(client, hunan_official, hunan_row):
    client.force_login(hunan_official)

    client.get(detail(hunan_row))

    event = AuditEvent.objects.get(action="staff.view")
    assert event.actor == hunan_official
    assert event.target == hunan_row.reference
    assert event.detail == {"kind": "test.domestic", "public_id": hunan_row.public_id}


def test_admin_detail_action_performs_transition(client, hunan_official, hunan_row):
    client.force_login(hunan_official)

    response = client.post(detail(hunan_row), {"transition": "accept", "comment": "材料齐全"}, follow=True)

    assert response.redirect_chain == [(detail(hunan_row), 302)]
    assert page_messages(response) == ["已受理：湖南剧目"]
    hunan_row.refresh_from_db()
    assert hunan_row.state == "in_review"
    record = ReviewRecord.objects.get()
    assert (record.actor, record.comment, record.transition) == (hunan_official, "材料齐全", "accept")
    assert [b for b in re.findall(r'name="transition" value="(\w+)"', response.content.decode())] == [
        "approve",
        "reject",
        "return",
    ]


def test_admin_detail_comment_required_shows_error_next_to_field(client, hunan_official):
    row = DossierFactory(state="in_review")
    client.force_login(hunan_official)

    response = client.post(detail(row), {"transition": "return", "comment": ""})

    assert response.status_code == 200
    content = response.content.decode()
    assert '<ul class="errorlist" id="comment-errors"><li>请填写意见（退回修改时必须说明理由）。</li></ul>' in content
    assert 'aria-invalid="true" aria-describedby="comment-errors"' in content
    row.refresh_from_db()
    assert row.state == "in_review"
    assert ReviewRecord.objects.count() == 0


def test_admin_detail_lost_race_shows_message_and_keeps_comment(client, hunan_official, ministry):
    row = DossierFactory(state="in_review")
    client.force_login(hunan_official)
    perform(row, "approve", actor=ministry)  # someone else was faster

    response = client.post(detail(row), {"transition": "return", "comment": "请补充演员名单"})

    assert response.status_code == 200
    assert page_messages(response) == ["该申请已被其他审核人员处理，请刷新后查看最新状态。"]
    assert "请补充演员名单</textarea>" in response.content.decode()
    assert '<span class="review-state" data-testid="review-state">已通过</span>' in response.content.decode()
    assert ReviewRecord.objects.count() == 1


def test_admin_detail_refuses_applicant_transition(client, hunan_official, hunan_row):
    client.force_login(hunan_official)

    response = client.post(detail(hunan_row), {"transition": "withdraw"})

    assert response.status_code == 200
    assert page_messages(response) == ["不支持的操作。"]
    hunan_row.refresh_from_db()
    assert hunan_row.state == "submitted"


# --- bulk actions -----------------------------------------------------------------------------


def test_admin_bulk_action_offers_reviewer_transitions_only(client, hunan_official, hunan_row):
    client.force_login(hunan_official)

    content = client.get(LIST).content.decode()

    options = re.findall(r'<option value="(transition_\w+)">([^<]+)</option>', content)
    assert options == [
        ("transition_accept", "受理"),
        ("transition_approve", "通过"),
        ("transition_reject", "不通过"),
        ("transition_return", "退回修改"),
    ]


def test_admin_bulk_action_with_comment_page(client, hunan_official):
    first, second = DossierFactory.create_batch(2, state="submitted")
    client.force_login(hunan_official)
    data = {"action": "transition_accept", "_selected_action": [first.pk, second.pk], "index": 0}

    confirm = client.post(LIST + "?queue=pending", data)

    assert confirm.status_code == 200
    assert "将对以下 2 条申请执行“受理”：" in confirm.content.decode()
    first.refresh_from_db()
    assert first.state == "submitted"

    response = client.post(
        LIST + "?queue=pending",
        {
            "action": "transition_accept",
            "_selected_action": [first.pk, second.pk],
            "post": "yes",
            "comment": "同意受理",
        },
        follow=True,
    )

    assert page_messages(response) == ["已对 2 条申请执行“受理”。"]
    assert sorted(ReviewRecord.objects.values_list("to_state", "comment")) == [
        ("in_review", "同意受理"),
        ("in_review", "同意受理"),
    ]


def test_admin_bulk_comment_required_keeps_page_and_text(client, hunan_official):
    row = DossierFactory(state="in_review")
    client.force_login(hunan_official)
    data = {"action": "transition_reject", "_selected_action": [row.pk], "post": "yes", "comment": ""}

    response = client.post(LIST, data)

    assert response.status_code == 200
    assert "请填写意见（不通过时必须说明理由）。" in response.content.decode()
    row.refresh_from_db()
    assert row.state == "in_review"

    data["comment"] = "内容不符合要求"
    client.post(LIST, data)
    row.refresh_from_db()
    assert row.state == "rejected"


def test_admin_bulk_reports_refused_rows(client, hunan_official):
    ready = DossierFactory(name="可受理", state="submitted")
    busy = DossierFactory(name="已受理", state="in_review")
    client.force_login(hunan_official)

    response = client.post(
        LIST,
        {"action": "transition_accept", "_selected_action": [ready.pk, busy.pk], "post": "yes", "comment": ""},
        follow=True,
    )

    assert page_messages(response) == [
        "已对 1 条申请执行“受理”。",
        "已受理：该申请已被其他审核人员处理，请刷新后查看最新状态。",
    ]


def test_admin_bulk_action_cannot_reach_other_province(client, hunan_official, beijing_row):
    client.force_login(hunan_official)

    client.post(
        LIST,
        {"action": "transition_accept", "_selected_action": [beijing_row.pk], "post": "yes", "comment": ""},
    )

    beijing_row.refresh_from_db()
    assert beijing_row.state == "submitted"
    assert ReviewRecord.objects.count() == 0


# --- export ---------------------------------------------------------------------------------


def test_admin_export_xlsx_of_filtered_list(client, hunan_official):
    from datetime import datetime

    from django.utils import timezone

    org = OrganisationFactory(name="星辰文化传媒有限公司")
    DossierFactory(
        name="春之声",
        organisation=org,
        reference="WY-湘-2026-000001",
        submitted_at=timezone.make_aware(datetime(2026, 3, 1, 9, 30)),
    )
    DossierFactory(
        name='=HYPERLINK("http://x")',
        organisation=org,
        reference="WY-湘-2026-000002",
        submitted_at=timezone.make_aware(datetime(2026, 3, 2, 14, 5)),
    )
    DossierFactory(name="夏之夜", state="in_review")  # filtered out by the queue
    DossierFactory(name="京剧目", organisation__province="110000")  # out of scope
    client.force_login(hunan_official)

    response = client.get(LIST + "export/xlsx/?queue=pending")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "测试申请"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["受理编号", "名称", "单位", "状态", "提交时间"],
        ["WY-湘-2026-000002", '\'=HYPERLINK("http://x")', "星辰文化传媒有限公司", "待受理", "2026-03-02 14:05"],
        ["WY-湘-2026-000001", "春之声", "星辰文化传媒有限公司", "待受理", "2026-03-01 09:30"],
    ]
    assert AuditEvent.objects.get(action="staff.export").detail["rows"] == 2


def test_admin_export_csv_has_bom_and_chinese(client, hunan_official):
    DossierFactory(name="春之声", reference="WY-湘-2026-000001", organisation__name="星辰文化")
    client.force_login(hunan_official)

    response = client.get(LIST + "export/csv/")

    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["受理编号", "名称", "单位", "状态", "提交时间"]
    assert rows[1][:4] == ["WY-湘-2026-000001", "春之声", "星辰文化", "待受理"]


def test_admin_export_is_scoped_and_refused_to_others(client, hunan_official, beijing_row, applicant):
    client.force_login(hunan_official)
    rows = list(csv.reader(io.StringIO(client.get(LIST + "export/csv/").content.decode("utf-8-sig"))))
    assert rows == [["受理编号", "名称", "单位", "状态", "提交时间"]]
    assert client.get(LIST + "export/pdf/").status_code == 404

    client.force_login(applicant)
    assert client.get(LIST + "export/csv/").status_code == 302


def test_reviewer_change_url_uses_public_id(client, hunan_official, hunan_row):
    from review.staff import reviewer_change_url

    url = reviewer_change_url(hunan_row)

    assert url == detail(hunan_row)
    client.force_login(hunan_official)
    assert client.get(url).status_code == 200


def test_admin_bulk_action_with_tampered_selection_is_refused_without_error(client, hunan_official, hunan_row):
    client.force_login(hunan_official)
    data = {"action": "transition_accept", "_selected_action": ["x", str(hunan_row.pk)], "index": 0}

    response = client.post(LIST, data, follow=True)

    assert response.status_code == 200
    assert page_messages(response) == ["所选条目无效，请重新勾选。"]
    hunan_row.refresh_from_db()
    assert hunan_row.state == "submitted"
