"""common.sessions: with the cache (Redis) failing, sessions are read, saved and deleted from the database."""

import pytest

from common import sessions

pytestmark = pytest.mark.django_db


class Down:
    def _fail(self, *args, **kwargs):
        raise ConnectionError("redis is down")

    get = set = delete = __contains__ = _fail


def test_a_session_saved_before_the_outage_is_read_saved_and_deleted_during_it():
    store = sessions.SessionStore()
    store["who"] = "张三"
    store.save()
    key = store.session_key

    during = sessions.SessionStore(key)
    during._cache = sessions._Tolerant(Down())
    assert during["who"] == "张三"  # from the database
    during["step"] = "提交"
    during.save()
    assert during.exists(key)
    during.delete()
    # the database row is gone; a copy still in the cache outlives it until its expiry (known limitation)
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


def test_without_the_wrapper_the_outage_is_an_error():
    store = sessions.SessionStore()
    store["who"] = "张三"
    store.save()
    raw = sessions.SessionStore(store.session_key)
    raw._cache = Down()
    with pytest.raises(ConnectionError):
        raw.load()
