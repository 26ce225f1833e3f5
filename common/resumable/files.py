"""The bytes of resumable uploads on disk: appended in small pieces, hashed by streaming.

A request body is never read whole: ``append`` copies it ``BUFFER`` bytes at a time to the partial
file (opened at the recorded offset, anything after it cut off first), hashing what it writes when
the client sent a chunk checksum. When the checksum does not match, the file is cut back to where the
chunk started, so the offset the server reports is always what it has verified.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

BUFFER = 64 * 1024


def root() -> Path:
    return Path(settings.UPLOAD_RESUMABLE_ROOT)


def partial_path(token: str) -> Path:
    return root() / token


def create_empty(token: str) -> Path:
    path = partial_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb"):
        pass
    return path


def remove(token: str) -> None:
    try:
        partial_path(token).unlink()
    except FileNotFoundError:
        pass


@dataclass
class Appended:
    received: int  # bytes read from the body and kept
    complete: bool  # the whole declared chunk arrived
    digest: bytes | None  # of the received bytes, when a checksum algorithm was asked for


def append(token: str, offset: int, stream, length: int, algorithm: str | None = None) -> Appended:
    """Write up to ``length`` bytes of ``stream`` at ``offset``; stops early when the client goes away."""
    hasher = hashlib.new(algorithm) if algorithm else None
    received = 0
    with open(partial_path(token), "r+b") as out:
        out.truncate(offset)  # a write cut short earlier may have left bytes past the recorded offset
        out.seek(offset)
        while received < length:
            try:
                piece = stream.read(min(BUFFER, length - received))
            except OSError:  # the connection dropped mid-body
                piece = b""
            if not piece:
                break
            out.write(piece)
            if hasher is not None:
                hasher.update(piece)
            received += len(piece)
        out.flush()
    return Appended(received, received == length, hasher.digest() if hasher is not None else None)


def cut(token: str, offset: int) -> None:
    """Drop whatever is past ``offset`` (a chunk that failed its checksum)."""
    with open(partial_path(token), "r+b") as out:
        out.truncate(offset)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for piece in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(piece)
    return digest.hexdigest()


class FinishedUpload(UploadedFile):
    """The finished file as Django's upload handlers give a large upload: storage moves it, never copies."""

    def __init__(self, path: Path, name: str, content_type: str, size: int):
        super().__init__(open(path, "rb"), name=name, content_type=content_type, size=size)  # noqa: SIM115
        self._path = str(path)

    def temporary_file_path(self) -> str:
        return self._path

    def close(self):
        try:
            return self.file.close()
        except FileNotFoundError:  # moved away by the storage
            pass


def exists(token: str) -> bool:
    return os.path.exists(partial_path(token))
