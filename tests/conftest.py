import pytest
from django.core.cache import cache

from accounts import sms


@pytest.fixture(autouse=True)
def _clean_state(settings, tmp_path):
    """Each test starts with an empty cache, SMS outbox and private storage."""
    cache.clear()
    sms.outbox = []
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": "/private/"},
        },
    }
    yield
    cache.clear()


@pytest.fixture
def sms_outbox():
    return sms.outbox


def last_sms_code(phone: str) -> str:
    for message in reversed(sms.outbox):
        if message.phone == phone and "code" in message.params:
            return message.params["code"]
    raise AssertionError(f"no SMS code sent to {phone}")
