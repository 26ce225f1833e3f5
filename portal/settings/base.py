"""Settings shared by every environment; all deployment choices come from the environment.

Embedded default (no variables set): SQLite, Celery tasks run eagerly in-process,
local-memory cache. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to
Redis as Celery broker and cache.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from common.storage import storages_config
from portal.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# True when a reverse proxy (nginx) appends the client address to X-Forwarded-For;
# otherwise that header is ignored, so clients cannot choose their rate-limit IP.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# Public address used in QR codes and links in messages.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "captcha",
    "axes",
    "csp",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "portal",
    "accounts",
    "review",
    "filings",
    "awards",
    "supervision.inspections",
    "supervision.guidance",
    "supervision.notices",
    "supervision.statistics",
    "common.resumable",
]

MIDDLEWARE = [
    # First: the request id (X-Request-ID from nginx, else a new one) for every later log line.
    "common.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, static files and error pages included (django-csp's,
    # with the site's own policy built once: portal.middleware.CSPMiddleware).
    "portal.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # %00 anywhere is a 400 before any query (PostgreSQL refuses NUL in text: a 500 otherwise).
    "portal.middleware.RejectNulCharactersMiddleware",
    # A cached /verify/<token>/ for an anonymous visitor, before everything it does not need.
    "review.certificates.fastpath.VerifyFastPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: the filing editor answers its in-place requests with the sections that changed.
    "django_htmx.middleware.HtmxMiddleware",
    # After MessageMiddleware: the expiry redirect carries a message.
    "accounts.middleware.SessionTimeoutMiddleware",
    # After authentication, OTP and the session expiry: a session that owes its second
    # factor gets nothing but the OTP pages and logout.
    "accounts.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "review.outbox.context_processors.inbox",
            ],
        },
    }
]

# --- database -------------------------------------------------------------
# SQLite (the embedded default, or a sqlite:// DATABASE_URL) must answer concurrent
# writes without "database is locked": every transaction starts IMMEDIATE (it takes
# the write lock at BEGIN, so waiting is done by the busy timeout instead of failing
# when a read lock is upgraded), writers wait up to 20 s, and WAL lets readers go on
# while one writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def sqlite_database(name: str) -> dict:
    """The DATABASES entry of a file-based SQLite database (the embedded default)."""
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": dict(SQLITE_OPTIONS)}


DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    # Persistent connections are checked before a request reuses them: after the database was
    # unreachable, each thread reconnects instead of failing once on its dead connection.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    DATABASES = {"default": sqlite_database(env("SQLITE_PATH", str(BASE_DIR / "var" / "db.sqlite3")))}
if env("PORTAL_TEST_DB_NAME"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env("PORTAL_TEST_DB_NAME")
# A read replica (a PostgreSQL hot standby of DATABASE_URL) for the statistics pages' reads
# (common.replica: only code marked reads_from_replica uses it; writes never; down → the primary).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        # a replica that does not answer costs a page at most this long, then is skipped for 30 s
        DATABASES["replica"]["OPTIONS"] = {"connect_timeout": int(env("DATABASE_REPLICA_CONNECT_TIMEOUT", "2"))}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the same test database
DATABASE_ROUTERS = ["common.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and Celery -----------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "portal"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# The embedded first run (portal.settings.run) leaves the side effects of a request (the
# outbox's notifications and certificates, certificate PDFs) to the background loop that
# `make run` starts (manage.py run_periodic --loop, review.certificates.background) instead of running
# them eagerly inside the request. Off everywhere else: tests run them eagerly, and with a
# broker (REDIS_URL) the Celery worker does.
BACKGROUND_LOOP_TASKS = env_bool("BACKGROUND_LOOP_TASKS", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Three queues, each with its own worker in the stack (scripts/stack.sh, docker-compose.yml): a flood of
# notifications never delays a certificate, and a slow PDF never delays an SMS code. A worker started
# without -Q consumes all three (the embedded run, the tests' workers).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = {"default": {}, "certificates": {}, "notifications": {}}
CELERY_TASK_ROUTES = {
    # render and sign certificate PDFs
    "review.tasks.render_certificate": {"queue": "certificates"},
    "review.tasks.sweep_certificates": {"queue": "certificates"},
    # the outbox's dispatch: in-site messages, e-mail and SMS
    "review.tasks.dispatch_outbox": {"queue": "notifications"},
}
# Periodic jobs; each one is also a management command (see README).
CELERY_BEAT_SCHEDULE = {
    "dispatch-outbox": {"task": "review.tasks.dispatch_outbox", "schedule": 60.0},
    "sweep-certificates": {"task": "review.tasks.sweep_certificates", "schedule": 300.0},
    "purge-expired-sms-codes": {"task": "accounts.tasks.purge_sms_codes", "schedule": 3600.0},
    "close-provincial-rounds": {"task": "awards.tasks.close_rounds", "schedule": 600.0},
    "open-quarter": {"task": "awards.tasks.open_quarter", "schedule": 3600.0},
    "publish-results": {"task": "awards.tasks.publish_results", "schedule": 600.0},
    "awards-deadline-reminders": {"task": "awards.tasks.send_deadline_reminders", "schedule": 3600.0},
    "refresh-inspections": {"task": "supervision.inspections.tasks.refresh_inspections", "schedule": 3600.0},
    "purge-expired-uploads": {"task": "common.resumable.tasks.purge_uploads", "schedule": 3600.0},
}

# --- auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Before the password is checked: an address locked for spraying (accounts.backends).
    "accounts.backends.IpSprayBackend",
    "accounts.backends.AccountBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.validators.PortalSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "phone", "full_name", "email")},
    },
    {"NAME": "accounts.validators.PortalPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3600  # e-mailed reset links are valid one hour
# Argon2id first (accounts/hashers.py: OWASP's parameters); PBKDF2 and the others only
# verify older hashes, which are upgraded to Argon2id on the next login.
PASSWORD_HASHERS = [
    "accounts.hashers.PortalArgon2Hasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Sessions: 30 minutes idle, 12 hours absolute (accounts.middleware).
SESSION_IDLE_SECONDS = int(env("SESSION_IDLE_SECONDS", "1800"))
SESSION_ABSOLUTE_SECONDS = int(env("SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
SESSION_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# Sessions read from the cache (Redis in production), written through to the database: no session
# query on a page (issue 11); a cache loss only costs one database read. Logout, the password-change
# auth hash and the OTP flag behave as with the database engine (every write goes through Django's API).
SESSION_ENGINE = "common.sessions"  # cached_db that falls back to the database while Redis is down
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Lockout: 5 failures in 15 minutes lock the account+IP pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address as the portal sees it (X-Forwarded-For only behind the proxy):
# otherwise axes counts the proxy's address and one attacker locks an account for everyone.
AXES_CLIENT_IP_CALLABLE = "accounts.audit.client_ip"
# Password spraying: failures from one address across all accounts, e.g. 20 in 15 minutes,
# lock that address's password logins for 15 minutes (accounts.services.auth).
LOGIN_FAILURES_PER_IP = int(env("LOGIN_FAILURES_PER_IP", "20"))
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it: the message promises 15 minutes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "sms_code", "code"]
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Second factor for staff. Required for ministry staff in production.
OTP_TOTP_ISSUER = "文化视听备案门户"
STAFF_OTP_REQUIRED_FOR_MINISTRY = env_bool("STAFF_OTP_REQUIRED_FOR_MINISTRY", False)
# A first TOTP device is bound only with a one-time 绑定授权码 issued by an administrator
# (accounts/services/otp_enrolment.py), valid this many hours.
OTP_ENROLMENT_CODE_HOURS = int(env("OTP_ENROLMENT_CODE_HOURS", "72"))

# --- captcha --------------------------------------------------------------
CAPTCHA_TEST_MODE = env_bool("CAPTCHA_TEST_MODE", False)
CAPTCHA_LENGTH = 4
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_IMAGE_SIZE = (110, 38)
CAPTCHA_FONT_SIZE = 28
CAPTCHA_TIMEOUT = 5  # minutes

# --- SMS ------------------------------------------------------------------
SMS_BACKEND = {
    "console": "accounts.sms.backends.console.SmsBackend",
    "locmem": "accounts.sms.backends.locmem.SmsBackend",
    "file": "accounts.sms.backends.filebased.SmsBackend",
    "http": "accounts.sms.backends.http.SmsBackend",
}.get(env("SMS_BACKEND", "console"), env("SMS_BACKEND", "console"))
SMS_FILE_PATH = env("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms"))
SMS_SIGNATURE = env("SMS_SIGNATURE", "文化视听备案门户")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_KEY = env("SMS_GATEWAY_KEY")
SMS_GATEWAY_TIMEOUT = float(env("SMS_GATEWAY_TIMEOUT", "5"))
SMS_GATEWAY_RETRIES = int(env("SMS_GATEWAY_RETRIES", "2"))
# Template ids registered with the SMS gateway, by purpose.
SMS_TEMPLATES = {
    "register": env("SMS_TEMPLATE_REGISTER", "SMS_REGISTER"),
    "login": env("SMS_TEMPLATE_LOGIN", "SMS_LOGIN"),
    "reset": env("SMS_TEMPLATE_RESET", "SMS_RESET"),
    "change-phone": env("SMS_TEMPLATE_CHANGE_PHONE", "SMS_CHANGE_PHONE"),
    "add-member": env("SMS_TEMPLATE_ADD_MEMBER", "SMS_ADD_MEMBER"),
    "notice": env("SMS_TEMPLATE_NOTICE", "SMS_NOTICE"),
}
SMS_CODE_TTL_SECONDS = 300
SMS_CODE_MAX_ATTEMPTS = 5
SMS_THROTTLE_PHONE_SECONDS = 60
SMS_THROTTLE_PHONE_PER_DAY = 10
SMS_THROTTLE_IP_PER_HOUR = 20

# --- email ----------------------------------------------------------------
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}.get(env("EMAIL_BACKEND", "console"), env("EMAIL_BACKEND", "console"))
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@portal.example.cn")

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private files (uploads, certificates): never served directly, only through
# views that check access (X-Accel-Redirect behind nginx in production).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX")  # e.g. /protected/
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/media/"
# PRIVATE_STORAGE=s3 (+ AWS_S3_ENDPOINT_URL, AWS_STORAGE_BUCKET_NAME, AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, AWS_S3_REGION_NAME): private files in an S3-compatible bucket shared
# by every web node, downloads by links signed for PRIVATE_MEDIA_URL_EXPIRE (60) seconds
# after the access check (common/storage.py). Default: the local folder above.
PRIVATE_STORAGE = env("PRIVATE_STORAGE", "local")
STORAGES = {
    "default": storages_config(env, env_bool, local_root=str(PRIVATE_MEDIA_ROOT)),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads stream to a temp file
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_DOCUMENT_BYTES = int(env("UPLOAD_MAX_DOCUMENT_BYTES", str(20 * 1024 * 1024)))
UPLOAD_MAX_VIDEO_BYTES = int(env("UPLOAD_MAX_VIDEO_BYTES", str(2 * 1024 * 1024 * 1024)))
# Images are refused above this many pixels before being decoded (common/images.py).
UPLOAD_MAX_IMAGE_PIXELS = int(env("UPLOAD_MAX_IMAGE_PIXELS", str(40_000_000)))
# Resumable (tus) uploads of 材料 (common/resumable/): the browser sends files larger than
# UPLOAD_RESUMABLE_THRESHOLD_BYTES, and every video, in chunks of UPLOAD_RESUMABLE_CHUNK_BYTES (nginx's
# body limit on /uploads/tus/ fits it) to a partial file under UPLOAD_RESUMABLE_ROOT (a folder every web
# node shares); unfinished uploads expire after UPLOAD_RESUMABLE_EXPIRE_SECONDS and the periodic job
# purge_uploads removes them.
UPLOAD_RESUMABLE_MAX_BYTES = int(env("UPLOAD_RESUMABLE_MAX_BYTES", str(2 * 1024 * 1024 * 1024)))
UPLOAD_RESUMABLE_CHUNK_BYTES = int(env("UPLOAD_RESUMABLE_CHUNK_BYTES", str(16 * 1024 * 1024)))
UPLOAD_RESUMABLE_CHUNK_MAX_BYTES = UPLOAD_RESUMABLE_CHUNK_BYTES
UPLOAD_RESUMABLE_THRESHOLD_BYTES = int(env("UPLOAD_RESUMABLE_THRESHOLD_BYTES", str(8 * 1024 * 1024)))
UPLOAD_RESUMABLE_ROOT = Path(env("UPLOAD_RESUMABLE_ROOT", str(PRIVATE_MEDIA_ROOT / "resumable")))
UPLOAD_RESUMABLE_EXPIRE_SECONDS = int(env("UPLOAD_RESUMABLE_EXPIRE_SECONDS", str(24 * 3600)))
UPLOAD_RESUMABLE_LOCK_SECONDS = 120
UPLOAD_RESUMABLE_CREATE_PER_HOUR = int(env("UPLOAD_RESUMABLE_CREATE_PER_HOUR", "60"))
UPLOAD_RESUMABLE_PATCH_PER_MINUTE = int(env("UPLOAD_RESUMABLE_PATCH_PER_MINUTE", "300"))
UPLOAD_RESUMABLE_MAX_ACTIVE = 10
UPLOAD_RESUMABLE_TARGETS = {"filings.material": "filings.resumable.MaterialTarget"}

# --- filings (MCT) --------------------------------------------------------
# Who reviews import applications: "province" (the unit's department) or "ministry".
FILINGS_IMPORT_REVIEWER = env("FILINGS_IMPORT_REVIEWER", "province")
# 材料上传 items required to submit (filings.enums.MaterialItem values).
FILINGS_REQUIRED_MATERIALS = env_list("FILINGS_REQUIRED_MATERIALS", "self_review,copyright")
# Domestic programmes are filed within this many days of first being offered (文旅市场发〔2023〕8号).
FILINGS_DOMESTIC_FILING_DAYS = int(env("FILINGS_DOMESTIC_FILING_DAYS", "30"))

# Encryption key for personal data at rest (resident ID numbers); derived
# from SECRET_KEY when not given.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Django's renderer, with the plain <input>/<textarea> widgets written in Python (issue 11: two template
# renders per field otherwise); byte-identical markup, see common/widgets.py.
FORM_RENDERER = "common.widgets.FastFormRenderer"

X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): nothing but the portal's own files. There are no
# inline scripts (script-src 'self' costs nothing and stops injected ones). Styles still need
# 'unsafe-inline' for now: several pages carry <style> blocks and style="" attributes
# (the reviewers' site header, the change diff, the login and registration pages…) —
# to go once those move to static CSS files. A view may send a stricter policy of its
# own (file downloads do: default-src 'none'; sandbox); the middleware keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- portal ---------------------------------------------------------------
PORTAL = {
    "MCT_SUPPORT_PHONES": env_list("MCT_SUPPORT_PHONES", "400-0009373,010-85166688"),
    "NRTA_SUPPORT_PHONES": env_list("NRTA_SUPPORT_PHONES", "010-86096235,17801579644"),
    "NRTA_NOTICE_PHONE": env("NRTA_NOTICE_PHONE", "010-86091625"),
    "FOOTER": {
        "phone": env("FOOTER_PHONE", "010-85166688"),
        "fax": env("FOOTER_FAX", "400-000-9373"),
        "copyright": env("FOOTER_COPYRIGHT", "中华人民共和国文化和旅游部"),
        "address": env("FOOTER_ADDRESS", "东城区朝阳门北大街10号"),
        "postcode": env("FOOTER_POSTCODE", "100020"),
        "icp": env("FOOTER_ICP", "京ICP备1503242号-1"),
        "site_code": env("FOOTER_SITE_CODE", "dm23000691"),
        "police": env("FOOTER_POLICE", "京公网安备11040202440959号"),
        "error_report_url": env("FOOTER_ERROR_REPORT_URL", "/pages/error-report/"),
    },
    # The NRTA programme's pages (portal.branding): the administration's own copyright and address;
    # ICP备案号, 网站标识码 and 公网安备 are the site's (FOOTER above), the same on every page.
    "NRTA_FOOTER": {
        "copyright": env("NRTA_FOOTER_COPYRIGHT", "国家广播电视总局"),
        "address": env("NRTA_FOOTER_ADDRESS", "北京市西城区复兴门外大街2号"),
        "postcode": env("NRTA_FOOTER_POSTCODE", "100866"),
        "phone": env("NRTA_FOOTER_PHONE", "010-86096235"),
        "fax": env("NRTA_FOOTER_FAX", ""),
    },
}

# --- logs (portal/logging.py) ------------------------------------------------
# The request id (common.requestid) on every line; LOG_JSON: one JSON object a line on stdout;
# LOG_DIR: security events also in <LOG_DIR>/security.log, rotated daily, kept ≥ 190 days.
LOG_DIR = env("LOG_DIR")
SECURITY_LOG_BACKUP_DAYS = int(env("SECURITY_LOG_BACKUP_DAYS", "190"))
LOG_JSON = env_bool("LOG_JSON", False)
LOGGING = logging_config(
    level=env("LOG_LEVEL", "INFO"),
    json_output=LOG_JSON,
    log_dir=LOG_DIR or None,
    security_backup_days=SECURITY_LOG_BACKUP_DAYS,
)
# The Celery worker installs its own root handler (stderr or --logfile); portal/logging.py
# gives it the request id and, with LOG_JSON, the JSON format. Security loggers keep theirs.
