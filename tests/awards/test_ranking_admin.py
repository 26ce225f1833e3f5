"""The expert round on /staff/: 专家分配, the ranking page, 入选 / 未入选 through a confirmation page, 评分明细."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from awards.enums import NominationState
from awards.models import ExpertAssignment, Nomination
from review.models import ReviewRecord
from tests.factories import StaffFactory

from .factories import mct_ministry, nrta_ministry, nrta_official
from .factories_experts import assign, in_review, mct_expert, nrta_expert, score, scored_by_panel

pytestmark = pytest.mark.django_db

RANKING = reverse("staff:awards_ranking")
DECIDE = reverse("staff:awards_ranking_decide")
ASSIGNMENTS = reverse("staff:awards_expertassignment_changelist")
ADD = reverse("staff:awards_expertassignment_add")


def ranked_names(response) -> list[tuple[str, str]]:
    """(排名, 作品名称) of the ranking table's rows, as staff read them."""
    html = response.content.decode()
    rows = re.findall(r'<tr data-testid="ranking-row".*?</tr>', html, re.S)
    result = []
    for row in rows:
        position = re.sub(r"<[^>]+>", "", re.search(r'data-testid="position">(.*?)</td>', row)[1])
        name = re.search(r'title="评分明细">([^<]+)</a>', row)[1]
        result.append((position, name))
    return result


def state(work) -> str:
    return Nomination.objects.get(pk=work.pk).state


@pytest.fixture
def quarter_works():
    top, second, short = in_review(name="第一名"), in_review(name="第二名"), in_review(name="评分不足")
    panel = scored_by_panel(top, [95, 90, 92])
    scored_by_panel(second, [80, 85, 70], panel=panel)
    scored_by_panel(short, [99, 98], panel=panel)
    return {"top": top, "second": second, "short": short}


def test_ranking_page_is_for_nrta_ministry_staff_only(client, quarter_works):
    ministry = nrta_ministry()
    client.force_login(ministry)
    response = client.get(RANKING + "?quarter=2026Q2")

    assert response.status_code == 200
    assert ranked_names(response) == [("1", "第一名"), ("2", "第二名"), ("不排名", "评分不足")]
    html = response.content.decode()
    assert "评分专家不足 3 位的作品列在表末，不参加排名，也不能入选。" in html
    assert "中位数从高到低" in html and "申报编号按字母和数字顺序" in html
    for outsider in (nrta_official("430000"), mct_ministry(), nrta_expert(), mct_expert()):
        client.force_login(outsider)
        assert client.get(RANKING).status_code == 403, outsider
        assert (
            client.post(
                DECIDE,
                {
                    "quarter": "2026Q2",
                    "decision": "select",
                    "works": [quarter_works["top"].public_id],
                    "confirm": "yes",
                },
            ).status_code
            == 403
        )
        assert (
            client.get(reverse("staff:awards_ranking_scores", args=[quarter_works["top"].public_id])).status_code == 403
        )
    assert state(quarter_works["top"]) == NominationState.IN_EXPERT_REVIEW


def test_ranking_shows_the_statistics(client, quarter_works):
    client.force_login(nrta_ministry())
    html = client.get(RANKING + "?quarter=2026Q2").content.decode()
    first = re.search(r'<tr data-testid="ranking-row".*?</tr>', html, re.S)[0]

    cells = {
        key: re.search(rf'data-testid="{key}">([^<]+)<', first)[1]
        for key in ("count", "mean", "median", "trimmed", "sd")
    }
    assert cells == {"count": "3", "mean": "92.33", "median": "92.0", "trimmed": "—", "sd": "2.05"}
    assert (
        "2026年第2季度共 3 件作品：专家评议 3 件，入选 0 件，未入选 0 件；评分达到 3 位专家、参加排名的 2 件。" in html
    )


@pytest.mark.parametrize("works", [1, 12])
def test_ranking_query_count_does_not_grow(client, django_assert_num_queries, works):
    panel = []
    for i in range(works):
        panel = scored_by_panel(in_review(name=f"作品{i}"), [70 + i, 80, 90], panel=panel)
    client.force_login(nrta_ministry())

    # session, user, profile; default quarter skipped (given); quarters with projects, the quarter in review;
    # summary; the page of rows; the header's unread messages; the session's timestamp (3)
    with django_assert_num_queries(4):
        response = client.get(RANKING + "?quarter=2026Q2")

    assert len(ranked_names(response)) == works


