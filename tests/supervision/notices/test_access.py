"""Who sees which notice: home block, list, detail and attachment download, both sides in every test."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.enums import Authority
from supervision.notices.enums import NoticeKind
from supervision.notices.models import NoticeAttachment

from .conftest import make_notice

pytestmark = pytest.mark.django_db


def _home(client, user):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_hunan_training_matrix(client, training, hunan_unit, beijing_unit, hunan_institution):
    detail = reverse("notices:detail", args=[training.public_id])
    # addressed by its random public id, never by the database key
    assert "/notices/" in detail and detail.split("/")[-2] == training.public_id != str(training.pk)
    cases = [(hunan_unit, True), (beijing_unit, False), (hunan_institution, False), (None, False)]
    for user, sees in cases:
        client.logout()
        if user is not None:
            client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        listing = client.get(reverse("notices:list")).content.decode()
        response = client.get(detail)
        assert ("湖南省备案业务培训" in home) is sees, user
        assert ("湖南省备案业务培训" in listing) is sees, user
        assert response.status_code == (200 if sees else 404), user
        if not sees:
            assert "湖南省备案业务培训" not in response.content.decode()


def test_everyone_and_programme_notices(client, mct_ministry, nrta_ministry, hunan_unit, hunan_institution):
    make_notice(mct_ministry, title="全体用户通知", authority="")
    make_notice(mct_ministry, title="文旅部政策宣贯", kind=NoticeKind.POLICY, authority=Authority.MCT)
    make_notice(nrta_ministry, title="总局推优通知", authority=Authority.NRTA)
    anon = client.get(reverse("notices:list")).content.decode()
    assert "全体用户通知" in anon and "文旅部政策宣贯" not in anon and "总局推优通知" not in anon
    client.force_login(hunan_unit)
    unit = client.get(reverse("notices:list")).content.decode()
    assert "全体用户通知" in unit and "文旅部政策宣贯" in unit and "总局推优通知" not in unit
    client.force_login(hunan_institution)
    inst = client.get(reverse("notices:list")).content.decode()
    assert "全体用户通知" in inst and "文旅部政策宣贯" not in inst and "总局推优通知" in inst


def test_drafts_and_withdrawn_are_hidden(client, hunan_official, hunan_unit):
    from supervision.notices import services

    draft = make_notice(hunan_official, publish=False, title="草稿通知", authority=Authority.MCT, province="430000")
    gone = make_notice(hunan_official, title="撤回通知", authority=Authority.MCT, province="430000")
    shown = make_notice(hunan_official, title="有效通知", authority=Authority.MCT, province="430000")
    services.withdraw(hunan_official, gone)
    client.force_login(hunan_unit)
    page = client.get(reverse("notices:list")).content.decode()
    assert "有效通知" in page and "草稿通知" not in page and "撤回通知" not in page
    assert client.get(reverse("notices:detail", args=[draft.public_id])).status_code == 404
    assert client.get(reverse("notices:detail", args=[shown.public_id])).status_code == 200


def test_kind_filter(client, mct_ministry):
    make_notice(mct_ministry, title="政策甲", kind=NoticeKind.POLICY, authority="")
    make_notice(mct_ministry, title="公告乙", kind=NoticeKind.NOTICE, authority="")
    page = client.get(reverse("notices:list"), {"kind": "policy"}).content.decode()
    assert "政策甲" in page and "公告乙" not in page
    page = client.get(reverse("notices:list"), {"kind": "nonsense"}).content.decode()
    assert "政策甲" in page and "公告乙" in page


def test_attachment_download_only_for_audience(client, training, hunan_unit, beijing_unit):
    attachment = NoticeAttachment(notice=training, original_name="日程.pdf", content_type="application/pdf", size=8)
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    url = reverse("notices:download", args=[attachment.token])
    client.force_login(beijing_unit)
    assert client.get(url).status_code == 404
    client.force_login(hunan_unit)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == b"%PDF-1.4"


def test_body_is_escaped(client, mct_ministry):
    notice = make_notice(mct_ministry, title="转义", authority="", body="<script>alert(1)</script>\n\n第二段")
    page = client.get(reverse("notices:detail", args=[notice.public_id])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page and "<p>第二段</p>" in page


@pytest.mark.parametrize("n", [1, 8])
def test_constant_queries(client, django_assert_num_queries, mct_ministry, hunan_unit, n):
    for i in range(n):
        make_notice(mct_ministry, title=f"通知{i}", authority=Authority.MCT)
    client.force_login(hunan_unit)
    client.get(reverse("notices:list"))
    with django_assert_num_queries(QUERIES_LIST):
        page = client.get(reverse("notices:list")).content.decode()
    assert page.count('<li class="list-group-item d-flex') == n
    with django_assert_num_queries(QUERIES_HOME):
        home = client.get(reverse("home")).content.decode()
    assert home.count("[通知公告]") == min(n, 5)


QUERIES_LIST = 3
QUERIES_HOME = 3
