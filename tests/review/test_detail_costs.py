"""Costs every reviewers' page used to pay (issue 11): the admin's app list is built only where a page
shows it (the index pages), not on the detail page or the queue."""

from __future__ import annotations

import pytest
from django.contrib import admin

from tests.review.factories import DossierFactory

pytestmark = pytest.mark.django_db

LIST = "/staff/reviewtestapp/dossier/"


def test_the_detail_page_and_queue_build_no_app_list_and_the_index_still_shows_it(
    client, hunan_official, beijing_official, monkeypatch
):
    row = DossierFactory(name="湖南剧目", organisation__province="430000")
    built = []
    original = admin.AdminSite._build_app_dict
    monkeypatch.setattr(admin.AdminSite, "_build_app_dict", lambda *a, **k: built.append(1) or original(*a, **k))
    client.force_login(hunan_official)
    page = client.get(f"{LIST}{row.public_id}/change/")
    assert page.status_code == 200 and "湖南剧目" in page.content.decode()
    queue = client.get(LIST)
    assert queue.status_code == 200 and "湖南剧目" in queue.content.decode()
    assert built == []
    index = client.get("/staff/")
    assert index.status_code == 200
    assert built == [1]
    # The other province's official: the same row is a 404, and the index does not offer it either.
    client.force_login(beijing_official)
    assert client.get(f"{LIST}{row.public_id}/change/").status_code == 404
    assert "湖南剧目" not in client.get(LIST).content.decode()
