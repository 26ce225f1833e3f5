import pytest

from filings.enums import FilingKind, FilingState

from .factories import EnterpriseFactory, applicant, make_filing, ministry, official


@pytest.fixture
def unit(db):
    return EnterpriseFactory(name="湖南示例文化传媒有限公司")


@pytest.fixture
def member(unit):
    return applicant(unit)


@pytest.fixture
def other_unit(db):
    return EnterpriseFactory(name="另一家文化公司")


@pytest.fixture
def other_member(other_unit):
    return applicant(other_unit)


@pytest.fixture
def hunan_official(db):
    return official("430000", full_name="湖南审核员")


@pytest.fixture
def beijing_official(db):
    return official("110000", full_name="北京审核员")


@pytest.fixture
def ministry_staff(db):
    return ministry(full_name="部级工作人员")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def draft(unit, member):
    return make_filing(organisation=unit, by=member, state=FilingState.DRAFT)


@pytest.fixture
def empty_draft(unit, member):
    return make_filing(organisation=unit, by=member, state=FilingState.DRAFT, complete=False)


@pytest.fixture
def approved(unit, member):
    return make_filing(organisation=unit, by=member, state=FilingState.APPROVED)


@pytest.fixture
def import_draft(unit, member):
    return make_filing(organisation=unit, by=member, kind=FilingKind.IMPORT)
