"""The officials' pages on /staff/: a matrix of who sees what (both sides in each test), the disposal
form, the finding form, evidence, exports of exactly the filtered list, constant queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from filings.enums import FilingKind
from supervision.inspections import services
from supervision.inspections.enums import CaseKind, CaseStatus, EventKind
from supervision.inspections.models import InspectionCase
from supervision.inspections.refresh import refresh
from tests.filings.factories import png_bytes

from .conftest import CREDIT_CODE, png_upload, programme

pytestmark = pytest.mark.django_db
LIST = "staff:inspections_inspectioncase_changelist"
ADD = "staff:inspections_inspectioncase_add"


def case_url(case):
    # as the admin writes it (quote: a "_" in the random id is written "_5F")
    return reverse("staff:inspections_inspectioncase_change", args=[quote(case.public_id)])


def export_url(fmt="xlsx", query=""):
    return reverse("staff:inspections_inspectioncase_export", args=[fmt]) + (f"?{query}" if query else "")


def finding(official, **kw):
    values = {
        "platform": "某直播平台",
        "url": "https://live.example.cn/room/1",
        "unit_name": "长沙夜色文化传播有限公司",
        "credit_code": CREDIT_CODE,
        "found_on": timezone.localdate(),
        "programme_name": "夜色直播演唱会",
        "description": "未备案的付费直播。",
        "files": [png_upload()],
    }
    values.update(kw)
    return services.record_finding(official, **values)


@pytest.fixture
def cases(hunan_unit, beijing_unit, hunan_official, beijing_official):
    programme(hunan_unit, days_ago=35, name="湖南逾期节目")
    programme(hunan_unit, days_ago=2, kind=FilingKind.IMPORT, name="湖南进口节目")
    programme(beijing_unit, days_ago=40, name="北京逾期节目")
    refresh()
    finding(hunan_official, programme_name="湖南巡查发现")
    finding(beijing_official, programme_name="北京巡查发现", url="https://live.example.cn/room/2")
    return {c.programme_name: c for c in InspectionCase.objects.all()}


HUNAN = {"湖南逾期节目", "湖南进口节目", "湖南巡查发现"}
BEIJING = {"北京逾期节目", "北京巡查发现"}


def _xlsx_names(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("节目名称")
    return {r[column] for r in rows[1:]}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("hunan_official", HUNAN),
        ("beijing_official", BEIJING),
        ("mct_ministry", HUNAN | BEIJING),
        ("nrta_hunan", set()),
        ("nrta_ministry", set()),
        ("hunan_member", set()),
    ],
)
def test_who_sees_which_cases(client, request, cases, who, sees):
    client.force_login(request.getfixturevalue(who))
    listing = client.get(reverse(LIST))
    export = client.get(export_url())
    export_csv = client.get(export_url("csv"))
    refused = (302, 403, 404)  # the site's refusal (applicants) or no inspection pages (NRTA staff)
    if sees:
        assert listing.status_code == 200 and export.status_code == 200 and export_csv.status_code == 200
        assert _xlsx_names(export) == sees
        rows = list(csv.reader(io.StringIO(export_csv.content.decode("utf-8-sig"))))
        assert {r[2] for r in rows[1:]} == sees
        page = listing.content.decode()
    else:
        assert {listing.status_code, export.status_code, export_csv.status_code} <= set(refused)
        page = ""
    # 登记巡查发现: provincial MCT officials only
    add = client.get(reverse(ADD))
    assert add.status_code == 200 if who in ("hunan_official", "beijing_official") else add.status_code in refused
    for name, case in cases.items():
        assert (name in page) == (name in sees), name
        detail = client.get(case_url(case))
        assert detail.status_code == 200 if name in sees else detail.status_code in refused, name
        if name not in sees:
            assert name not in detail.content.decode()
        for evidence in case.evidence.all():
            download = client.get(reverse("staff:inspections_evidence", args=[evidence.token]))
            if name in sees:
                assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
            else:
                assert download.status_code in refused


def test_anonymous_is_sent_to_login(client, cases):
    case = cases["湖南逾期节目"]
    for url in (reverse(LIST), case_url(case), export_url(), reverse(ADD)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    client.force_login(case.created_by or InspectionCase.objects.get(programme_name="湖南巡查发现").created_by)
    assert client.get(case_url(case)).status_code == 200


def test_filters_and_export_show_the_same_rows(client, cases, hunan_official):
    client.force_login(hunan_official)
    for query, expected in (
        (f"kind={CaseKind.OVERDUE}", {"湖南逾期节目"}),
        (f"kind={CaseKind.PATROL}", {"湖南巡查发现"}),
        (f"queue={CaseStatus.PENDING}", HUNAN),
        (f"queue={CaseStatus.HANDLED}", set()),
        ("q=进口", {"湖南进口节目"}),
    ):
        page = client.get(reverse(LIST) + "?" + query).content.decode()
        assert {n for n in HUNAN if n in page} == expected, query
        assert _xlsx_names(client.get(export_url("xlsx", query))) == expected, query
        rows = list(csv.reader(io.StringIO(client.get(export_url("csv", query)).content.decode("utf-8-sig"))))
        assert {r[2] for r in rows[1:]} == expected, query
    # date found: a case found 40 days ago is outside 过去7天
    old = cases["湖南逾期节目"]
    InspectionCase.objects.filter(pk=old.pk).update(found_on=timezone.localdate() - timedelta(days=40))
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    query = f"found_on__gte={since}"
    assert _xlsx_names(client.get(export_url("xlsx", query))) == HUNAN - {"湖南逾期节目"}


def test_ministry_filters_by_province(client, cases, mct_ministry, hunan_official):
    client.force_login(mct_ministry)
    assert _xlsx_names(client.get(export_url("xlsx", "province=110000"))) == BEIJING
    client.force_login(hunan_official)  # not offered to an official: ignored, it never widens the scope
    assert _xlsx_names(client.get(export_url("xlsx", "province=110000"))) == HUNAN


def test_disposal_records_status_note_and_history(client, cases, hunan_official):
    case = cases["湖南逾期节目"]
    client.force_login(hunan_official)
    response = client.post(
        case_url(case),
        {
            "form": "dispose",
            "status": CaseStatus.INTERVIEWED,
            "note": "已约谈单位负责人，限期补办备案。",
            "seen": "pending",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INTERVIEWED
    client.post(case_url(case), {"form": "dispose", "status": CaseStatus.INTERVIEWED, "note": "单位已提交备案申请。"})
    client.post(case_url(case), {"form": "dispose", "status": CaseStatus.HANDLED, "note": "已补办，办结。"})
    case.refresh_from_db()
    assert case.status == CaseStatus.HANDLED and case.closed_at is not None
    history = [(e.kind, e.status_from, e.status_to, e.note, e.actor_id) for e in case.events.order_by("at", "pk")]
    assert history[1:] == [
        (EventKind.STATUS, "pending", "interviewed", "已约谈单位负责人，限期补办备案。", hunan_official.pk),
        (EventKind.NOTE, "", "", "单位已提交备案申请。", hunan_official.pk),
        (EventKind.STATUS, "interviewed", "handled", "已补办，办结。", hunan_official.pk),
    ]
    page = client.get(case_url(case)).content.decode()
    assert "已约谈 → 已处理" in page or "已约谈 &rarr; 已处理" in page
    assert "湖南文旅审核员（湖南省文化和旅游厅）" in page


def test_disposal_bad_input_is_shown_at_the_field_and_on_top(client, cases, hunan_official):
    case = cases["湖南逾期节目"]
    client.force_login(hunan_official)
    response = client.post(case_url(case), {"form": "dispose", "status": CaseStatus.INTERVIEWED, "note": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary-dispose"' in page and page.count("请填写处置说明。") == 2
    assert 'value="interviewed" selected' in page  # the choice typed is kept
    # not a status this case can go to (a forged value)
    response = client.post(case_url(case), {"form": "dispose", "status": "closed", "note": "x"})
    assert response.status_code == 400 and "请选择处理状态。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING and case.events.count() == 1


def test_two_officials_at_once_the_second_is_told(client, cases, hunan_official, hunan_colleague):
    case = cases["湖南逾期节目"]
    services.dispose(hunan_colleague, case, status=CaseStatus.HANDLED, note="已处理。", seen_status="pending")
    client.force_login(hunan_official)
    response = client.post(
        case_url(case), {"form": "dispose", "status": CaseStatus.INTERVIEWED, "note": "约谈", "seen": "pending"}
    )
    assert response.status_code == 400
    assert "该事项已被其他人员处理（当前状态：已处理），请刷新页面后查看。" in response.content.decode()
    assert case.events.filter(kind=EventKind.STATUS).count() == 1


def test_other_province_cannot_dispose(client, cases, beijing_official, hunan_official):
    case = cases["湖南逾期节目"]
    client.force_login(beijing_official)
    response = client.post(case_url(case), {"form": "dispose", "status": CaseStatus.HANDLED, "note": "越权"})
    assert response.status_code == 404
    with pytest.raises(services.InspectionError):
        services.dispose(beijing_official, case, status=CaseStatus.HANDLED, note="越权")
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    # The case's own province disposes of it with the same post.
    client.force_login(hunan_official)
    response = client.post(case_url(case), {"form": "dispose", "status": CaseStatus.HANDLED, "note": "已补办，办结。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.HANDLED


def test_finding_form_records_a_case_with_evidence(client, hunan_official, beijing_official):
    client.force_login(hunan_official)
    assert client.get(reverse(ADD)).status_code == 200
    response = client.post(
        reverse(ADD),
        {
            "platform": "某短视频平台",
            "url": "https://v.example.cn/live/9",
            "programme_name": "深夜付费演唱会",
            "unit_name": "长沙某文化公司",
            "credit_code": CREDIT_CODE.lower(),
            "found_on": timezone.localdate().isoformat(),
            "description": "无备案编号。",
            "files": [png_upload("证据1.png"), png_upload("证据2.png")],
        },
    )
    case = InspectionCase.objects.get(kind=CaseKind.PATROL)
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert (case.province, case.credit_code, case.created_by) == ("430000", CREDIT_CODE, hunan_official)
    assert sorted(case.evidence.values_list("original_name", flat=True)) == ["证据1.png", "证据2.png"]
    client.force_login(beijing_official)
    assert client.get(case_url(case)).status_code == 404
    token = case.evidence.first().token
    assert client.get(reverse("staff:inspections_evidence", args=[token])).status_code == 404


def test_finding_form_bad_input_keeps_what_was_typed(client, hunan_official):
    client.force_login(hunan_official)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    fake = io.BytesIO(b"MZ\x90\x00not a png")
    fake.name = "截图.png"
    response = client.post(
        reverse(ADD),
        {
            "platform": "某短视频平台",
            "url": "not a url",
            "unit_name": "长沙某文化公司",
            "credit_code": "91430100MA4L8YX2K0",
            "found_on": tomorrow,
            "description": "说明文字保留",
            "files": [fake],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "统一社会信用代码校验位不正确，请核对后重新输入。",
        "请输入有效的网址，如 https://www.example.cn/live/1。",
        "发现日期不能晚于今天。",
        "内容与其扩展名不符",
    ):
        assert page.count(message) == 2, message  # beside the field and in the summary on top
    assert 'value="长沙某文化公司"' in page and "说明文字保留" in page and 'value="91430100MA4L8YX2K0"' in page
    assert InspectionCase.objects.count() == 0


def test_only_provincial_officials_record_findings(client, mct_ministry, nrta_hunan, hunan_official):
    client.force_login(mct_ministry)
    assert client.get(reverse(ADD)).status_code in (403, 404)
    client.force_login(nrta_hunan)
    assert client.get(reverse(ADD)).status_code in (302, 403, 404)
    client.force_login(hunan_official)  # an MCT provincial official has the form
    assert client.get(reverse(ADD)).status_code == 200


def test_evidence_upload_on_a_finding_only(client, cases, hunan_official):
    patrol, overdue = cases["湖南巡查发现"], cases["湖南逾期节目"]
    client.force_login(hunan_official)
    response = client.post(case_url(patrol), {"form": "evidence", "files": [png_upload("补充截图.png")]})
    assert response.status_code == 302
    assert patrol.evidence.count() == 2
    assert patrol.events.filter(kind=EventKind.EVIDENCE).count() == 2
    response = client.post(case_url(overdue), {"form": "evidence", "files": [png_upload("x.png")]})
    assert response.status_code == 404 and overdue.evidence.count() == 0
    response = client.post(case_url(patrol), {"form": "evidence"})
    assert response.status_code == 400 and "请选择要上传的文件。" in response.content.decode()


def test_index_card_counts(client, cases, hunan_official, beijing_official):
    client.force_login(hunan_official)
    page = client.get(reverse("staff:index")).content.decode()
    assert "日常巡查" in page and 'data-queue="pending"><strong>3</strong>' in page
    assert "未办结：逾期未备案 1 件" in page and "登记巡查发现" in page
    client.force_login(beijing_official)
    page = client.get(reverse("staff:index")).content.decode()
    assert 'data-queue="pending"><strong>2</strong>' in page


def _more(hunan_unit, n):
    for i in range(n):
        programme(hunan_unit, days_ago=31 + i, name=f"批量逾期节目{i}")
    refresh()


def test_list_export_and_detail_in_constant_queries(client, hunan_unit, hunan_official, django_assert_max_num_queries):
    _more(hunan_unit, 1)
    client.force_login(hunan_official)
    client.get(reverse(LIST))  # warm up (content types, session)
    case = InspectionCase.objects.first()
    services.dispose(hunan_official, case, status=CaseStatus.INTERVIEWED, note="约谈")

    def measure():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = []
        for url in (reverse(LIST), export_url(), reverse(LIST) + "?kind=overdue", case_url(case)):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    few = measure()
    _more(hunan_unit, 30)
    for c in InspectionCase.objects.exclude(pk=case.pk)[:10]:
        services.dispose(hunan_official, c, status=CaseStatus.INTERVIEWED, note="约谈")
    for _ in range(5):
        services.dispose(hunan_official, case, status=CaseStatus.INTERVIEWED, note="再次约谈")
    assert InspectionCase.objects.count() == 31
    many = measure()
    assert few == many
    with django_assert_max_num_queries(15):
        client.get(reverse(LIST))


def test_the_periodic_job_and_beat_entry_exist(settings):
    from portal.management.commands.run_periodic import available_jobs

    assert "refresh_inspections" in available_jobs()
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-inspections"]
    assert entry["task"] == "supervision.inspections.tasks.refresh_inspections"
    from supervision.inspections.tasks import refresh_inspections

    assert refresh_inspections.name == entry["task"]


def test_search_by_name_unit_credit_code_or_reference(client, hunan_unit, hunan_official):
    from filings.enums import FilingState

    submitted = programme(hunan_unit, days_ago=40, state=FilingState.SUBMITTED, name="已提交的逾期节目")
    programme(hunan_unit, days_ago=45, name="另一个逾期草稿")
    refresh()
    client.force_login(hunan_official)
    for term, expected in (
        (submitted.reference, {"已提交的逾期节目"}),
        (submitted.reference.lower(), {"已提交的逾期节目"}),
        ("逾期草稿", {"另一个逾期草稿"}),
        ("湖南逾期文化", {"已提交的逾期节目", "另一个逾期草稿"}),
        ("没有这个节目", set()),
    ):
        names = _xlsx_names(client.get(export_url("xlsx", f"q={term}")))
        assert names == expected, term
