"""A 500 MB video through nginx by resumable (tus) upload, against the running stack: worker memory stays flat.

Run after `make stack` with PORTAL_STACK_URL set (skipped otherwise), e.g. on a stack of one's own:
    STACK_STATE=var/upl-stack STACK_PORT=8590 ... make stack
    PORTAL_STACK_URL=http://127.0.0.1:8590 STACK_STATE=var/upl-stack ... pytest tests/stack/test_stack_uploads.py
The chunks go nginx (/uploads/tus/: proxy_request_buffering off, a 17 MB body limit) → a gunicorn node →
a partial file under the stack's private folder, in 16 MB PATCH requests. The resident memory of every
gunicorn worker is read from /proc before and after; the upload is then downloaded again through the
X-Accel-Redirect location and compared by SHA-256, and deleted.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import threading
import time
from pathlib import Path

import pytest

from .harness import BASE, Client, fetch, probe, stack_env

pytestmark = pytest.mark.skipif(not BASE, reason="PORTAL_STACK_URL is not set (make stack first)")

MB = 1024 * 1024
CHUNK = 16 * MB
SIZE = int(os.environ.get("STACK_UPLOAD_MB", "500")) * MB
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x10mdat" + b"\x00" * 8


def _content(size: int):
    """The video's bytes, piece by piece (an MP4 header, then a repeated random block)."""
    block = hashlib.sha256(b"stack upload").digest() * (MB // 32)
    yield MP4_HEAD
    left = size - len(MP4_HEAD)
    while left > 0:
        yield block[: min(len(block), left)]
        left -= min(len(block), left)


def _chunks(size: int):
    buffer = bytearray()
    for piece in _content(size):
        buffer += piece
        while len(buffer) >= CHUNK:
            yield bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    if buffer:
        yield bytes(buffer)


def _workers(state: Path) -> dict[int, int]:
    """pid → VmRSS (kB) of every gunicorn worker of the stack's web nodes."""
    rss = {}
    for pidfile in state.glob("run/web-*.pid"):
        master = pidfile.read_text().strip()
        children = Path(f"/proc/{master}/task/{master}/children")
        for pid in children.read_text().split() if children.exists() else []:
            status = Path(f"/proc/{pid}/status").read_text()
            rss[int(pid)] = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
    return rss


class _Sampler(threading.Thread):
    """Reads the workers' RSS every 20 ms while the upload runs: a chunk held whole in memory, even for
    the moment of one request, shows up as a peak."""

    def __init__(self, state: Path):
        super().__init__(daemon=True)
        self.state, self.peak, self.stop = state, {}, threading.Event()

    def run(self):
        while not self.stop.is_set():
            for pid, kb in _workers(self.state).items():
                self.peak[pid] = max(self.peak.get(pid, 0), kb)
            time.sleep(0.02)


def _tus(client: Client, method: str, path: str, data: bytes | None = None, **headers):
    return fetch(
        client.base + path,
        method=method,
        data=data,
        opener=client.opener,
        timeout=300,
        headers={
            "Tus-Resumable": "1.0.0",
            "X-CSRFToken": client.csrf_token(),
            "Origin": client.base,
            "User-Agent": "portal-stack-tests",
            **headers,
        },
    )


def _metadata(values: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def _upload(client: Client, public_id: str, size: int, name: str) -> tuple[str, str, float]:
    digest = hashlib.sha256()
    for piece in _content(size):
        digest.update(piece)
    meta = {
        "target": "filings.material",
        "filename": name,
        "filetype": "video/mp4",
        "kind": "filing",
        "application": public_id,
        "item": "content_info",
        "sha256": digest.hexdigest(),
    }
    created = _tus(
        client, "POST", "/uploads/tus/", b"", **{"Upload-Length": str(size), "Upload-Metadata": _metadata(meta)}
    )
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    started = time.monotonic()
    offset = 0
    for chunk in _chunks(size):
        checksum = "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        answer = _tus(
            client,
            "PATCH",
            location,
            chunk,
            **{
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": str(offset),
                "Upload-Checksum": checksum,
            },
        )
        assert answer.status_code == 204, (offset, answer.status_code, answer.text)
        offset += len(chunk)
        assert answer.headers["Upload-Offset"] == str(offset)
    return location, digest.hexdigest(), time.monotonic() - started


def _material_link(client: Client, public_id: str, name: str) -> str:
    page = client.get(f"/filings/applications/{public_id}/edit/").text
    match = re.search(r'<a href="(/filings/files/[^"]+/)">' + re.escape(name) + "</a>", page)
    assert match, f"{name} is not listed in 材料上传"
    return match.group(1)


def test_500_mb_video_through_nginx_keeps_worker_memory_flat(capsys):
    state = Path(stack_env()["STACK_STATE"])
    draft = probe("draft")
    client = Client()
    client.login_with_session(draft["cookie_name"], draft["cookie"])
    public_id = draft["public_id"]
    assert client.get(f"/filings/applications/{public_id}/edit/").status_code == 200  # sets the CSRF cookie

    # nginx refuses a body larger than a chunk before it reaches a web node
    too_big = _tus(client, "PATCH", "/uploads/tus/0123/", b"\x00" * (18 * MB), **{"Upload-Offset": "0"})
    assert too_big.status_code == 413

    # warm every worker and its threads up (imports, first queries, a thread's first malloc arena) with
    # uploads of a few chunks each (nginx and gunicorn spread them over the nodes, workers and threads)
    for number in range(8):
        _upload(client, public_id, 40 * MB, f"预热{number}.mp4")
    before = _workers(state)
    sampler = _Sampler(state)
    sampler.start()
    try:
        location, sha, seconds = _upload(client, public_id, SIZE, "整场录像.mp4")
    finally:
        sampler.stop.set()
        sampler.join()
    after = _workers(state)

    growth = {pid: (after[pid] - before[pid]) / 1024 for pid in before if pid in after}
    peak = {pid: (sampler.peak.get(pid, 0) - before[pid]) / 1024 for pid in before}
    with capsys.disabled():
        print(
            f"\nstack upload: {SIZE // MB} MB in {seconds:.1f} s ({SIZE / MB / seconds:.0f} MB/s); gunicorn worker RSS "
            + ", ".join(
                f"{before[p] / 1024:.0f}→{after[p] / 1024:.0f} MB (peak +{peak[p]:.1f})" for p in sorted(growth)
            )
        )
    assert sorted(before) == sorted(after), "a worker was restarted during the upload"
    # flat: after the upload and at any moment of it, far below one 16 MB chunk
    assert max(growth.values()) < 8, growth
    assert max(peak.values()) < 8, peak

    # listed in 材料 and downloaded whole through nginx's protected location
    link = _material_link(client, public_id, "整场录像.mp4")
    download = client.get(link, timeout=300)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == sha
    assert _tus(client, "HEAD", location).headers["Upload-Offset"] == str(SIZE)
    # leave the stack as it was: the videos (and the warm-up ones) removed with the editor's 删除
    edit = f"/filings/applications/{public_id}/edit/"
    videos = re.findall(r'<a href="/filings/files/([^"/]+)/">(?:整场录像|预热\d)\.mp4</a>', client.get(edit).text)
    assert len(videos) == 9
    for token in videos:
        assert client.post(edit, {"action": f"file-delete:{token}"}).status_code == 302
    assert client.get(link).status_code == 404
