"""Every link on the /staff/ pages of notices and 公示 opens: rows by their public id, no 历史 page promised."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.utils import quote

from awards.models import Publicity
from tests.awards.factories import nrta_ministry
from tests.awards.factories_publication import PublicityFactory, WorkFactory
from tests.supervision.notices.conftest import make_notice

pytestmark = pytest.mark.django_db


def staff_links(html: str) -> list[str]:
    content = html.split('id="content"', 1)[1]
    return sorted({href for href in re.findall(r'href="(/staff/[^"#?]*)', content)})


def test_a_notice_page_links_only_to_pages_that_open(client, hunan_official):
    notice = make_notice(hunan_official, title="湖南培训通知", authority="mct", province="430000")
    type(notice).objects.filter(pk=notice.pk).update(public_id="notice_with_1_")  # '_' is quoted in admin URLs
    client.force_login(hunan_official)
    listing = client.get("/staff/notices/notice/")
    page_url = f"/staff/notices/notice/{quote('notice_with_1_')}/change/"
    assert page_url in staff_links(listing.content.decode())  # the row is addressed by its public id
    page = client.get(page_url)
    assert page.status_code == 200
    links = staff_links(page.content.decode())
    assert not [link for link in links if link.endswith("/history/")]
    for link in links:
        assert client.get(link).status_code in (200, 302), link


def test_the_publicity_list_opens_each_publicity_by_its_public_id(client):
    WorkFactory(name="山河新歌")
    publicity = PublicityFactory()
    Publicity.objects.filter(pk=publicity.pk).update(public_id="publicity_with_1_")  # '_' is quoted in admin URLs
    client.force_login(nrta_ministry())
    links = staff_links(client.get("/staff/awards/publicity/").content.decode())
    row = f"/staff/awards/publicity/{quote('publicity_with_1_')}/change/"
    assert row in links and f"/staff/awards/publicity/{publicity.pk}/change/" not in links
    assert client.get(row).status_code == 200
    assert Publicity.objects.count() == 1
