"""A minimal tus 1.0.0 client over Django's test client (what tus-js-client sends, request by request)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

ENDPOINT = "/uploads/tus/"
TUS = {"Tus-Resumable": "1.0.0"}


def metadata_header(metadata: dict[str, str]) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items())


def checksum_header(data: bytes, algorithm: str = "sha256") -> str:
    return f"{algorithm} {base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


@dataclass
class Tus:
    client: object

    def create(self, length: int, metadata: dict[str, str], **headers):
        return self.client.post(
            ENDPOINT,
            content_type="application/octet-stream",
            headers={**TUS, "Upload-Length": str(length), "Upload-Metadata": metadata_header(metadata), **headers},
        )

    def head(self, location: str, **headers):
        return self.client.head(location, headers={**TUS, **headers})

    def patch(self, location: str, offset: int, data: bytes, checksum: str | None = None, **headers):
        extra = {"Upload-Checksum": checksum} if checksum else {}
        return self.client.generic(
            "PATCH",
            location,
            data,
            content_type="application/offset+octet-stream",
            headers={**TUS, "Upload-Offset": str(offset), **extra, **headers},
        )

    def delete(self, location: str):
        return self.client.delete(location, headers=TUS)

    def upload(self, data: bytes, metadata: dict[str, str], chunk: int = 64 * 1024):
        """Create, then PATCH every chunk; returns (location, last response)."""
        created = self.create(len(data), metadata)
        assert created.status_code == 201, created.content.decode()
        location = created["Location"]
        response = created
        for offset in range(0, len(data), chunk):
            response = self.patch(location, offset, data[offset : offset + chunk])
            if response.status_code != 204:
                break
        return location, response
