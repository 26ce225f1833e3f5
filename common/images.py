"""Checks of uploaded images (jpg, png) that every app's upload uses.

An image is refused by its pixel count **before** anything is decoded:
``Image.open`` only parses the header (width and height) and decodes nothing
until ``load()``, so a 13000×13000 PNG of a few hundred KB (a decompression
bomb that would cost ~170–630 MB of memory when decoded) is refused at the cost
of reading its first bytes. Pillow's own guard (``Image.MAX_IMAGE_PIXELS``)
only raises at twice its 89-megapixel default; the portal's limit is
``UPLOAD_MAX_IMAGE_PIXELS`` (40 megapixels by default, i.e. more than any
camera photo or scanned A3 page). Only an image within the limit is verified
and decoded (a truncated image fails there); a PNG or JPEG with bytes after its
end (a polyglot carrying a zip or a PDF) is refused last (common/uploads.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.uploads import check_no_appended_data

DEFAULT_MAX_PIXELS = 40_000_000


def max_pixels() -> int:
    return int(getattr(settings, "UPLOAD_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS))


def _too_large(width: int, height: int, limit: int) -> ValidationError:
    return ValidationError(
        _("图片尺寸过大（%(width)s×%(height)s 像素），不能超过 %(limit)s 万像素，请缩小后重新上传。")
        % {"width": width, "height": height, "limit": f"{limit // 10_000:,}"},
        code="image_too_large",
    )


def check_image(upload) -> tuple[int, int]:
    """Validate an uploaded jpg/png; returns (width, height). Raises ValidationError for the user.

    Order matters: header → pixel count → structure (``verify``) → decode.
    """
    from PIL import Image, UnidentifiedImageError

    limit = max_pixels()
    broken = ValidationError(_("图片文件已损坏或不完整，请重新上传。"), code="broken_image")
    try:
        upload.seek(0)
        with Image.open(upload) as image:  # lazy: reads the header only
            width, height = image.size
            if width * height > limit:
                raise _too_large(width, height, limit)
            image.verify()  # structure and checksums, no pixel buffer
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # decodes (within the limit): a truncated image fails here
            kind = {"PNG": "png", "JPEG": "jpg"}.get(image.format or "")
        if kind is not None:  # bytes after the image's end: a PNG+zip or JPEG+PDF polyglot
            check_no_appended_data(upload, upload.size or 0, kind)
    except Image.DecompressionBombError:  # Pillow's own guard, should the setting exceed it
        raise ValidationError(_("图片尺寸过大，请压缩后重新上传。"), code="image_too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise broken from None
    finally:
        upload.seek(0)
    return width, height
