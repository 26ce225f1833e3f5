import pytest

from accounts.enums import Authority, StaffLevel
from review import outbox
from tests.factories import ApplicantFactory, StaffFactory


@pytest.fixture
def hunan_official(db):
    return StaffFactory(full_name="湘审核", profile__province="430000")


@pytest.fixture
def beijing_official(db):
    return StaffFactory(full_name="京审核", profile__province="110000")


@pytest.fixture
def ministry(db):
    return StaffFactory(full_name="部审核", profile__level=StaffLevel.MINISTRY)


@pytest.fixture
def nrta_ministry(db):
    return StaffFactory(profile__level=StaffLevel.MINISTRY, profile__authority=Authority.NRTA)


@pytest.fixture
def applicant(db):
    return ApplicantFactory()


def drain_outbox() -> int:
    """Dispatch until nothing is pending (handlers may queue further events)."""
    total = 0
    while True:
        done = outbox.dispatch_pending()
        total += done
        if not done:
            return total
