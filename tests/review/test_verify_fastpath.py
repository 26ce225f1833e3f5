"""/verify/<token>/ answered from its cache before the session, CSRF, auth and messages middleware
(review.certificates.fastpath, issue 11), with the headers of the middleware it skips."""

from __future__ import annotations

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from review import certificates as certs
from tests.factories import ApplicantFactory, StaffFactory
from tests.review.certtestapp.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    programme = ProgrammeFactory(name="湘江夜话·线上音乐会", platform="芒果TV")
    return f"/verify/{certs.issue_certificate('certtest.programme', programme.pk).token}/"


def test_a_cached_page_skips_the_inner_middleware_and_keeps_the_outer_headers(
    client, url, django_assert_num_queries, monkeypatch
):
    first = client.get(url)  # rendered by the view, cached
    assert first.status_code == 200
    monkeypatch.setattr(SessionMiddleware, "process_request", lambda self, request: 1 / 0)
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert hit.status_code == 200
    assert hit.content == first.content
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["Content-Language"] == "zh-hans"
    assert "no-store" in hit["Cache-Control"]
    assert "Content-Security-Policy" in hit  # CSPMiddleware is outside the fast path
    assert hit["X-Content-Type-Options"] == "nosniff"  # so is SecurityMiddleware


def test_the_fast_path_shows_a_revocation_at_once(client, url):
    """(The cached entry is the view's, dropped with the certificate's changes.)"""
    from review.models import Certificate

    client.get(url)
    client.get(url)  # from the fast path
    certificate = Certificate.objects.get(token=url.split("/")[2])
    certs.revoke_certificate(certificate, actor=StaffFactory(profile__level="ministry"), reason="注销")
    page = client.get(url).content.decode()
    assert "已注销" in page and "该证照真实有效" not in page


def test_signed_in_visitors_and_other_languages_are_not_served_from_the_anonymous_page(client, url):
    client.get(url)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in english.content.decode()
    client.force_login(ApplicantFactory(full_name="王五"))
    assert "王五" in client.get(url).content.decode()


def test_each_request_is_counted_once_against_the_rate_limit(client, url, settings):
    """The fast path counts the visitor's hit; when it cannot answer (not cached yet, over the limit) the
    view goes on with that count instead of counting the request a second time."""
    from common import ratelimit

    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 4
    cache.clear()
    statuses = [client.get(url).status_code for _ in range(4)]  # a miss (the view), then three hits
    assert statuses == [200, 200, 200, 200]
    assert ratelimit.count("verify:127.0.0.1", 60) == 4
    refused = client.get(url)
    assert refused.status_code == 429
    assert ratelimit.count("verify:127.0.0.1", 60) == 5
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address is not limited


@pytest.mark.skipif(not isinstance(caches["default"], RedisCache), reason="the cache is Redis in production and CI")
def test_a_cache_hit_is_one_round_trip_to_redis(client, url, monkeypatch):
    """Page and rate-limit count in one pipeline, on the keys cache.get and ratelimit.hit use."""
    from redis.connection import Connection

    from common import ratelimit

    client.get(url)  # cached by the view (its own round trips)
    sent = []
    original = Connection.send_packed_command
    monkeypatch.setattr(
        Connection, "send_packed_command", lambda self, *a, **k: sent.append(1) or original(self, *a, **k)
    )
    before = ratelimit.count("verify:127.0.0.1", 60)
    sent.clear()
    hit = client.get(url)
    assert hit.status_code == 200
    assert "湘江夜话·线上音乐会" in hit.content.decode()
    assert len(sent) == 1
    assert ratelimit.count("verify:127.0.0.1", 60) == before + 1