def test_bulk_select_asks_for_confirmation_then_performs_each(client, quarter_works):
    top, second, short = quarter_works["top"], quarter_works["second"], quarter_works["short"]
    ministry = nrta_ministry()
    client.force_login(ministry)
    ticked = {"quarter": "2026Q2", "decision": "select", "works": [top.public_id, short.public_id]}

    confirm = client.post(DECIDE, ticked)

    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "确认后，以下 1 件作品将由“专家评议”改为“入选”：" in html
    rows = re.findall(r'<tr data-testid="decide-row".*?</tr>', html, re.S)
    assert [re.search(r"<td data-label=\"作品名称\">([^<]+)", r)[1] for r in rows] == ["评分不足", "第一名"]
    assert "只有 2 位专家评分，不足 3 位，不能入选。" in rows[0]
    assert "<strong>入选</strong>" in rows[1]
    assert "第二名" not in html
    assert [state(w) for w in (top, second, short)] == [NominationState.IN_EXPERT_REVIEW] * 3
    assert ReviewRecord.objects.filter(transition="select").count() == 0

    done = client.post(DECIDE, {**ticked, "confirm": "yes"}, follow=True)

    messages = [str(m) for m in done.context["messages"]]
    assert messages == [
        "已将 1 件作品标记为入选。",
        f"《评分不足》（{short.reference}）未能标记：该作品只有 2 位专家评分，不足 3 位，暂不能确定入选。",
    ]
    assert [state(w) for w in (top, second, short)] == [
        NominationState.SELECTED,
        NominationState.IN_EXPERT_REVIEW,
        NominationState.IN_EXPERT_REVIEW,
    ]
    record = ReviewRecord.objects.get(transition="select")
    assert (record.object_id, record.actor_id, record.to_state) == (top.pk, ministry.pk, "selected")
    assert AuditEvent.objects.filter(action="awards.ranking_decision", target=top.reference).count() == 1


def test_top_n_and_the_rest(client, quarter_works):
    top, second, short = quarter_works["top"], quarter_works["second"], quarter_works["short"]
    client.force_login(nrta_ministry())

    page = client.post(DECIDE, {"quarter": "2026Q2", "decision": "select", "scope": "top", "top": "5"})
    client.post(DECIDE, {"quarter": "2026Q2", "decision": "select", "scope": "top", "top": "1", "confirm": "yes"})
    rest = client.post(DECIDE, {"quarter": "2026Q2", "decision": "not_select", "scope": "rest"})
    client.post(DECIDE, {"quarter": "2026Q2", "decision": "not_select", "scope": "rest", "confirm": "yes"})

    # the first five ranked are the two works with the quorum
    assert "确认后，以下 2 件作品将由“专家评议”改为“入选”：" in page.content.decode()
    assert "确认后，以下 2 件作品将由“专家评议”改为“未入选”：" in rest.content.decode()
    assert [state(w) for w in (top, second, short)] == [
        NominationState.SELECTED,
        NominationState.NOT_SELECTED,
        NominationState.NOT_SELECTED,
    ]


def test_nothing_ticked_or_bad_values_go_back_with_a_message(client, quarter_works):
    client.force_login(nrta_ministry())

    for data in (
        {"quarter": "2026Q2", "decision": "select"},
        {"quarter": "2026Q2", "decision": "select", "works": ["x" * 40, "\x00"]},
        {"quarter": "2026Q2", "decision": "select", "scope": "top", "top": "abc"},
        {"quarter": "2026Q2", "decision": "publish", "works": [quarter_works["top"].public_id]},
        {"quarter": "bogus", "decision": "select", "works": [quarter_works["top"].public_id], "confirm": "yes"},
    ):
        response = client.post(DECIDE, data, follow=True)
        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]][-1] in (
            "请至少勾选一件作品（或填写有效的名次）。",
            "请选择入选或未入选。",
            "请选择季度。",
        )
    assert state(quarter_works["top"]) == NominationState.IN_EXPERT_REVIEW


