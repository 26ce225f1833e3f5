"""Applicant pages and the officials' queue, as a matrix of who sees what (both sides in each test)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision.guidance import services
from supervision.guidance.enums import Category, MessageKind, ThreadState
from supervision.guidance.models import Thread

from .conftest import PDF, pdf_upload, png_bytes

pytestmark = pytest.mark.django_db
LIST = "staff:guidance_thread_changelist"


def ask(user, subject="自审标准咨询", **kw):
    values = {"subject": subject, "category": Category.SELF_REVIEW, "text": "请问内容自审的标准是什么？"}
    values.update(kw)
    return services.ask(user, **values)


def staff_url(thread):
    return reverse("staff:guidance_thread_change", args=[thread.public_id])


def test_applicant_sees_only_its_units_threads(client, member, colleague, other_member):
    mine = ask(member, subject="我的咨询一", files=[pdf_upload()])
    theirs = ask(other_member, subject="别人的咨询")
    client.force_login(colleague)
    page = client.get(reverse("guidance:list")).content.decode()
    assert "我的咨询一" in page and "别人的咨询" not in page
    assert client.get(reverse("guidance:detail", args=[mine.public_id])).status_code == 200
    assert client.get(reverse("guidance:detail", args=[theirs.public_id])).status_code == 404
    token = mine.messages.get().attachments.get().token
    response = client.get(reverse("guidance:download", args=[token]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(other_member)
    assert client.get(reverse("guidance:download", args=[token])).status_code == 404
    assert client.get(reverse("guidance:detail", args=[mine.public_id])).status_code == 404


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("hunan_official", {"湖南的咨询"}),
        ("beijing_official", {"北京的咨询"}),
        ("mct_ministry", {"湖南的咨询", "北京的咨询"}),
        ("nrta_hunan", {"湖南机构的咨询"}),
        ("nrta_ministry", {"湖南机构的咨询"}),
    ],
)
def test_officials_see_their_province_and_authority(
    client, request, who, sees, member, beijing_member, institution_member
):
    threads = {
        "湖南的咨询": ask(member, subject="湖南的咨询", files=[pdf_upload()]),
        "北京的咨询": ask(beijing_member, subject="北京的咨询", files=[pdf_upload()]),
        "湖南机构的咨询": ask(institution_member, subject="湖南机构的咨询", files=[pdf_upload()]),
    }
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse(LIST)).content.decode()
    for subject, thread in threads.items():
        token = thread.messages.get().attachments.get().token
        expected = 200 if subject in sees else 404
        assert (subject in page) == (subject in sees), subject
        assert client.get(staff_url(thread)).status_code == expected, subject
        assert client.get(reverse("guidance:download", args=[token])).status_code == expected, subject


def test_experts_and_applicants_have_no_queue(client, member, expert):
    thread = ask(member)
    client.force_login(expert)
    assert client.get(staff_url(thread)).status_code in (302, 403, 404)
    client.force_login(member)
    assert client.get(staff_url(thread)).status_code == 302  # to the reviewers' login refusal
    assert client.get(reverse("guidance:download", args=[thread.public_id])).status_code == 404


def test_new_question_form_keeps_input_and_explains_errors(client, member):
    client.force_login(member)
    fake = SimpleUploadedFile("伪装.pdf", png_bytes(), content_type="application/pdf")
    response = client.post(
        reverse("guidance:new"), {"subject": "我的主题", "category": "", "text": "", "attachments": [fake]}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "请修改以下问题后再提交" in page
    assert "请选择咨询类别。" in page and "请填写咨询内容。" in page
    assert "文件“伪装.pdf”的内容与其扩展名不符" in page
    assert 'value="我的主题"' in page
    assert Thread.objects.count() == 0


def test_applicant_asks_and_replies_through_the_pages(client, member, hunan_official):
    client.force_login(member)
    response = client.post(
        reverse("guidance:new"),
        {
            "subject": "进口节目咨询",
            "category": Category.IMPORT_REVIEW,
            "text": "需要哪些材料？",
            "attachments": [pdf_upload()],
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("guidance:detail", args=[thread.public_id])
    services.post(hunan_official, thread, kind=MessageKind.ASK_BACK, text="请说明节目来源地。")
    response = client.post(
        reverse("guidance:detail", args=[thread.public_id]), {"action": "reply", "text": "来自奥地利"}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.state == ThreadState.AWAITING_ANSWER
    assert [m.text for m in thread.messages.all()] == ["需要哪些材料？", "请说明节目来源地。", "来自奥地利"]


def test_official_answers_on_the_staff_site_and_empty_answer_is_refused(
    client, member, hunan_official, beijing_official
):
    thread = ask(member)
    client.force_login(beijing_official)
    assert client.post(staff_url(thread), {"action": "answer", "text": "越权答复"}).status_code == 404
    client.force_login(hunan_official)
    response = client.post(staff_url(thread), {"action": "answer", "text": ""})
    assert response.status_code == 400 and "请填写答复内容。" in response.content.decode()
    response = client.post(staff_url(thread), {"action": "answer", "text": "请参照自审规范第三条。"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.state == ThreadState.ANSWERED
    assert [m.text for m in thread.messages.all()] == ["请问内容自审的标准是什么？", "请参照自审规范第三条。"]


def test_export_is_exactly_the_filtered_list(client, member, other_member, beijing_member, hunan_official):
    answered = ask(member, subject="已答复的咨询")
    services.post(hunan_official, answered, kind=MessageKind.ANSWER, text="答复")
    ask(other_member, subject="待答复的咨询")
    ask(beijing_member, subject="北京的咨询")
    client.force_login(hunan_official)
    url = reverse("staff:guidance_thread_export", args=["csv"])
    rows = list(
        csv.reader(io.StringIO(client.get(url, {"state__exact": "awaiting_answer"}).content.decode("utf-8-sig")))
    )
    assert rows[0][:3] == ["咨询主题", "咨询单位", "统一社会信用代码"]
    assert [r[0] for r in rows[1:]] == ["待答复的咨询"]
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert sorted(r[0] for r in rows[1:]) == ["已答复的咨询", "待答复的咨询"]
    xlsx = client.get(reverse("staff:guidance_thread_export", args=["xlsx"]), {"q": "已答复"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet["A"]][1:] == ["已答复的咨询"]


def test_list_queries_are_constant(client, member, hunan_official, django_assert_num_queries):
    ask(member, subject="第1个")
    client.force_login(member)
    client.get(reverse("guidance:list"))
    with django_assert_num_queries(QUERIES_APPLICANT):
        assert client.get(reverse("guidance:list")).status_code == 200
    client.force_login(hunan_official)
    client.get(reverse(LIST))
    with django_assert_num_queries(QUERIES_STAFF):
        assert client.get(reverse(LIST)).status_code == 200
    for n in range(2, 12):
        Thread.objects.create(
            organisation=member.organisation,
            authority="mct",
            province="430000",
            subject=f"第{n}个",
            category=Category.OTHER,
            created_by_name="李明",
        )
    client.force_login(member)
    with django_assert_num_queries(QUERIES_APPLICANT):
        page = client.get(reverse("guidance:list")).content.decode()
    assert page.count('data-testid="guidance-row"') == 11
    client.force_login(hunan_official)
    with django_assert_num_queries(QUERIES_STAFF):
        page = client.get(reverse(LIST)).content.decode()
    assert "第11个" in page


QUERIES_APPLICANT = 3
QUERIES_STAFF = 3


def test_staff_index_counts_the_officials_own_threads(client, member, beijing_member, hunan_official, beijing_official):
    ask(member, subject="湖南一")
    ask(member, subject="湖南二")
    ask(beijing_member, subject="北京一")
    client.force_login(hunan_official)
    summary = next(
        q for q in client.get(reverse("staff:index")).context["review_queues"] if q["title"] == "行政指导咨询"
    )
    assert [(q["label"], q["count"]) for q in summary["queues"]] == [("待答复", 2), ("已答复", 0), ("待补充", 0)]
    client.force_login(beijing_official)
    summary = next(
        q for q in client.get(reverse("staff:index")).context["review_queues"] if q["title"] == "行政指导咨询"
    )
    assert [(q["label"], q["count"]) for q in summary["queues"]] == [("待答复", 1), ("已答复", 0), ("待补充", 0)]
