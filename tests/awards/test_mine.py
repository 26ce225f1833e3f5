"""我的申报: the three tabs of the seed, buttons from the engine, constant queries."""

import pytest
from django.urls import reverse

from awards.enums import NominationState as S

from .factories import make_nomination, set_state

TAB_STATES = {
    "draft": [S.DRAFT, S.RETURNED],
    "pending": [S.PENDING, S.RECOMMENDED, S.IN_EXPERT_REVIEW],
    "reviewed": [S.NOT_RECOMMENDED, S.SELECTED, S.NOT_SELECTED, S.PUBLISHED],
}


def rows(response) -> list[str]:
    return [
        row.split("</td>")[0].split(">")[-1] for row in response.content.decode().split('data-testid="mine-row">')[1:]
    ]


def test_mine_tabs_hold_the_seed_states(member_client, member, other_member, project):
    for tab_states in TAB_STATES.values():
        for state in tab_states:
            nomination = make_nomination(member, project, name=f"作品-{state}")
            if state != S.DRAFT:
                set_state(nomination, state)
    make_nomination(other_member, project, name="别人的作品", bureau="110000")

    found = {tab: sorted(rows(member_client.get(reverse("awards:mine"), {"tab": tab}))) for tab in TAB_STATES}

    assert found == {tab: sorted(f"作品-{s}" for s in states) for tab, states in TAB_STATES.items()}
    page = member_client.get(reverse("awards:mine")).content.decode()
    assert "待提交 <span" in page and "待审核 <span" in page and "已审核 <span" in page


def test_mine_buttons_come_from_available_transitions(member_client, member, project):
    draft = make_nomination(member, project, name="草稿作品")
    returned = set_state(make_nomination(member, project, name="退回作品"), S.RETURNED)
    pending = make_nomination(member, project, name="待审作品", submit=True)

    to_submit = member_client.get(reverse("awards:mine")).content.decode()
    under_review = member_client.get(reverse("awards:mine"), {"tab": "pending"}).content.decode()

    for nomination in (draft, returned):
        assert reverse("awards:edit", args=[nomination.public_id]) in to_submit
        assert reverse("awards:act", args=[nomination.public_id, "submit"]) in to_submit
    assert reverse("awards:detail", args=[pending.public_id]) in under_review
    assert reverse("awards:edit", args=[pending.public_id]) not in under_review
    assert "/act/" not in under_review
    assert reverse("awards:delete", args=[draft.public_id]) in to_submit
    assert reverse("awards:delete", args=[returned.public_id]) not in to_submit  # it has a reference


def test_mine_default_tab_and_unknown_tab(member_client, member, project):
    make_nomination(member, project, name="草稿作品")

    assert rows(member_client.get(reverse("awards:mine"))) == ["草稿作品"]
    assert rows(member_client.get(reverse("awards:mine"), {"tab": "nonsense"})) == ["草稿作品"]


@pytest.mark.parametrize("count", [1, 20])
def test_mine_query_count_is_constant(client, member, project, django_assert_num_queries, count):
    for n in range(count):
        make_nomination(member, project, name=f"作品{n}")
    client.force_login(member)
    client.get(reverse("awards:mine"))  # warm the session

    # session, user, staff profile, organisation, count, page, tab counts, unread messages, session save (3)
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("awards:mine"))

    assert len(rows(response)) == count


@pytest.mark.parametrize("count", [1, 20])
def test_pending_tab_query_count_is_constant(client, member, project, django_assert_num_queries, count):
    for n in range(count):
        make_nomination(member, project, name=f"作品{n}", submit=True)
    client.force_login(member)
    client.get(reverse("awards:mine"), {"tab": "pending"})

    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("awards:mine"), {"tab": "pending"})

    assert len(rows(response)) == count


@pytest.mark.parametrize("count", [1, 20])
def test_projects_list_query_count_is_constant(client, member, django_assert_num_queries, count):
    # Projects of the kind open now: 1, or 20 (staff may extend older quarters' deadlines)
    from datetime import date

    from .factories import ProjectFactory

    ProjectFactory()
    for n in range(1, count):
        ProjectFactory(year=2000 + n, applicant_deadline=date(2026, 6, 15), provincial_deadline=date(2026, 6, 30))
    client.force_login(member)
    client.get(reverse("awards:projects"))

    with django_assert_num_queries(PROJECT_QUERIES):
        response = client.get(reverse("awards:projects"))

    assert response.content.decode().count('data-testid="project"') == count


QUERIES = 4  # session and unread count from the cache (issue 11)
PROJECT_QUERIES = 2
