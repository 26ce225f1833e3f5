"""docker-compose.yml's read replica: its two scripts, run here as the postgres image runs them.

deploy/postgres/10-replication.sh (the primary's initdb hook) and deploy/postgres/replica.sh (the entrypoint
of the service postgres-replica) are run against a primary of the test's own, made with this machine's
PostgreSQL server binaries: before the hook, the replica is refused; after it, the replica copies the
primary, streams from it as a hot standby and refuses writes.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "deploy" / "postgres"
BINS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
pytestmark = pytest.mark.skipif(not BINS, reason="needs PostgreSQL's server binaries (apt-get install postgresql)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """Runs commands as the user postgres (when we are root) with the server binaries first on PATH."""

    def __init__(self, base: Path):
        self.base = base
        self.env = {"PATH": f"{BINS[-1]}:{os.environ['PATH']}", "LANG": "C.UTF-8", "HOME": str(base)}

    def run(self, *args, env=None, check=True, **kwargs):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # runuser drops the environment: pass it through env(1)
        full = {**self.env, **(env or {})}
        command = [*prefix, "env", *(f"{k}={v}" for k, v in full.items()), *map(str, args)]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120, **kwargs)

    def popen(self, *args, env=None, log=None):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        full = {**self.env, **(env or {})}
        command = [*prefix, "env", *(f"{k}={v}" for k, v in full.items()), *map(str, args)]
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def sql(self, port: int, query: str, user="postgres", check=True):
        out = self.run(
            "psql",
            "-X",
            "-Atq",
            "-h",
            "127.0.0.1",
            "-p",
            port,
            "-U",
            user,
            "-d",
            "postgres",
            "-c",
            query,
            env={"PGPASSWORD": "pw-of-portal"},
            check=check,
        )
        return out.stdout.strip() if check else out


@pytest.fixture
def cluster():
    base = Path(tempfile.mkdtemp(prefix="compose-replica-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    base.chmod(0o700)
    c = Cluster(base)
    yield c
    for data in ("primary", "replica"):
        if (base / data / "postmaster.pid").exists():
            c.run("pg_ctl", "-D", base / data, "-m", "immediate", "-w", "stop", check=False)
    shutil.rmtree(base, ignore_errors=True)


def wait_until(predicate, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_compose_wires_the_replica_to_the_scripts():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert (
        "./deploy/postgres/10-replication.sh:/docker-entrypoint-initdb.d/10-replication.sh:ro"
        in (services["postgres"]["volumes"])
    )
    replica = services["postgres-replica"]
    assert replica["profiles"] == ["replica"] and replica["user"] == "postgres"
    assert "./deploy/postgres/replica.sh:/usr/local/bin/portal-replica.sh:ro" in replica["volumes"]
    assert replica["entrypoint"] == ["bash", "/usr/local/bin/portal-replica.sh"]
    assert replica["environment"]["REPLICA_PRIMARY_HOST"] == "postgres"
    assert "pgreplica" in compose["volumes"]
    example = (ROOT / "deploy" / "env.example").read_text()
    assert "# DATABASE_REPLICA_URL=postgres://portal:change-me@postgres-replica:5432/portal" in example
    assert "# POSTGRES_REPLICATION_PASSWORD=" in example


def test_the_replica_copies_and_streams_from_the_primary(cluster):
    base = cluster.base
    primary, replica = free_port(), free_port()
    cluster.run("initdb", "-D", base / "primary", "-U", "postgres", "--auth=trust", "-E", "UTF8")
    # as in the postgres image: passwords for every TCP connection, and no replication line of its own
    (base / "primary" / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
    cluster.run(
        "pg_ctl",
        "-D",
        base / "primary",
        "-l",
        base / "primary.log",
        "-w",
        "start",
        "-o",
        f"-p {primary} -c listen_addresses=127.0.0.1 -k {base}",
    )
    cluster.run(
        "psql",
        "-X",
        "-q",
        "-h",
        base,
        "-p",
        primary,
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-c",
        "ALTER ROLE postgres PASSWORD 'pw-of-portal'; CREATE TABLE filed (n int); INSERT INTO filed VALUES (1);",
    )
    env = {
        "PGDATA": base / "replica",
        "POSTGRES_REPLICATION_PASSWORD": "pw-of-replication",
        "REPLICA_PRIMARY_HOST": "127.0.0.1",
        "REPLICA_PRIMARY_PORT": primary,
    }
    args = ("bash", SCRIPTS / "replica.sh", "-p", replica, "-c", "listen_addresses=127.0.0.1", "-k", base)

    # Before the primary's hook: no replication role, no pg_hba.conf line — the copy is refused.
    refused = cluster.run(*args, env=env, check=False)
    assert refused.returncode != 0 and "pg_basebackup" in refused.stderr
    assert not (base / "replica" / "PG_VERSION").exists()
    # And without its password the script says what is missing.
    missing = cluster.run(*args, env={**env, "POSTGRES_REPLICATION_PASSWORD": ""}, check=False)
    assert missing.returncode != 0 and "POSTGRES_REPLICATION_PASSWORD is not set" in missing.stderr

    hook = cluster.run(
        "bash",
        SCRIPTS / "10-replication.sh",
        env={
            "POSTGRES_USER": "postgres",
            "POSTGRES_DB": "postgres",
            "PGDATA": base / "primary",
            "PGHOST": base,
            "PGPORT": primary,
            "POSTGRES_REPLICATION_PASSWORD": "pw-of-replication",
        },
    )
    assert "role replicator may stream" in hook.stdout
    cluster.run("pg_ctl", "-D", base / "primary", "reload")

    with open(base / "replica-out.log", "w") as log:
        server = cluster.popen(*args, env=env, log=log)
        try:
            assert wait_until(lambda: cluster.sql(replica, "SELECT 1", check=False).returncode == 0, 60), (
                base / "replica-out.log"
            ).read_text()
            assert cluster.sql(replica, "SELECT pg_is_in_recovery()") == "t"
            assert cluster.sql(replica, "SELECT n FROM filed") == "1"
            # streaming: a row committed on the primary appears on the standby
            cluster.sql(primary, "INSERT INTO filed VALUES (2)")
            assert wait_until(lambda: cluster.sql(replica, "SELECT count(*) FROM filed") == "2", 30)
            # read-only
            write = cluster.sql(replica, "INSERT INTO filed VALUES (3)", check=False)
            assert write.returncode != 0 and "read-only transaction" in write.stderr
            assert cluster.sql(primary, "SELECT client_addr, state FROM pg_stat_replication") == "127.0.0.1|streaming"
        finally:
            server.terminate()
            server.wait(30)
