from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import Authority, OrganisationKind, StaffLevel
from supervision.notices import services
from supervision.notices.enums import NoticeKind
from supervision.notices.models import Notice
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory


@pytest.fixture
def hunan_unit(db):
    return ApplicantFactory(organisation=OrganisationFactory(name="湖南星辰文化传媒有限公司", province="430000"))


@pytest.fixture
def hunan_unit2(db):
    return ApplicantFactory(organisation=OrganisationFactory(name="湖南另一家文化公司", province="430000"))


@pytest.fixture
def beijing_unit(db):
    return ApplicantFactory(organisation=OrganisationFactory(name="北京示例文化有限公司", province="110000"))


@pytest.fixture
def hunan_institution(db):
    org = OrganisationFactory(name="湖南示例网络视听机构", kind=OrganisationKind.INSTITUTION, province="430000")
    return ApplicantFactory(organisation=org, username="instnoti", phone=None)


@pytest.fixture
def hunan_official(db):
    return StaffFactory(full_name="湖南文旅审核员")


@pytest.fixture
def beijing_official(db):
    return StaffFactory(full_name="北京文旅审核员", profile__province="110000")


@pytest.fixture
def mct_ministry(db):
    return StaffFactory(full_name="文旅部工作人员", profile__level=StaffLevel.MINISTRY)


@pytest.fixture
def nrta_ministry(db):
    return StaffFactory(full_name="总局工作人员", profile__authority=Authority.NRTA, profile__level=StaffLevel.MINISTRY)


def make_notice(actor, publish=True, **fields):
    fields.setdefault("title", "通知")
    fields.setdefault("body", "正文")
    notice = services.save_notice(actor, Notice(**fields))
    return services.publish(actor, notice) if publish else notice


@pytest.fixture
def training(hunan_official):
    now = timezone.now()
    return make_notice(
        hunan_official,
        kind=NoticeKind.TRAINING,
        title="湖南省备案业务培训",
        authority=Authority.MCT,
        province="430000",
        starts_at=now + timedelta(days=7),
        place="长沙",
        capacity=5,
        signup_deadline=now + timedelta(days=5),
    )
