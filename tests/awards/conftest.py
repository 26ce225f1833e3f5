from datetime import datetime

import pytest
import time_machine

from awards.calendar import BEIJING

from .factories import IndividualFactory, InstitutionFactory, PlatformFactory, ProjectFactory, applicant

# Inside 2026 Q2's applicant window (opens 03-16, deadline 06-15).
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def platform(db):
    return PlatformFactory(name="芒果TV")


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def individual_project(db):
    return ProjectFactory(kind="individual")


@pytest.fixture
def unit(db):
    return InstitutionFactory(name="湖南示例网络视听机构", province="430000")


@pytest.fixture
def member(unit):
    return applicant(unit)


@pytest.fixture
def other_unit(db):
    return InstitutionFactory(name="北京示例视听机构", province="110000")


@pytest.fixture
def other_member(other_unit):
    return applicant(other_unit)


@pytest.fixture
def person(db):
    return applicant(IndividualFactory(name="陈晓雨"))


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
