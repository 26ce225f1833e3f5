"""Production: refuses to start without a secret key and allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY（至少50个字符）。SECRET_KEY must be set (50+ characters).")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置 ALLOWED_HOSTS。ALLOWED_HOSTS must be set.")
if env_bool("CAPTCHA_TEST_MODE", False):
    raise ImproperlyConfigured("生产环境不得开启 CAPTCHA_TEST_MODE。CAPTCHA_TEST_MODE is refused in production.")
CAPTCHA_TEST_MODE = False
STAFF_OTP_REQUIRED_FOR_MINISTRY = True
BEHIND_PROXY = env_bool("BEHIND_PROXY", True)  # the documented stack puts nginx in front

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Health probes of the container runtime call plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# JSON lines on stdout (the process manager collects them); security events also in
# LOG_DIR/security.log, rotated at midnight, SECURITY_LOG_BACKUP_DAYS (≥ 190) files kept.
LOG_DIR = env("LOG_DIR", str(BASE_DIR / "var" / "log"))  # noqa: F405
LOG_JSON = env_bool("LOG_JSON", True)
LOGGING = logging_config(  # noqa: F405
    level=env("LOG_LEVEL", "INFO"),
    json_output=LOG_JSON,
    log_dir=LOG_DIR,
    security_backup_days=SECURITY_LOG_BACKUP_DAYS,  # noqa: F405
)
