"""make backup / make restore against the running stack: back its database and private files up,
restore them into a fresh database and folder, and find every filing, file and certificate again.

Run with the stack (PORTAL_STACK_URL and STACK_STATE, as .ci/run does); skipped otherwise.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from .harness import BASE, ROOT, probe, process_env, stack_env, wait_until

pytestmark = pytest.mark.skipif(
    not (BASE and os.environ.get("STACK_STATE")),
    reason="needs the running stack: PORTAL_STACK_URL and STACK_STATE (make stack first)",
)


def backup_sh(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "scripts/backup.sh", *args],
        cwd=ROOT,
        env=process_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def database_exists(name: str) -> bool:
    import psycopg2

    url = urllib.parse.urlsplit(stack_env()["DATABASE_URL"])._replace(path="/postgres").geturl()
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cur.fetchone() is not None


def drop_database(name: str) -> None:
    import psycopg2

    url = urllib.parse.urlsplit(stack_env()["DATABASE_URL"])._replace(path="/postgres").geturl()
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


@pytest.fixture
def restored_database():
    name = f"portal_restore_test_{secrets.token_hex(4)}"
    yield name
    drop_database(name)


def test_backup_then_restore_into_a_fresh_database_finds_every_filing_file_and_certificate(tmp_path, restored_database):
    made = probe("approved")  # a filing with its materials, approved: the stack's worker renders its certificate
    wait_until(
        lambda: probe("filing", made["filing"])["with_pdf"] == 1, timeout=120, interval=1, what="the certificate"
    )
    live = probe("filing", made["filing"])

    done = backup_sh("backup", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "backup"
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "db.dump", "inventory.json", "private.tar.gz"]
    backed_up = json.loads((folder / "inventory.json").read_text())
    assert backed_up["counts"]["filings.Filing"] >= 1 and backed_up["counts"]["review.Certificate"] >= 1
    assert backed_up["missing"] == []
    assert any(name.startswith("certificates/") for name in backed_up["files"])

    media = tmp_path / "restored-private"
    done = backup_sh("restore", str(folder), restored_database, str(media))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "restored and verified" in done.stdout
    restored = json.loads((folder / "inventory.restored.json").read_text())
    assert restored["counts"] == backed_up["counts"]
    assert restored["files"] == backed_up["files"]  # every file, same SHA-256

    # And the portal, pointed at the copy, finds the filing and its certificate as on the live stack.
    target = urllib.parse.urlsplit(stack_env()["DATABASE_URL"])._replace(path=f"/{restored_database}").geturl()
    again = probe("filing", made["filing"], DATABASE_URL=target, PRIVATE_MEDIA_ROOT=str(media))
    assert again == live
    assert (media / "certificates").is_dir()


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, restored_database):
    done = backup_sh("backup", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr
    damaged = tmp_path / "backup" / "private.tar.gz"
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))

    media = tmp_path / "restored-private"
    refused = backup_sh("restore", str(tmp_path / "backup"), restored_database, str(media))
    assert refused.returncode != 0
    assert "checksums" in refused.stderr and "not restoring" in refused.stderr
    assert not database_exists(restored_database)
    assert not media.exists()


def test_restore_never_overwrites_an_existing_database(tmp_path):
    done = backup_sh("backup", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr
    live = stack_env()["DATABASE_URL"].rsplit("/", 1)[1]
    refused = backup_sh("restore", str(tmp_path / "backup"), live, str(tmp_path / "media"))
    assert refused.returncode != 0
    assert "exists" in refused.stdout + refused.stderr
    shutil.rmtree(tmp_path / "media", ignore_errors=True)
    assert Path(stack_env()["PRIVATE_MEDIA_ROOT"]).is_dir()
