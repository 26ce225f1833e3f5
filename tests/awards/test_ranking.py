"""The ranking of a quarter: statistics computed by the database, the quorum, the tie-break chain."""

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from awards.enums import NominationState
from awards.models import Nomination
from awards.services import ranking

from .factories import QUARTER, YEAR
from .factories_experts import in_review, move_to_quarter, scored_by_panel

pytestmark = pytest.mark.django_db


def stats(**kwargs):
    return {
        n.name: (
            n.score_count,
            None if n.score_mean is None else round(n.score_mean, 4),
            n.score_median,
            None if n.score_sd is None else round(n.score_sd, 4),
            None if n.score_trimmed is None else round(n.score_trimmed, 4),
            n.is_ranked,
        )
        for n in ranking.ranking(YEAR, QUARTER, **kwargs)
    }


def order(**kwargs):
    return [(n.name, n.position if n.is_ranked else None) for n in ranking.ranking(YEAR, QUARTER, **kwargs)]


def test_statistics_on_known_scores():
    odd, even, five, two, none = (in_review(name=name) for name in ("三位", "四位", "五位", "两位", "无评分"))
    panel = scored_by_panel(five, [50, 100, 70, 60, 80])
    scored_by_panel(odd, [70, 90, 80], panel=panel)
    scored_by_panel(even, [90, 60, 80, 70], panel=panel)
    scored_by_panel(two, [90, 95], panel=panel)

    assert stats() == {
        # count, mean, median, 分歧度 (population standard deviation), trimmed mean, ranked
        "三位": (3, 80.0, 80.0, round(math.sqrt(200 / 3), 4), None, 1),
        "四位": (4, 75.0, 75.0, round(math.sqrt(125), 4), None, 1),
        "五位": (5, 72.0, 70.0, round(math.sqrt(296), 4), 70.0, 1),
        "两位": (2, 92.5, 92.5, 2.5, None, 0),
        "无评分": (0, None, None, None, None, 0),
    }
    # ranked by trimmed mean (五位 70) or mean: 三位 80, 四位 75, 五位 70; the rest unranked
    assert order() == [("三位", 1), ("四位", 2), ("五位", 3), ("两位", None), ("无评分", None)]


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_up():
    six = in_review(name="六位")
    scored_by_panel(six, [100, 100, 40, 40, 70, 80])

    assert stats()["六位"][4] == 72.5  # (100 + 40 + 70 + 80) / 4
    assert stats()["六位"][2] == 75.0  # even count: mean of the middle two (70, 80)


def test_quorum_is_a_setting(settings):
    two = in_review(name="两位")
    scored_by_panel(two, [90, 95])

    assert order() == [("两位", None)]
    settings.AWARDS_SCORE_QUORUM = 2
    assert order() == [("两位", 1)]


def test_only_the_quarters_works_in_the_expert_round_and_after():
    shown = {
        state: in_review(name=label, state=state)
        for state, label in (
            (NominationState.IN_EXPERT_REVIEW, "评议中"),
            (NominationState.SELECTED, "入选"),
            (NominationState.NOT_SELECTED, "未入选"),
            (NominationState.RECOMMENDED, "已推荐"),
            (NominationState.PUBLISHED, "已公布"),
        )
    }
    move_to_quarter(in_review(name="第一季度"), 2026, 1)
    individual = in_review(name="个人类作品")
    Nomination.objects.filter(pk=individual.pk).update(kind="individual")

    assert sorted(stats()) == sorted(["评议中", "入选", "未入选", "个人类作品"])
    assert sorted(stats(kind="institution")) == sorted(["评议中", "入选", "未入选"])
    assert sorted(stats(kind="individual")) == ["个人类作品"]
    assert len(shown) == 5


def test_ties_are_broken_by_the_documented_chain():
    now = timezone.now()
    works = {}
    for name, scores, submitted, reference in (
        ("同分低分歧", [80, 80, 80], now, "TY-湘-2026Q2-0002"),
        ("同分高分歧", [70, 80, 90], now, "TY-湘-2026Q2-0010"),
        ("中位数高", [60, 90, 90], now, "TY-湘-2026Q2-0011"),
        ("人数多", [80, 80, 80, 80], now, "TY-湘-2026Q2-0012"),
        ("编号靠后", [80, 80, 80], now, "TY-湘-2026Q2-0003"),
        ("申报晚", [80, 80, 80], now + timedelta(hours=1), "TY-湘-2026Q2-0001"),
    ):
        work = in_review(name=name)
        Nomination.objects.filter(pk=work.pk).update(submitted_at=submitted, reference=reference)
        works[name] = work
    panel = []
    for name, work in works.items():
        panel = scored_by_panel(
            work,
            {
                "同分低分歧": [80, 80, 80],
                "同分高分歧": [70, 80, 90],
                "中位数高": [60, 90, 90],
                "人数多": [80, 80, 80, 80],
                "编号靠后": [80, 80, 80],
                "申报晚": [80, 80, 80],
            }[name],
            panel=panel,
        )

    expected = [
        ("中位数高", 1),  # mean 80 for all; the highest median first
        ("人数多", 2),  # same median and 分歧度 0: more scores first
        ("同分低分歧", 3),  # then earlier 申报时间, then the 申报编号
        ("编号靠后", 4),
        ("申报晚", 5),
        ("同分高分歧", 6),  # the same mean and median but a higher 分歧度
    ]
    assert order() == expected
    assert order() == expected  # deterministic
    assert [str(rule) for rule in ranking.TIE_BREAK_CHAIN][1:] == [
        "中位数从高到低",
        "分歧度（评分的总体标准差）从低到高",
        "评分专家人数从多到少",
        "申报时间从早到晚",
        "申报编号按字母和数字顺序",
    ]


def test_summary_counts_states_and_quorum():
    ranked = in_review(name="达到")
    scored_by_panel(ranked, [80, 81, 82])
    in_review(name="入选", state=NominationState.SELECTED)
    in_review(name="未入选", state=NominationState.NOT_SELECTED)
    in_review(name="未达到")

    assert ranking.ranking_summary(YEAR, QUARTER) == ranking.RankingSummary(
        total=4, in_review=2, selected=1, not_selected=1, ranked=1
    )


def test_plan_lists_what_will_change_and_why_not():
    ready, short = in_review(name="可入选"), in_review(name="评分不足")
    done = in_review(name="已入选", state=NominationState.SELECTED)
    scored_by_panel(ready, [90, 91, 92])
    scored_by_panel(short, [99])

    planned = ranking.plan_decisions(
        YEAR, QUARTER, [ready.public_id, short.public_id, done.public_id, "bogus"], "select"
    )

    assert [(p.nomination.name, p.will_change, p.problem) for p in planned] == [
        ("评分不足", False, "只有 1 位专家评分，不足 3 位，不能入选。"),
        ("可入选", True, ""),
        ("已入选", False, "当前状态为“入选”，不会改变。"),
    ]
    assert ranking.plan_decisions(YEAR, QUARTER, [short.public_id], "not_select")[0].will_change is True
