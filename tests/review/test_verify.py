"""The public verification page /verify/<token>/."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from review import certificates as certs
from review.engine import perform
from tests.factories import ApplicantFactory, StaffFactory
from tests.review.certtestapp.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """Visible text of a page, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def certificate():
    programme = ProgrammeFactory(
        name="湘江夜话·线上音乐会",
        platform="芒果TV",
        contact_name="李小龙",
        contact_phone="13800000001",
        contact_email="lixiaolong@example.cn",
    )
    return certs.issue_certificate("certtest.programme", programme.pk)


def test_verify_page_shows_valid_certificate_and_programme_data_without_login(client, certificate):
    response = client.get(f"/verify/{certificate.token}/")
    assert response.status_code == 200
    page = text(response)
    assert "证照核验" in page
    assert "有效 该证照真实有效。" in page
    assert "证照编号 网演备〔2026〕湘字第000001号" in page
    assert "持证单位 湖南芒果网络演艺有限公司" in page
    assert "证照载明名称 湘江夜话·线上音乐会" in page
    assert "网络演出剧(节)目名称 湘江夜话·线上音乐会" in page
    assert "发证部门 湖南省文化和旅游厅" in page
    assert "证照类型 国产网络演出剧（节）目备案" in page
    assert "播出平台 芒果TV" in page
    assert "no-store" in response["Cache-Control"]


def test_verify_page_masks_personal_data(client, certificate):
    page = text(client.get(f"/verify/{certificate.token}/"))
    assert "演出联系人 李**" in page
    assert "联系电话 138****0001" in page
    assert "电子邮箱 l***@example.cn" in page
    for secret in ("李小龙", "13800000001", "lixiaolong@"):
        assert secret not in page


def test_verify_unknown_token_is_a_plain_404(client, certificate):
    response = client.get("/verify/not-a-real-token-000000000000000/")
    assert response.status_code == 404
    assert "页面不存在" in text(response)
    assert "网演备" not in text(response)
    assert client.get("/verify/" + "x" * 200 + "/").status_code == 404


def test_verify_query_counts_miss_and_hit(
    client, certificate, django_assert_max_num_queries, django_assert_num_queries
):
    url = f"/verify/{certificate.token}/"
    with django_assert_max_num_queries(1):  # the certificate with its holder (target: at most 3)
        first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert text(first) == text(second)


def test_verify_page_is_the_same_for_every_anonymous_visitor_and_switches_language(client, certificate):
    url = f"/verify/{certificate.token}/"
    first = client.get(url)
    other = Client(enforce_csrf_checks=True)
    second = other.get(url)
    # Nothing per visitor in it (no CSRF token, no cookie), so it is cached whole.
    assert first.content == second.content
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert "csrftoken" not in second.cookies
    # Its language switch works without a token.
    assert f'action="/verify/{certificate.token}/language/"' in second.content.decode()
    switched = other.post(f"/verify/{certificate.token}/language/", {"language": "en"})
    assert switched.status_code == 302
    assert switched["Location"] == url
    assert switched.cookies["django_language"].value == "en"
    english = other.get(url)
    assert 'lang="en"' in english.content.decode()
    # Anything else is ignored, and the redirect never leaves the verify page.
    odd = other.post(f"/verify/{certificate.token}/language/", {"language": "xx", "next": "https://evil.example"})
    assert odd["Location"] == url
    assert "django_language" not in odd.cookies


def test_verify_shows_revocation_at_once(client, certificate):
    url = f"/verify/{certificate.token}/"
    assert "有效" in text(client.get(url))  # now cached
    ministry = StaffFactory(profile__level="ministry")
    certs.revoke_certificate(certificate, actor=ministry, reason="节目内容违规，依法注销")
    page = text(client.get(url))
    assert "已注销" in page and "原因：其他" in page
    assert "节目内容违规，依法注销" not in page  # the internal note is not public
    assert "该证照真实有效" not in page


def test_verify_shows_an_approved_change_at_once(client, certificate, django_capture_on_commit_callbacks):
    url = f"/verify/{certificate.token}/"
    assert "播出平台 芒果TV" in text(client.get(url))  # now cached
    programme = certificate.subject
    programme.pending_platform = "哔哩哔哩"
    programme.save()
    # The change is not approved yet: the page still shows the approved data.
    assert "播出平台 芒果TV" in text(client.get(url))
    official = StaffFactory(profile__province="430000")
    with django_capture_on_commit_callbacks(execute=True):
        perform(programme, "apply_change", actor=official)
    assert "播出平台 哔哩哔哩" in text(client.get(url))


def test_verify_is_rate_limited_per_ip(client, certificate, settings):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 3
    url = f"/verify/{certificate.token}/"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(url)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "访问过于频繁" in text(limited)
    assert "您的核验请求过于频繁，请一分钟后再试。" in text(limited)
    # Another address is not affected; unknown tokens count too.
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/verify/unknown/", REMOTE_ADDR="10.0.0.3").status_code == 404


def test_verify_for_a_signed_in_visitor_shows_their_own_header(client, certificate):
    client.get(f"/verify/{certificate.token}/")  # anonymous page cached
    applicant = ApplicantFactory(full_name="王五")
    client.force_login(applicant)
    page = text(client.get(f"/verify/{certificate.token}/"))
    assert "王五" in page
    assert "有效" in page
    client.logout()
    cache.clear()


def test_verify_page_in_english_is_cached_separately(client, certificate):
    url = f"/verify/{certificate.token}/"
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert zh.content != en.content
    assert 'lang="zh-CN"' in zh.content.decode()
    assert 'lang="en"' in en.content.decode()


def test_verify_page_data_comes_from_the_certificate_in_one_query_however_many_tables(
    client, certificate, monkeypatch, django_assert_num_queries
):
    from review.engine import get_kind

    kind = get_kind("certtest.programme")
    # A kind whose rows need a related table: read when the snapshot is refreshed, not per page view.
    monkeypatch.setattr(kind.certificate, "public_details", lambda obj: [("单位名称", obj.organisation.name)])
    programme = certificate.subject
    with django_assert_num_queries(4):  # certificates of the programme, programme, organisation, update
        certs.invalidate_verify_cache(programme)
    monkeypatch.setattr(kind.certificate, "verify_queryset", lambda qs: qs.select_related("organisation"))
    with django_assert_num_queries(3):  # the hook fetches the organisation with the programme
        certs.invalidate_verify_cache(programme)
    with django_assert_num_queries(1):
        response = client.get(f"/verify/{certificate.token}/")
    assert "单位名称 湖南芒果网络演艺有限公司" in text(response)


def test_verify_page_of_a_certificate_without_snapshot_builds_it_once(client, certificate):
    from review.models import Certificate

    Certificate.objects.filter(pk=certificate.pk).update(public_details={}, public_details_at=None)
    page = text(client.get(f"/verify/{certificate.token}/"))
    assert "播出平台 芒果TV" in page
    certificate.refresh_from_db()
    assert certificate.public_details["zh-hans"][1] == {"label": "播出平台", "value": "芒果TV", "items": None}
    assert certificate.public_details["en"]
