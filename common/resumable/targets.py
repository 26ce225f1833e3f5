"""What a programme declares to receive resumable uploads (``settings.UPLOAD_RESUMABLE_TARGETS``).

The resumable server knows no programme: the metadata's ``target`` names one of the classes listed
in the settings (name → dotted path), loaded once. A target

* ``prepare(user, metadata, length)``: before any byte is accepted, checks that ``user`` may attach a
  file named ``metadata["filename"]`` of ``length`` bytes where the metadata says, raising
  ``Refused`` (status + message for the user) otherwise;
* ``complete(user, upload, metadata)``: receives the finished file (an ``UploadedFile`` whose
  ``temporary_file_path`` storage can move), runs the same checks as the plain upload and attaches
  it; raises ``Refused`` (the file is then deleted and the message shown).
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.module_loading import import_string


class Refused(Exception):
    def __init__(self, status: int, messages: list[str] | str):
        self.status = status
        self.messages = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


class UploadTarget(Protocol):
    def prepare(self, user, metadata: dict[str, str], length: int) -> None: ...

    def complete(self, user, upload: UploadedFile, metadata: dict[str, str]) -> None: ...


@cache
def _load(path: str) -> UploadTarget:
    return import_string(path)()


def get(name: str) -> UploadTarget | None:
    path = getattr(settings, "UPLOAD_RESUMABLE_TARGETS", {}).get(name)
    return _load(path) if path else None
