"""The provincial quota (原则上不超过10件): the guard, the counter, the ministry's table and the raise."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from awards.models import Nomination, QuotaLedger, QuotaRaise
from awards.services.quota import raise_quota
from review.engine import Refused
from review.staff import reviewer_change_url

from .factories import ProjectFactory, nrta_ministry, nrta_official
from .factories_review import recommend, submitted, submitted_many

pytestmark = pytest.mark.django_db

LIST = reverse("staff:awards_nomination_changelist")
INDEX = reverse("staff:index")
QUOTA = reverse("staff:awards_nomination_quota")
RAISE = reverse("staff:awards_nomination_quota_raise")
QUOTA_FULL = "湖南省2026年第2季度的推荐名额已用完（已推荐 10/10），不能再推荐。如确需增加名额，请联系国家广播电视总局。"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _by_testid(body: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:strong|span|li|p)>', body, re.S)
    return _text(match[1]) if match else ""


def test_the_eleventh_recommendation_is_refused_naming_the_quota(project):
    official = nrta_official()
    works = submitted_many(project, 11)
    for nomination in works[:10]:
        recommend(nomination, official)

    with pytest.raises(Refused) as refused:
        recommend(works[10], official)

    assert refused.value.message == QUOTA_FULL
    assert Nomination.objects.filter(state="recommended").count() == 10
    assert Nomination.objects.get(pk=works[10].pk).state == "pending"
    assert QuotaLedger.objects.values_list("used", "limit").get() == (10, 10)


def test_after_a_raise_to_12_exactly_12(project):
    official, ministry = nrta_official(), nrta_ministry()
    works = submitted_many(project, 14)
    for nomination in works[:10]:
        recommend(nomination, official)
    raise_quota(
        year=2026,
        quarter=2,
        province="430000",
        new_limit=12,
        reason="优秀作品集中",
        approved_by=ministry,
        actor=ministry,
    )

    outcomes = []
    for nomination in works[10:]:
        try:
            recommend(nomination, official)
            outcomes.append("recommended")
        except Refused as exc:
            outcomes.append(exc.message)

    assert outcomes[:2] == ["recommended", "recommended"]
    assert outcomes[2:] == [QUOTA_FULL.replace("10/10", "12/12")] * 2
    assert Nomination.objects.filter(state="recommended").count() == 12


def test_the_quota_is_per_province(project):
    hunan, beijing = nrta_official("430000"), nrta_official("110000")
    for nomination in submitted_many(project, 10):
        recommend(nomination, hunan)

    recommend(submitted(project, province="110000"), beijing)

    assert dict(QuotaLedger.objects.values_list("province", "used")) == {"430000": 10, "110000": 1}


def test_refusal_is_shown_on_the_detail_page_as_the_guard_words_it(client, project):
    official = nrta_official()
    works = submitted_many(project, 11)
    for nomination in works[:10]:
        recommend(nomination, official)
    client.force_login(official)

    response = client.post(reviewer_change_url(works[10]), {"transition": "recommend", "comment": "很好"})

    body = response.content.decode()
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [QUOTA_FULL]
    assert QUOTA_FULL in body
    assert "您无权执行此操作" not in body
    assert "很好" in body  # what was typed is kept
    assert Nomination.objects.get(pk=works[10].pk).state == "pending"
    # the other province's official does not even reach the guard
    client.force_login(nrta_official("110000"))
    assert client.post(reviewer_change_url(works[10]), {"transition": "recommend"}).status_code == 404


def test_queue_and_index_show_the_live_counter_and_the_countdown(client, project):
    official = nrta_official()
    works = submitted_many(project, 9)
    for nomination in works[:7]:
        recommend(nomination, official)
    client.force_login(official)

    queue = client.get(LIST).content.decode()
    index = client.get(INDEX).content.decode()

    assert _by_testid(queue, "quota-counter") == "已推荐 7/10"
    assert _by_testid(queue, "deadline-countdown") == "初审截止 2026-06-30 23:59，剩余 29 天"
    assert "待初审 2 件" in _text(queue)
    assert _by_testid(index, "quota-counter") == "2026年第2季度 已推荐 7/10"
    assert _by_testid(index, "deadline-countdown") == "初审截止 2026-06-30 23:59，剩余 29 天"
    # the ministry has the quota pages instead, another province its own counter
    client.force_login(nrta_ministry())
    ministry_index = client.get(INDEX).content.decode()
    assert 'data-testid="quota-counter"' not in ministry_index
    assert _by_testid(ministry_index, "quota-table-link") == "各省推荐名额使用情况"
    client.force_login(nrta_official("110000"))
    assert _by_testid(client.get(LIST).content.decode(), "quota-counter") == "已推荐 0/10"


def test_countdown_on_the_last_day_shows_hours(client, project, clock):
    from datetime import datetime

    from awards.calendar import BEIJING

    clock.move_to(datetime(2026, 6, 30, 20, 30, tzinfo=BEIJING))
    client.force_login(nrta_official())

    queue = client.get(LIST).content.decode()

    assert _by_testid(queue, "deadline-countdown") == "初审截止 2026-06-30 23:59，剩余 3 小时 30 分钟"


def test_ministry_sees_every_province_s_quota_for_a_chosen_quarter(client, project, django_assert_num_queries):
    official = nrta_official()
    for nomination in submitted_many(project, 3):
        recommend(nomination, official)
    submitted(project, province="110000")
    ProjectFactory(quarter=3)
    client.force_login(nrta_ministry())

    with django_assert_num_queries(7):
        response = client.get(QUOTA, {"quarter": "2026Q2"})
    other_quarter = _text(client.get(QUOTA, {"quarter": "2026Q3"}).content.decode())
    tampered = client.get(QUOTA, {"quarter": "2026Q9'"})  # not a quarter: the current one

    body = response.content.decode()
    table = dict(
        (code, _text(cells)) for code, cells in re.findall(r'<tr data-province="(\d{6})"[^>]*>(.*?)</tr>', body, re.S)
    )
    assert len(table) == 32
    assert table["430000"] == "湖南省 3/10 0 0 调整名额"
    assert table["110000"] == "北京市 0/10 1 0 调整名额"
    assert "2026年第2季度：全国已推荐 3 件，待初审 1 件。" in _text(body)
    assert "2026年第3季度：全国已推荐 0 件，待初审 0 件。" in other_quarter
    assert "湖南省 0/10" in other_quarter
    assert tampered.status_code == 200
    assert "2026年第2季度：全国已推荐 3 件，待初审 1 件。" in _text(tampered.content.decode())


def test_only_nrta_ministry_staff_open_the_quota_pages(client, project, member):
    codes = {}
    for who, user in (("ministry", nrta_ministry()), ("official", nrta_official()), ("applicant", member)):
        client.force_login(user)
        codes[who] = (client.get(QUOTA).status_code, client.get(RAISE).status_code)

    assert codes == {"ministry": (200, 200), "official": (403, 403), "applicant": (302, 302)}


def test_ministry_raises_a_province_s_quota_with_reason_and_approver(client, project):
    ministry, approver = nrta_ministry(full_name="王处长"), nrta_ministry(full_name="李司长")
    client.force_login(ministry)

    response = client.post(
        RAISE,
        {
            "quarter": "2026Q2",
            "province": "430000",
            "new_limit": "12",
            "reason": "本季度湖南省优秀作品集中",
            "approved_by": str(approver.pk),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{QUOTA}?quarter=2026Q2"
    item = QuotaRaise.objects.select_related("ledger").get()
    assert (item.ledger.province, item.ledger.limit, item.new_limit, item.reason) == (
        "430000",
        12,
        12,
        "本季度湖南省优秀作品集中",
    )
    assert (item.approved_by, item.created_by) == (approver, ministry)
    event = AuditEvent.objects.get(action="awards.quota_raised")
    assert (event.actor, event.target, event.detail["previous_limit"], event.detail["new_limit"]) == (
        ministry,
        "2026Q2:430000",
        10,
        12,
    )
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["已将湖南省2026年第2季度的推荐名额由 10 调整为 12。"]
    history = _text(re.search(r'data-testid="raise-history">(.*?)</table>', page.content.decode(), re.S)[1])
    assert "2026年第2季度 湖南省 10 → 12 本季度湖南省优秀作品集中 李司长 王处长" in history
    # and the Hunan official's counter follows
    client.force_login(nrta_official())
    assert "已推荐 0/12" in client.get(LIST).content.decode()


def test_an_official_cannot_raise_the_quota(client, project):
    official = nrta_official()
    client.force_login(official)

    response = client.post(
        RAISE,
        {"quarter": "2026Q2", "province": "430000", "new_limit": "30", "reason": "x", "approved_by": str(official.pk)},
    )

    assert response.status_code == 403
    assert QuotaRaise.objects.count() == 0
    with pytest.raises(Exception, match="只有国家广播电视总局工作人员可以调整推荐名额。"):
        raise_quota(
            year=2026, quarter=2, province="430000", new_limit=30, reason="x", approved_by=official, actor=official
        )
    # Ministry staff raise it with the same form.
    approver = nrta_ministry()
    client.force_login(approver)
    response = client.post(
        RAISE,
        {"quarter": "2026Q2", "province": "430000", "new_limit": "30", "reason": "x", "approved_by": str(approver.pk)},
    )
    assert response.status_code == 302
    assert QuotaRaise.objects.get().new_limit == 30


def test_bad_raise_input_is_explained_next_to_the_field_and_kept(client, project):
    ministry = nrta_ministry()
    official = nrta_official()
    for nomination in submitted_many(project, 4):
        recommend(nomination, official)
    client.force_login(ministry)

    missing = client.post(RAISE, {"quarter": "2026Q2", "province": "430000", "new_limit": "", "reason": "  "})
    too_low = client.post(
        RAISE,
        {
            "quarter": "2026Q2",
            "province": "430000",
            "new_limit": "3",
            "reason": "少推荐几件",
            "approved_by": str(ministry.pk),
        },
    )
    tampered = client.post(RAISE, {"quarter": "2026Q9", "province": "999999", "new_limit": "abc", "approved_by": "'"})

    errors = missing.context["form"].errors
    assert missing.status_code == 200
    assert (errors["new_limit"], errors["reason"], errors["approved_by"]) == (
        ["请填写调整后名额。"],
        ["请填写调整理由。"],
        ["请选择批准人。"],
    )
    assert 'data-testid="error-summary"' in missing.content.decode()
    body = too_low.content.decode()
    assert too_low.context["form"].errors == {"new_limit": ["调整后名额不能少于已推荐数量（4）。"]}
    assert "调整后名额不能少于已推荐数量（4）。" in body
    assert "少推荐几件" in body  # what was typed is kept
    assert "湖南省2026年第2季度当前：已推荐 4/10" in _text(body)
    assert tampered.status_code == 200
    assert sorted(tampered.context["form"].errors) == ["approved_by", "new_limit", "province", "quarter", "reason"]
    assert QuotaRaise.objects.count() == 0


def test_an_official_cannot_be_named_approver(client, project):
    official = nrta_official()
    client.force_login(nrta_ministry())

    response = client.post(
        RAISE,
        {
            "quarter": "2026Q2",
            "province": "430000",
            "new_limit": "12",
            "reason": "理由",
            "approved_by": str(official.pk),
        },
    )

    assert response.context["form"].errors == {"approved_by": ["请选择批准人。"]}
    assert QuotaRaise.objects.count() == 0
