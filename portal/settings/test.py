"""Test settings: fast hashing, locmem SMS/email, captcha test mode."""

from .base import *  # noqa: F403
from .base import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = "accounts.sms.backends.locmem.SmsBackend"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CAPTCHA_TEST_MODE = True
if not env("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
LANGUAGE_CODE = "zh-hans"
# A minimal reviewable model for the tests of the review machinery (tests/review).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.review.reviewtestapp", "tests.review.certtestapp"]  # noqa: F405
