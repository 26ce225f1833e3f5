"""Factories of the publication tests: decided works of a quarter and its 公示.

Works are made directly in the state under test (入选, 未入选, 专家评议 …), with a
reference number and decision time as the workflow would have left them; the
quarter is 2026 Q1, decided in spring, its 公示 in June (the awards clock stands
at 2026-06-01 10:00 Beijing time).
"""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from awards.enums import NominationState, ProjectKind, WorkType
from awards.models import Nomination, Publicity
from awards.names import normalise_name
from tests.awards.factories import IndividualFactory, InstitutionFactory, PlatformFactory, ProjectFactory

YEAR, QUARTER = 2026, 1
TODAY = date(2026, 6, 1)  # the awards clock (tests/awards/conftest.py)


class WorkFactory(factory.django.DjangoModelFactory):
    """A nomination of 2026 Q1 that went through the chain (default: 入选, recommended by 湖南)."""

    class Meta:
        model = Nomination

    class Params:
        individual = factory.Trait(
            kind=ProjectKind.INDIVIDUAL,
            organisation=factory.SubFactory(IndividualFactory),
        )

    kind = ProjectKind.INSTITUTION
    project = factory.LazyAttribute(lambda o: ProjectFactory(year=YEAR, quarter=QUARTER, kind=o.kind))
    year = YEAR
    quarter = QUARTER
    organisation = factory.SubFactory(InstitutionFactory)
    state = NominationState.SELECTED
    bureau = "430000"
    province = factory.LazyAttribute(lambda o: "" if o.bureau == "000000" else o.bureau)
    name = factory.Sequence(lambda n: f"入选作品{n:03d}")
    normalised_name = factory.LazyAttribute(lambda o: normalise_name(o.name))
    work_type = WorkType.DOCUMENTARY
    episodes = 6
    episode_minutes = 45
    total_minutes = 270
    first_broadcast = date(2026, 1, 10)
    broadcast_end = date(2026, 2, 10)
    platform = factory.LazyFunction(lambda: PlatformFactory(name="芒果TV"))
    copyright_owner = factory.LazyAttribute(lambda o: o.organisation.name)
    producer = factory.LazyAttribute(lambda o: o.organisation.name)
    maker = "湖南示例制作公司"
    ref_seq = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda o: f"TY-X-{YEAR}Q{QUARTER}-{o.ref_seq:04d}")
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=90))
    decided_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))


class PublicityFactory(factory.django.DjangoModelFactory):
    """The 2026 Q1 公示, open today for five days (2026-06-01 … 06-06)."""

    class Meta:
        model = Publicity

    year = YEAR
    quarter = QUARTER
    starts_on = TODAY
    ends_on = TODAY + timedelta(days=5)


def objection_data(subject, **overrides) -> dict:
    """A complete, valid objection form post about the work ``subject``."""
    data = {
        "work": subject.public_id,
        "contact_name": "王建国",
        "contact_phone": "13812345678",
        "contact_email": "",
        "reason": "该作品的首播日期与平台记录不一致。",
        "captcha_0": "k",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def page_text(response) -> str:
    """The visible text of a page, whitespace collapsed (what a reader sees)."""
    import re

    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
