"""Reading registry CSV files as Excel and WPS write them (the licence registry, the platform list).

UTF-8 with or without a BOM, else GB18030; a file that is neither is refused as
a whole with a message for the person who uploaded it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


class CsvFileError(Exception):
    """The file as a whole cannot be read (encoding, missing columns); ``message`` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def decode_csv_bytes(data: bytes, error: type[CsvFileError] = CsvFileError) -> tuple[str, str]:
    """The text of the file and the encoding used: UTF-8 (BOM or not), else GB18030."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise error(_("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV 文件。"))