def test_scores_detail_lists_each_expert_and_is_audited(client, quarter_works):
    top = quarter_works["top"]
    recused = assign(nrta_expert(full_name="王回避"), organisation_name="某大学")
    from .factories_experts import declare

    declare(recused, top, conflict=True, note="曾参与该片策划")
    client.force_login(nrta_ministry())

    response = client.get(reverse("staff:awards_ranking_scores", args=[top.public_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="score-row"') == 3
    assert "王回避（某大学）：曾参与该片策划" in html
    assert AuditEvent.objects.filter(action="awards.scores_viewed", target=top.reference).count() == 1
    recommended = in_review(state=NominationState.RECOMMENDED)
    assert client.get(reverse("staff:awards_ranking_scores", args=[recommended.public_id])).status_code == 404


def test_ministry_assigns_an_expert_and_others_cannot(client):
    expert = nrta_expert(full_name="李专家")
    ministry = nrta_ministry()
    client.force_login(ministry)

    bad = client.post(ADD, {"year": "2026", "quarter": "2", "expert": str(mct_expert().pk), "organisation_name": ""})
    added = client.post(
        ADD, {"year": "2026", "quarter": "2", "expert": str(expert.pk), "organisation_name": " 中国传媒大学 "}
    )
    again = client.post(
        ADD, {"year": "2026", "quarter": "2", "expert": str(expert.pk), "organisation_name": "别的单位"}
    )

    assignment = ExpertAssignment.objects.get()
    assert bad.status_code == 200
    assert "请填写专家所在单位（用于自动识别利益冲突）。" in bad.content.decode()
    assert "选择一个有效的选项" in bad.content.decode() or "有效" in bad.content.decode()
    assert added.status_code == 302
    assert (assignment.expert, assignment.organisation_name, assignment.assigned_by) == (
        expert,
        "中国传媒大学",
        ministry,
    )
    assert "该专家已分配到2026年第2季度。" in again.content.decode()
    assert AuditEvent.objects.filter(action="awards.expert_assigned", target="2026Q2").count() == 1
    listing = client.get(ASSIGNMENTS).content.decode()
    assert "李专家" in listing and "中国传媒大学" in listing
    for outsider in (
        nrta_official("430000"),
        mct_ministry(),
        expert,
        StaffFactory(profile__authority="mct", profile__level="province"),
    ):
        client.force_login(outsider)
        assert client.get(ASSIGNMENTS).status_code == 403, outsider
        assert (
            client.post(
                ADD, {"year": "2026", "quarter": "3", "expert": str(expert.pk), "organisation_name": "x"}
            ).status_code
            == 403
        )
    assert ExpertAssignment.objects.count() == 1


def test_an_assignment_with_scores_cannot_be_deleted(client, quarter_works):
    used = ExpertAssignment.objects.first()
    unused = assign(nrta_expert())
    client.force_login(nrta_ministry())

    refused = client.post(reverse("staff:awards_expertassignment_delete", args=[used.pk]), {"post": "yes"})
    deleted = client.post(reverse("staff:awards_expertassignment_delete", args=[unused.pk]), {"post": "yes"})

    assert refused.status_code == 403
    assert deleted.status_code == 302
    assert list(ExpertAssignment.objects.filter(pk__in=[used.pk, unused.pk]).values_list("pk", flat=True)) == [used.pk]


def test_assignment_list_query_count_does_not_grow(client, django_assert_num_queries):
    work = in_review()
    for _ in range(5):
        score(assign(nrta_expert()), work, 80)
    client.force_login(nrta_ministry())
    with django_assert_num_queries(5):
        first = client.get(ASSIGNMENTS)
    for _ in range(10):
        assign(nrta_expert())
    with django_assert_num_queries(5):
        second = client.get(ASSIGNMENTS)
    assert (first.status_code, second.status_code) == (200, 200)


def test_staff_index_shows_the_expert_round_to_ministry_staff_only(client, quarter_works):
    client.force_login(nrta_ministry())
    ministry = client.get(reverse("staff:index")).content.decode()
    client.force_login(nrta_official("430000"))
    official = client.get(reverse("staff:index")).content.decode()

    assert "专家评议排名（2026年第2季度）" in ministry
    assert (
        f'href="{RANKING}?queue=in_expert_review" data-queue="in_expert_review"><strong>3</strong>专家评议' in ministry
    )
    assert "评分达到 3 位专家、参加排名的 2 件" in ministry
    assert "专家评议排名" not in official
