"""No input a browser can send makes a publication page answer 500."""

from __future__ import annotations

import pytest
from django.test import Client

from awards.models import Objection
from tests.awards.factories import nrta_ministry
from tests.awards.factories_publication import PublicityFactory, WorkFactory, objection_data

pytestmark = pytest.mark.django_db

ODD = ["", " ", "0", "-1", "99999999999999999999", "1e9", "x" * 5000, "<script>", "'; drop table x;--", "١٢٣", "\u202e"]


@pytest.fixture
def publicity():
    WorkFactory(name="山河新歌")
    return PublicityFactory()


def test_public_pages_answer_odd_input_without_500(client, publicity):
    work = WorkFactory(name="洞庭之歌")
    for value in ODD:
        for field in ("work", "contact_name", "contact_phone", "contact_email", "reason", "captcha_0", "captcha_1"):
            response = client.post("/awards/publicity/2026/1/", objection_data(work, **{field: value}))
            assert response.status_code in (200, 302, 429), (field, value, response.status_code)
    for url in (
        "/awards/publicity/0/0/",
        "/awards/publicity/2026/99999999999999999999/",
        "/awards/results/99999999999999999999/1/",
        "/awards/results/2026/1/pdf/",
        "/awards/results/2026/1/xlsx/",
    ):
        assert client.get(url).status_code == 404
    assert client.put("/awards/publicity/2026/1/").status_code == 405
    assert Objection.objects.count() <= 10  # the per-IP limit held (default 10 an hour)


def test_staff_pages_answer_odd_input_without_500(publicity):
    staff = Client()
    staff.force_login(nrta_ministry())
    base = f"/staff/awards/publicity/{publicity.public_id}"
    for value in ODD[:6]:
        data = {"year": value, "quarter": value, "starts_on": value, "ends_on": value, "confirm": "yes"}
        assert staff.post("/staff/awards/publicity/add/", data).status_code == 200
        assert staff.post(f"{base}/objections/nope/", {"decision": value, "note": value}).status_code == 404
    assert staff.get("/staff/awards/publicity/nope/change/").status_code == 404
    assert staff.get(f"{base}/withdraw/nope/").status_code == 404
    assert staff.get(f"{base}/history/").status_code == 404
    assert staff.post(f"{base}/delete/").status_code == 403
    assert staff.post(f"{base}/publish/").status_code == 302  # refused with a message: 公示 not over
