"""``make run``'s demo data (``manage.py demo`` → supervision/*/demo.py) lets officials supervise their area:
overdue 日常巡查 cases for 湖南 (seen by mct-hunan, not by mct-beijing) and a published 湖南 training notice
that the 湖南 demo unit sees on the home page and a Beijing unit does not."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Authority
from accounts.models import User
from supervision.inspections import demo as inspections_demo
from supervision.inspections.enums import CaseKind, CaseStatus
from supervision.inspections.models import InspectionCase
from supervision.notices import demo as notices_demo
from supervision.notices.enums import NoticeKind, NoticeState
from supervision.notices.models import Notice
from tests.factories import ApplicantFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
OVERDUE = "湘江夜话·线上曲艺专场"
UNAUTHORISED = "柏林爱乐线上音乐季（湖南转播）"


def _home_titles(client, user) -> list[str]:
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    block = page.split('id="home-notices"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<a class="text-truncate" href="[^"]+">\[[^\]]+\] ([^<]+)</a>', block)


def test_demo_has_overdue_cases_and_a_hunan_training_seen_by_a_hunan_unit(client):
    call_command("demo", stdout=io.StringIO())

    # 日常巡查: the demo unit's programme 40 days past its first session without a filing, open, in 湖南
    overdue = InspectionCase.objects.filter(kind=CaseKind.OVERDUE, province="430000")
    assert OVERDUE in set(overdue.values_list("programme_name", flat=True))
    case = overdue.get(programme_name=OVERDUE)
    assert case.status == CaseStatus.PENDING
    assert case.organisation.name == "湖南示例文化传媒有限公司"
    unauthorised = InspectionCase.objects.get(programme_name=UNAUTHORISED)
    assert (unauthorised.kind, unauthorised.province) == (CaseKind.UNAPPROVED, "430000")
    listing = reverse("staff:inspections_inspectioncase_changelist") + f"?kind={CaseKind.OVERDUE}"
    client.force_login(User.objects.get(username=inspections_demo.OFFICIAL))
    assert OVERDUE in client.get(listing).content.decode()
    client.force_login(User.objects.get(username="mct-beijing"))
    assert OVERDUE not in client.get(listing).content.decode()

    # 通知公告: a training for 湖南 (MCT), published today or before, open for sign-up
    training = Notice.objects.get(title=notices_demo.TRAINING_TITLE)
    assert (training.kind, training.state) == (NoticeKind.TRAINING, NoticeState.PUBLISHED)
    assert (training.authority, training.province) == (Authority.MCT, "430000")
    assert training.publish_date <= timezone.localdate() and training.signup_deadline > timezone.now()
    hunan_unit = User.objects.get(username=inspections_demo.DEMO_PHONE)
    assert hunan_unit.organisation.province == "430000"
    assert notices_demo.TRAINING_TITLE in _home_titles(client, hunan_unit)
    beijing_unit = ApplicantFactory(organisation=OrganisationFactory(name="北京演示文化公司", province="110000"))
    titles = _home_titles(client, beijing_unit)
    assert notices_demo.TRAINING_TITLE not in titles and notices_demo.POLICY_TITLE in titles
