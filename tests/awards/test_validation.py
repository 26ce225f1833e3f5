"""The rules of 申报 (SPEC §D2), each at its edges, through services.nominations.submit."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from awards.bureaus import NRTA_BUREAU
from awards.calendar import BEIJING
from awards.enums import NominationState
from awards.models import Nomination
from awards.names import normalise_name
from awards.services import nominations as services
from awards.services.errors import AwardError, Incomplete
from awards.services.validation import tolerance_minutes

from .factories import InstitutionFactory, PlatformFactory, applicant, make_nomination


def problems_of(nomination, user):
    with pytest.raises(Incomplete) as excinfo:
        services.submit(user, nomination)
    return {(p.field, p.message) for p in excinfo.value.problems}


def fields_of(nomination, user):
    return {field for field, _message in problems_of(nomination, user)}


def test_submit_complete_nomination_goes_to_pending_with_reference(member, project):
    nomination = make_nomination(member, project, submit=True)

    assert (nomination.state, nomination.reference, nomination.province) == (
        NominationState.PENDING,
        "TY-湘-2026Q2-0001",
        "430000",
    )
    assert nomination.submitted_at is not None


def test_submit_every_field_required(member, project):
    nomination = services.save_draft(member, values={"name": "只有名字"}, project=project)

    assert fields_of(nomination, member) == {
        "bureau",
        "work_type",
        "episodes",
        "episode_minutes",
        "total_minutes",
        "first_broadcast",
        "broadcast_end",
        "platform",
        "copyright_owner",
        "producer",
        "maker",
        "pledge",
    }
    assert Nomination.objects.get(pk=nomination.pk).state == NominationState.DRAFT


def test_submit_pledge_required(member, project):
    nomination = make_nomination(member, project, pledge=False)

    assert problems_of(nomination, member) == {("pledge", "请上传签字盖章后的版权承诺书（PDF）。")}


def test_submit_deadline_235959_accepted(member, project, clock):
    nomination = make_nomination(member, project)
    clock.move_to(datetime(2026, 6, 15, 23, 59, 59, tzinfo=BEIJING))

    assert services.submit(member, nomination).state == NominationState.PENDING


def test_submit_next_day_000000_refused(member, project, clock):
    nomination = make_nomination(member, project)
    clock.move_to(datetime(2026, 6, 16, 0, 0, 0, tzinfo=BEIJING))

    assert problems_of(nomination, member) == {("", "该项目的申报截止日期（2026-06-15 23:59:59）已过，不能再申报。")}
    assert Nomination.objects.get(pk=nomination.pk).state == NominationState.DRAFT


def test_submit_before_the_project_opens_refused(member, project, clock):
    nomination = make_nomination(member, project)
    clock.move_to(datetime(2026, 3, 15, 23, 59, 59, tzinfo=BEIJING))

    assert fields_of(nomination, member) == {""}


@pytest.mark.parametrize(
    ("first", "end", "fields"),
    [
        (date(2026, 3, 1), date(2026, 5, 31), set()),  # the whole window, both ends included
        (date(2026, 2, 28), date(2026, 3, 10), {"first_broadcast"}),  # first broadcast one day before
        (date(2026, 5, 1), date(2026, 6, 1), {"broadcast_end"}),  # ends one day after the window
        (date(2026, 5, 10), date(2026, 5, 9), {"broadcast_end"}),  # end before the first broadcast
    ],
)
def test_submit_broadcast_inside_the_window(member, project, first, end, fields):
    nomination = make_nomination(member, project, first_broadcast=first, broadcast_end=end)

    if fields:
        assert fields_of(nomination, member) == fields
    else:
        assert services.submit(member, nomination).state == NominationState.PENDING


def test_submit_broadcast_end_after_window_message(member, project):
    nomination = make_nomination(member, project, first_broadcast=date(2026, 5, 1), broadcast_end=date(2026, 6, 1))

    assert problems_of(nomination, member) == {
        ("broadcast_end", "参评作品须在推荐季度时间范围内播出完毕（2026-03-01 至 2026-05-31）。")
    }


@pytest.mark.parametrize(
    ("episodes", "each", "total", "ok"),
    [
        (6, "45", "270", True),
        (6, "45", "297", True),  # +10 % (27 minutes) allowed
        (6, "45", "297.1", False),  # just beyond
        (6, "45", "243", True),  # −10 %
        (6, "45", "242.9", False),
        (10, "2", "25", True),  # short works: ±5 minutes (more than 10 % of 20)
        (10, "2", "25.1", False),
    ],
)
def test_submit_total_duration_tolerance(member, project, episodes, each, total, ok):
    nomination = make_nomination(
        member, project, episodes=episodes, episode_minutes=Decimal(each), total_minutes=Decimal(total)
    )

    if ok:
        assert services.submit(member, nomination).state == NominationState.PENDING
    else:
        assert fields_of(nomination, member) == {"total_minutes"}


def test_tolerance_is_ten_percent_or_five_minutes():
    assert (tolerance_minutes(Decimal("270")), tolerance_minutes(Decimal("20"))) == (Decimal("27.0"), Decimal("5"))


def test_submit_non_central_unit_choosing_nrta_refused(member, project):
    nomination = make_nomination(member, project, bureau=NRTA_BUREAU)

    assert problems_of(nomination, member) == {
        (
            "bureau",
            "只有中央直属单位可以选择国家广播电视总局作为申报台局，请选择本单位所在地的省级广播电视局。",
        )
    }


def test_submit_central_unit_to_nrta_skips_provincial_review(project):
    central = applicant(InstitutionFactory(name="中央示例视听机构", province="110000", is_central=True))
    nomination = make_nomination(central, project, bureau=NRTA_BUREAU, submit=True)

    assert (nomination.state, nomination.province, nomination.reference) == (
        NominationState.RECOMMENDED,
        "",
        "TY-总局-2026Q2-0001",
    )
    assert nomination.decided_at is not None


def test_submit_inactive_platform_refused(member, project):
    platform = PlatformFactory(name="已停用平台", status="inactive")
    nomination = make_nomination(member, project, platform=platform)

    assert fields_of(nomination, member) == {"platform"}


def test_submit_same_work_in_another_province_refused(member, other_member, project, platform):
    make_nomination(member, project, name="《山河·新歌》", platform=platform, submit=True)
    # Beijing's unit, another bureau, the same work typed differently (full-width, spaces, punctuation)
    again = make_nomination(other_member, project, name="山河 新歌！", platform=platform, bureau="110000")

    assert problems_of(again, other_member) == {
        (
            "name",
            "该作品（作品名称、首播日期、播出平台相同）本季度已有其他单位申报，同一作品每季度只能申报一次。"
            "如有疑问请联系申报台局。",
        )
    }


def test_submit_same_work_twice_by_one_unit_names_its_reference(member, project, platform):
    first = make_nomination(member, project, platform=platform, submit=True)
    again = make_nomination(member, project, platform=platform)

    assert problems_of(again, member) == {
        ("name", f"本单位已于本季度申报过该作品（申报编号 {first.reference}），同一作品每季度只能申报一次。")
    }


def test_submit_same_work_next_quarter_is_another_nomination(member, project, platform):
    from .factories import ProjectFactory

    make_nomination(member, project, platform=platform, submit=True)
    later = ProjectFactory(year=2026, quarter=3)
    with time_machine.travel(datetime(2026, 9, 1, 10, 0, tzinfo=BEIJING), tick=False):
        nomination = make_nomination(member, later, platform=platform, submit=True)

    assert nomination.state == NominationState.PENDING


def test_submit_similar_name_other_date_is_flagged_not_refused(member, other_member, project, platform):
    first = make_nomination(member, project, platform=platform, submit=True)
    other = make_nomination(
        other_member,
        project,
        name="ＳＨＡＮＨＥ 山河新歌",
        platform=platform,
        bureau="110000",
        first_broadcast=first.first_broadcast + timedelta(days=1),
    )
    assert other.normalised_name != first.normalised_name  # a different name: not similar

    similar = make_nomination(
        other_member,
        project,
        name="山河新歌",
        platform=platform,
        bureau="110000",
        first_broadcast=first.first_broadcast + timedelta(days=1),
        submit=True,
    )

    assert similar.state == NominationState.PENDING
    assert similar.similar_flag == (
        f"相似作品：{first.reference}《山河新歌》（湖南示例网络视听机构，湖南省广播电视局，"
        f"首播 {first.first_broadcast:%Y-%m-%d}，芒果TV）"
    )


def test_duplicate_constraint_backs_the_rule(member, other_member, project, platform):
    """Two 申报 of one work racing past the check: the database's unique constraint refuses the second."""
    from django.db import IntegrityError, transaction

    first = make_nomination(member, project, platform=platform, submit=True)
    second = make_nomination(other_member, project, platform=platform, bureau="110000")
    second.state, second.submitted_at, second.ref_seq = NominationState.PENDING, first.submitted_at, 99
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save(update_fields=["state", "submitted_at", "ref_seq"])


