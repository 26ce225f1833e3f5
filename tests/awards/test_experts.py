"""The expert round, as the expert sees it: 评审任务, conflicts, the declaration, the score, what stays hidden."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from awards import selectors_experts as selectors
from awards.enums import NominationState
from awards.models import ConflictDeclaration, Score
from awards.services import experts as services

from .factories import applicant, nrta_ministry, nrta_official, set_state
from .factories_experts import assign, declare, in_review, mct_expert, move_to_quarter, nrta_expert, score

pytestmark = pytest.mark.django_db


def names(user):
    return [t.nomination.name for t in selectors.tasks_for(user)]


def test_expert_sees_only_works_in_expert_review_of_their_quarter():
    expert, other = nrta_expert(), nrta_expert()
    assign(expert)  # 2026 Q2
    assign(other, quarter=1)
    shown = in_review(name="评议中")
    in_review(name="已推荐", state=NominationState.RECOMMENDED)
    in_review(name="已入选", state=NominationState.SELECTED)
    move_to_quarter(in_review(name="第一季度作品"), 2026, 1)

    assert names(expert) == ["评议中"]
    assert names(other) == ["第一季度作品"]
    assert names(nrta_expert()) == []  # not assigned to any quarter
    assert selectors.task_for(expert, shown.public_id).nomination == shown


def test_automatic_conflicts_hide_the_work_and_block_scoring():
    expert = nrta_expert()
    assignment = assign(expert, organisation_name="芒果影业有限公司")
    own_unit = in_review(name="本单位申报")
    own_unit.organisation.name = "芒果影业有限公司"
    own_unit.organisation.save()
    produced = in_review(name="出品", producer="《芒果影业》有限公司")  # punctuation and spaces do not hide it
    made = in_review(name="制作", maker="芒果影业 有限公司")
    in_review(name="无关作品", producer="湖南示例网络视听机构", maker="湖南示例制作公司")
    declare(assignment, produced)  # even a declared "none" does not lift an automatic conflict

    assert names(expert) == ["无关作品"]
    for work in (own_unit, produced, made):
        with pytest.raises(services.ExpertError) as refused:
            services.save_score(expert, work, score=90, criteria=["thought"], comment="好")
        assert "存在利益冲突，不能评议" in refused.value.message
    assert Score.objects.count() == 0


def test_declared_conflict_removes_the_work(client):
    expert = nrta_expert()
    assign(expert)
    work = in_review(name="回避作品")
    client.force_login(expert)

    response = client.post(
        reverse("awards:expert_declare", args=[work.public_id]), {"declaration": "conflict", "note": "本人参与策划"}
    )

    declaration = ConflictDeclaration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:expert_tasks")
    assert (declaration.has_conflict, declaration.note, declaration.at is not None) == (True, "本人参与策划", True)
    assert names(expert) == []
    assert client.get(reverse("awards:expert_work", args=[work.public_id])).status_code == 404
    with pytest.raises(services.ExpertError) as refused:
        services.save_score(expert, work, score=80, criteria=["thought"], comment="好")
    assert refused.value.message == "您已声明与该作品存在利益冲突，不能评分。"
    assert AuditEvent.objects.filter(action="awards.expert_declared", target=work.reference).count() == 1


def test_conflict_declaration_needs_a_note_and_keeps_the_choice(client):
    expert = nrta_expert()
    assign(expert)
    work = in_review()
    client.force_login(expert)

    response = client.post(reverse("awards:expert_declare", args=[work.public_id]), {"declaration": "conflict"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("请说明利益冲突的情况。") == 2  # at the top and next to the field
    assert 'value="conflict" id="id_declaration_1" checked' in html
    assert ConflictDeclaration.objects.count() == 0


def test_cannot_score_before_declaring(client):
    expert = nrta_expert()
    assign(expert)
    work = in_review()
    client.force_login(expert)

    page = client.get(reverse("awards:expert_work", args=[work.public_id])).content.decode()
    response = client.post(
        reverse("awards:expert_score", args=[work.public_id]), {"score": "88", "criteria": ["thought"], "comment": "好"}
    )

    assert 'data-testid="score-form"' not in page
    assert "请先完成利益冲突声明，再为该作品评分。" in page
    assert "评分前请先声明您与该作品是否存在利益冲突。" in response.content.decode()
    assert Score.objects.count() == 0
    with pytest.raises(services.ExpertError) as refused:
        services.save_score(expert, work, score=88, criteria=["thought"], comment="好")
    assert (refused.value.message, refused.value.field) == ("评分前请先声明您与该作品是否存在利益冲突。", "declaration")


def test_declare_none_then_score_then_edit(client):
    expert = nrta_expert()
    assign(expert)
    work = in_review(name="山河新歌")
    client.force_login(expert)
    work_url = reverse("awards:expert_work", args=[work.public_id])

    client.post(reverse("awards:expert_declare", args=[work.public_id]), {"declaration": "none"})
    first = client.post(
        reverse("awards:expert_score", args=[work.public_id]),
        {"score": "86", "criteria": ["innovation", "thought"], "comment": "立意高远"},
    )
    client.post(
        reverse("awards:expert_score", args=[work.public_id]),
        {"score": "91", "criteria": ["history"], "comment": "改评"},
    )

    saved = Score.objects.get()
    assert first.status_code == 302 and first["Location"] == work_url
    assert (saved.score, saved.criteria, saved.comment) == (91, ["history"], "改评")
    assert ConflictDeclaration.objects.get().has_conflict is False
    assert list(AuditEvent.objects.filter(target=work.reference).values_list("action", flat=True).order_by("pk")) == [
        "awards.expert_declared",
        "awards.expert_scored",
        "awards.expert_score_changed",
    ]
    assert [t.status for t in selectors.tasks_for(expert)] == ["done"]


def test_second_declaration_is_refused():
    expert = nrta_expert()
    assign(expert)
    work = in_review()
    services.declare(expert, work, has_conflict=False)

    with pytest.raises(services.ExpertError) as refused:
        services.declare(expert, work, has_conflict=True, note="后来发现")

    assert refused.value.message == "您已对该作品作出利益冲突声明，不能重复声明。"
    assert ConflictDeclaration.objects.get().has_conflict is False


def test_bad_score_input_is_explained_and_kept(client):
    expert = nrta_expert()
    assignment = assign(expert)
    work = in_review()
    declare(assignment, work)
    client.force_login(expert)
    url = reverse("awards:expert_score", args=[work.public_id])

    too_high = client.post(url, {"score": "101", "criteria": ["thought"], "comment": "保留的评语"}).content.decode()
    words = client.post(url, {"score": "八十", "comment": ""}).content.decode()
    unknown = client.post(url, {"score": "80", "criteria": ["bogus"], "comment": "好"}).content.decode()

    assert too_high.count("评分须为 0 至 100 之间的整数。") == 2
    assert "保留的评语</textarea>" in too_high
    assert 'value="thought" id="id_criteria_0" checked' in too_high
    assert 'value="101"' in too_high
    assert words.count("请至少勾选一项该作品符合的推优标准。") == 2
    assert words.count("请填写评语。") == 2
    assert 'value="八十"' in words
    assert "请从列出的推优标准中勾选。" in unknown
    assert Score.objects.count() == 0


def test_score_rules_in_the_service():
    expert = nrta_expert()
    assignment = assign(expert)
    work = in_review()
    declare(assignment, work)

    for kwargs, message in (
        ({"score": 101, "criteria": ["thought"], "comment": "好"}, "评分须为 0 至 100 之间的整数。"),
        ({"score": True, "criteria": ["thought"], "comment": "好"}, "评分须为 0 至 100 之间的整数。"),
        ({"score": 80, "criteria": ["nope"], "comment": "好"}, "请至少勾选一项该作品符合的推优标准。"),
        ({"score": 80, "criteria": ["thought"], "comment": "  "}, "请填写评语。"),
    ):
        with pytest.raises(services.ExpertError) as refused:
            services.save_score(expert, work, **kwargs)
        assert refused.value.message == message
    saved = services.save_score(expert, work, score=0, criteria=["innovation", "thought"], comment="最低分")
    assert (saved.score, saved.criteria) == (0, ["thought", "innovation"])  # the notice's order


def test_others_scores_are_hidden_until_own_score_is_in(client):
    expert, peer = nrta_expert(), nrta_expert()
    mine, theirs = assign(expert), assign(peer, organisation_name="北京师范大学")
    work = in_review()
    score(theirs, work, 97, comment="其他专家的评语")
    declare(mine, work)
    client.force_login(expert)
    url = reverse("awards:expert_work", args=[work.public_id])

    before = client.get(url).content.decode()
    client.post(
        reverse("awards:expert_score", args=[work.public_id]),
        {"score": "70", "criteria": ["thought"], "comment": "我的评语"},
    )
    after = client.get(url).content.decode()
    listing = client.get(reverse("awards:expert_tasks")).content.decode()

    assert 'data-testid="peers-hidden"' in before
    assert 'data-testid="peers"' not in before
    for hidden in (">97<", "97.00", "其他专家的评语", "位专家评分"):
        assert hidden not in before
    assert "目前共 2 位专家评分，平均分 83.50。" in after
    for hidden in (">97<", "97.00", "其他专家的评语"):
        assert hidden not in after
    assert "共 2 位专家评分，平均 83.50" in listing


def test_cannot_score_a_work_no_longer_in_expert_review(client):
    expert = nrta_expert()
    assignment = assign(expert)
    work = in_review()
    declare(assignment, work)
    set_state(work, NominationState.SELECTED)
    client.force_login(expert)

    with pytest.raises(services.ExpertError) as refused:
        services.save_score(expert, work, score=80, criteria=["thought"], comment="好")
    response = client.post(
        reverse("awards:expert_score", args=[work.public_id]), {"score": "80", "criteria": ["thought"], "comment": "好"}
    )

    assert refused.value.message == "该作品不在专家评议阶段，不能评分。"
    assert response.status_code == 404
    assert Score.objects.count() == 0


def test_expert_pages_are_for_nrta_experts_only(client):
    expert = nrta_expert()
    assign(expert)
    work = in_review(name="山河新歌")
    member = applicant(work.organisation)
    outsiders = [member, mct_expert(), nrta_official("430000"), nrta_ministry()]
    for outsider in outsiders:
        assign(outsider) if outsider.staff_profile_or_none else None
    urls = [reverse("awards:expert_tasks"), reverse("awards:expert_work", args=[work.public_id])]

    client.force_login(expert)
    assert [client.get(u).status_code for u in urls] == [200, 200]
    assert "山河新歌" in client.get(urls[0]).content.decode()
    for outsider in outsiders:
        client.force_login(outsider)
        assert [client.get(u).status_code for u in urls] == [404, 404], outsider
        declared = client.post(reverse("awards:expert_declare", args=[work.public_id]), {"declaration": "none"})
        assert declared.status_code == 404
    client.logout()
    assert client.get(urls[0]).status_code == 302
    assert ConflictDeclaration.objects.count() == 0


def test_expert_pages_use_post_and_csrf(client):
    expert = nrta_expert()
    assign(expert)
    work = in_review()
    client.force_login(expert)
    assert client.get(reverse("awards:expert_declare", args=[work.public_id])).status_code == 405

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(expert)
    assert (
        strict.post(reverse("awards:expert_declare", args=[work.public_id]), {"declaration": "none"}).status_code == 403
    )
    assert ConflictDeclaration.objects.count() == 0


@pytest.mark.parametrize("works", [1, 6])
def test_task_list_queries_do_not_grow(client, django_assert_num_queries, works):
    expert, peer = nrta_expert(), nrta_expert()
    assignment, other = assign(expert), assign(peer, organisation_name="北京师范大学")
    for i in range(works):
        work = in_review()
        score(assignment, work, 80 + i)
        score(other, work, 70)
    in_review()  # one still to score
    client.force_login(expert)

    # session, user, staff profile; assignments, declarations, own scores, works, peers' count and mean;
    # the header's unread messages; the session's idle timestamp (savepoint, update, release)
    with django_assert_num_queries(6):
        response = client.get(reverse("awards:expert_tasks"))

    assert response.content.decode().count('data-testid="task-row"') == works + 1


def test_tasks_tabs_count_and_filter(client):
    expert = nrta_expert()
    assignment = assign(expert)
    done = in_review(name="已评作品")
    in_review(name="待评作品")
    score(assignment, done, 90)
    client.force_login(expert)

    todo = client.get(reverse("awards:expert_tasks") + "?status=todo").content.decode()
    scored = client.get(reverse("awards:expert_tasks") + "?status=done").content.decode()

    assert "待评作品" in todo and "已评作品" not in todo
    assert "已评作品" in scored and "待评作品" not in scored


def test_home_shows_the_expert_their_tasks(client):
    expert = nrta_expert()
    client.force_login(expert)
    home = client.get("/").content.decode()
    client.force_login(nrta_official("430000"))
    official_home = client.get("/").content.decode()

    assert 'data-testid="tile-expert"' in home
    assert reverse("awards:expert_tasks") in home
    assert 'data-testid="tile-expert"' not in official_home
