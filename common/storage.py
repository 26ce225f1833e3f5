"""Where private files live: the local file system by default, S3-compatible object storage if set.

``PRIVATE_STORAGE=s3`` (settings ``storages_config``) puts uploads and certificates in a private
bucket (django-storages' S3 backend: MinIO, Ceph, 阿里云 OSS / 腾讯云 COS in S3 mode …), so
several web nodes share them. Objects are never public: after a view has checked access,
``signed_url`` hands out a link valid ``PRIVATE_MEDIA_URL_EXPIRE`` seconds (60 by default) that
also fixes the download's name and type, and the view redirects to it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage

S3_BACKEND = "storages.backends.s3.S3Storage"


def storages_config(env, env_bool, *, local_root: str) -> dict:
    """``STORAGES["default"]`` from the environment (called by the settings)."""
    kind = env("PRIVATE_STORAGE", "local").strip().lower()
    if kind in ("", "local"):
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": local_root, "base_url": "/private/"},
        }
    if kind != "s3":
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"PRIVATE_STORAGE must be 'local' or 's3', not {kind!r}.")
    options = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME", "portal-private"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env("AWS_S3_REGION_NAME", "us-east-1"),
        "access_key": env("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
        # Private objects; every link is signed and short-lived.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": int(env("PRIVATE_MEDIA_URL_EXPIRE", "60")),
        "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", "path"),
        "location": env("AWS_LOCATION", ""),
        "verify": None if env_bool("AWS_S3_VERIFY", True) else False,
    }
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def is_remote(storage: Storage) -> bool:
    """Whether files are served by the object store (a signed URL) rather than by nginx/Django."""
    return hasattr(storage, "bucket_name") and callable(getattr(storage, "url", None))


def expire_seconds() -> int:
    options = settings.STORAGES.get("default", {}).get("OPTIONS", {})
    return int(options.get("querystring_expire", 60))


def signed_url(
    storage: Storage,
    name: str,
    *,
    content_disposition: str,
    content_type: str,
    expire: int | None = None,
) -> str:
    """A link to the object ``name`` valid ``expire`` seconds. Call only after checking access."""
    return storage.url(
        name,
        parameters={"ResponseContentDisposition": content_disposition, "ResponseContentType": content_type},
        expire=expire or expire_seconds(),
    )