def test_normalise_name():
    assert normalise_name("《山河·新歌》") == normalise_name("山河 新歌！") == "山河新歌"
    assert normalise_name("ＡＢＣ　Ｄ") == normalise_name("abc-d") == "abcd"


def test_submit_by_another_unit_refused(member, other_member, project):
    nomination = make_nomination(member, project)

    with pytest.raises(AwardError, match="您无权申报该作品。"):
        services.submit(other_member, nomination)
    assert Nomination.objects.get(pk=nomination.pk).state == NominationState.DRAFT


def test_submit_twice_refused(member, project):
    nomination = make_nomination(member, project, submit=True)

    with pytest.raises(AwardError, match="申报后不能修改。"):
        services.submit(member, nomination)


def test_save_draft_keeps_partial_data_without_rules(member, project):
    nomination = services.save_draft(
        member, values={"name": "半成品", "first_broadcast": date(2020, 1, 1)}, project=project
    )

    assert (nomination.state, nomination.name, nomination.normalised_name, nomination.first_broadcast) == (
        NominationState.DRAFT,
        "半成品",
        "半成品",
        date(2020, 1, 1),
    )


def test_save_draft_individual_cannot_use_institution_project(person, project):
    with pytest.raises(AwardError, match="您无权申报该项目。"):
        services.save_draft(person, values={"name": "x"}, project=project)
