"""common.images.check_image: a decompression bomb is refused by its header, before any decoding."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from common.images import check_image
from filings.uploads import check_upload


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width: int = 13000, height: int = 13000) -> bytes:
    """A valid greyscale PNG of width×height zero pixels; small on disk, huge once decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one byte a pixel
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bomb_png()


@pytest.fixture
def decoded(monkeypatch):
    """Records every decode (``ImageFile.load``): the bomb must never get there."""
    calls = []
    original = ImageFile.ImageFile.load

    def spy(self):
        calls.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return calls


def test_bomb_png_is_a_real_13000_by_13000_png_under_a_megabyte(bomb):
    with Image.open(io.BytesIO(bomb)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (13000, 13000), "L")
    assert len(bomb) < 1024 * 1024


def test_a_13000_by_13000_png_is_refused_before_it_is_decoded(bomb, decoded):
    upload = SimpleUploadedFile("节目单.png", bomb, content_type="image/png")

    with pytest.raises(ValidationError) as refused:
        check_upload(upload)

    assert refused.value.messages == ["图片尺寸过大（13000×13000 像素），不能超过 4,000 万像素，请缩小后重新上传。"]
    assert refused.value.code == "image_too_large"
    assert decoded == []  # no pixel buffer was ever allocated
    assert upload.tell() == 0


def test_an_image_within_the_limit_is_decoded_and_accepted(decoded, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100 * 100
    buf = io.BytesIO()
    Image.new("RGB", (100, 100), (200, 30, 30)).save(buf, format="PNG")

    assert check_image(SimpleUploadedFile("ok.png", buf.getvalue())) == (100, 100)
    assert decoded == [(100, 100)]


def test_the_limit_comes_from_settings_one_pixel_over_is_refused(decoded, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100 * 100
    buf = io.BytesIO()
    Image.new("RGB", (101, 100)).save(buf, format="JPEG")

    with pytest.raises(ValidationError) as refused:
        check_image(SimpleUploadedFile("big.jpg", buf.getvalue()))

    assert refused.value.messages == ["图片尺寸过大（101×100 像素），不能超过 1 万像素，请缩小后重新上传。"]
    assert decoded == []


def test_the_default_limit_is_40_megapixels():
    from django.conf import settings

    assert settings.UPLOAD_MAX_IMAGE_PIXELS == 40_000_000


def test_a_truncated_image_within_the_limit_is_still_refused_as_broken():
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buf, format="PNG")

    with pytest.raises(ValidationError) as refused:
        check_image(SimpleUploadedFile("cut.png", buf.getvalue()[:-30]))

    assert refused.value.messages == ["图片文件已损坏或不完整，请重新上传。"]
