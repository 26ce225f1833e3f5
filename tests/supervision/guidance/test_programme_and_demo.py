"""The optional programme link is the unit's own; the demo thread is there for both sides, once."""

import io

import pytest
from django.urls import reverse

from filings.enums import FilingState
from supervision.guidance import demo
from supervision.guidance.enums import Category, ThreadState
from supervision.guidance.models import Thread
from tests.factories import StaffFactory
from tests.filings.factories import make_filing

pytestmark = pytest.mark.django_db


def test_question_links_only_one_of_the_units_own_programmes(client, member, other_member):
    own = make_filing(by=member, state=FilingState.SUBMITTED, name="星辰线上音乐会")
    foreign = make_filing(by=other_member, state=FilingState.SUBMITTED, name="别家的节目")
    client.force_login(member)
    page = client.get(reverse("guidance:new")).content.decode()
    assert "星辰线上音乐会" in page and "别家的节目" not in page
    data = {"subject": "备案材料咨询", "category": Category.MATERIALS, "text": "需要哪些材料？"}
    response = client.post(reverse("guidance:new"), {**data, "filing": foreign.public_id})
    assert response.status_code == 400 and "请选择本单位的节目。" in response.content.decode()
    assert Thread.objects.count() == 0
    assert client.post(reverse("guidance:new"), {**data, "filing": own.public_id}).status_code == 302
    assert Thread.objects.get().filing == own


def test_demo_thread_answered_and_asked_back_once(member):
    member.username = demo.DEMO_PHONE
    member.save(update_fields=["username"])
    official = StaffFactory(username=demo.OFFICIAL)
    demo.populate(io.StringIO())
    demo.populate(io.StringIO())
    thread = Thread.objects.get()
    assert thread.state == ThreadState.AWAITING_APPLICANT
    assert [(m.kind, m.author_id) for m in thread.messages.all()] == [
        ("question", member.pk),
        ("answer", official.pk),
        ("ask_back", official.pk),
    ]


def test_nrta_institution_form_has_no_mct_programme_field(client, institution_member, member):
    make_filing(by=member, state=FilingState.SUBMITTED, name="星辰线上音乐会")
    client.force_login(institution_member)
    page = client.get(reverse("guidance:new")).content.decode()
    assert "咨询主题" in page and "相关节目" not in page and "星辰线上音乐会" not in page
    data = {"subject": "自审咨询", "category": Category.SELF_REVIEW, "text": "视听节目自审？"}
    assert client.post(reverse("guidance:new"), data).status_code == 302
    assert Thread.objects.get().authority == "nrta"
