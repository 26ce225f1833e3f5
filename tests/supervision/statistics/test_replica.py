"""The statistics pages read from the read replica when there is one (common.replica), and from the
primary when there is none, when it is down, or when it fails in the middle of a page; never a write."""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from accounts.enums import Authority, StaffLevel
from common import replica
from filings.models import Filing
from portal import volume
from tests.factories import StaffFactory

MCT, NRTA = "/supervision/statistics/mct/", "/supervision/statistics/nrta/"
ROOT = Path(__file__).resolve().parents[3]


def _add_alias(settings, conf: dict):
    """The alias as DATABASE_REPLICA_URL would make it; its connection made by hand, since Django's test
    case refuses aliases it was not told of before the test (and this one exists only in the test)."""
    settings.DATABASES = {**settings.DATABASES, replica.REPLICA: conf}
    setattr(connections._connections, replica.REPLICA, load_backend(conf["ENGINE"]).DatabaseWrapper(conf, "replica"))
    replica._down_until = 0.0
    try:
        yield connections[replica.REPLICA]
    finally:
        connections[replica.REPLICA].close()
        delattr(connections._connections, replica.REPLICA)
        replica._down_until = 0.0


@pytest.fixture
def mirror(transactional_db, settings):
    """A "replica" alias on the test database itself (what TEST MIRROR does): committed rows are there."""
    default = connections["default"].settings_dict
    yield from _add_alias(settings, {**copy.deepcopy(default), "TEST": {**default["TEST"], "MIRROR": "default"}})


@pytest.fixture
def dead_replica(transactional_db, settings, tmp_path):
    """A "replica" alias nobody answers on: a closed port (PostgreSQL), a file in no folder (SQLite)."""
    conf = copy.deepcopy(connections["default"].settings_dict)
    if connection.vendor == "postgresql":
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        conf.update(HOST="127.0.0.1", PORT=str(port), OPTIONS={"connect_timeout": 2})
    else:
        conf.update(NAME=str(tmp_path / "no-such-folder" / "replica.sqlite3"))
    yield from _add_alias(settings, conf)


@pytest.fixture
def figures(transactional_db):
    volume.generate(filings=40, nominations=12, units=6, seed=11, say=lambda *_: None)


def ministry(authority):
    return StaffFactory(profile__authority=authority, profile__level=StaffLevel.MINISTRY, profile__province="")


def pages(client) -> dict[str, str]:
    """What a user reads: the MCT page (status) and its tables' CSV exports; the NRTA one's, as NRTA staff."""
    seen = {}
    for authority, url, keys in (
        (Authority.MCT, MCT, ("type_state", "province", "month", "time_type", "time_province")),
        (Authority.NRTA, NRTA, ("province",)),
    ):
        client.force_login(ministry(authority))
        assert client.get(url).status_code == 200
        for key in keys:
            answer = client.get(f"{url}export/{key}.csv")
            assert answer.status_code == 200
            seen[f"{url}{key}"] = answer.content.decode("utf-8-sig")
    return seen


def statistics_sql(queries) -> list[str]:
    return [q["sql"] for q in queries if '"filings_filing"' in q["sql"] or '"awards_nomination"' in q["sql"]]


def test_without_a_replica_the_pages_read_the_primary(client, figures):
    assert not replica.configured()
    client.force_login(ministry(Authority.MCT))
    with CaptureQueriesContext(connections["default"]) as on_default:
        page = client.get(MCT)
    assert page.status_code == 200
    assert statistics_sql(on_default.captured_queries)


def test_with_a_replica_the_statistics_read_it_and_the_figures_are_the_same(client, figures, mirror):
    replica._down_until = float("inf")  # first the primary's figures, for comparison
    expected = pages(client)
    replica._down_until = 0.0

    with CaptureQueriesContext(connections["default"]) as on_default, CaptureQueriesContext(mirror) as on_replica:
        seen = pages(client)

    assert seen == expected
    assert statistics_sql(on_default.captured_queries) == []  # none of the figures came from the primary
    assert len(statistics_sql(on_replica.captured_queries)) >= 8  # mct and nrta tables, the exports
    # the session, the user and the login above stayed on the primary; nothing was written on the replica
    assert not [q for q in on_replica.captured_queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert [q for q in on_default.captured_queries if q["sql"].startswith("UPDATE") or "INSERT" in q["sql"]]


def test_a_replica_that_is_down_is_skipped_and_the_page_is_correct(client, figures, dead_replica):
    client.force_login(ministry(Authority.MCT))
    with CaptureQueriesContext(connections["default"]) as on_default:
        page = client.get(MCT + "export/province.csv")
    assert page.status_code == 200
    total = Filing.objects.exclude(state="draft").count()
    assert total > 0
    assert statistics_sql(on_default.captured_queries)  # read from the primary instead
    assert replica.available() is False  # and not tried again for RETRY_SECONDS


def test_a_replica_failing_in_the_middle_of_a_page_is_read_again_from_the_primary(
    client, figures, dead_replica, monkeypatch
):
    client.force_login(ministry(Authority.MCT))
    monkeypatch.setattr(replica, "available", lambda: True)  # it answered the check, then died
    expected_rows = Filing.objects.exclude(state="draft").count()
    with CaptureQueriesContext(connections["default"]) as on_default:
        page = client.get(MCT)
    assert page.status_code == 200
    assert "按省份" in page.content.decode()
    assert statistics_sql(on_default.captured_queries)
    assert expected_rows > 0
    assert replica._down_until > 0


def test_the_router_never_writes_or_migrates_on_the_replica(mirror):
    router = replica.ReplicaRouter()
    with replica.replica_reads() as on_replica:
        assert on_replica is True
        assert Filing.objects.all().db == "replica"
        assert router.db_for_write(Filing) == "default"
        assert Filing.objects.db_manager("default").all().db == "default"
    assert Filing.objects.all().db == "default"  # outside: everything on the primary
    assert router.allow_migrate("replica", "filings") is False
    assert router.allow_migrate("default", "filings") is True


def test_settings_add_the_replica_alias_only_when_configured():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({k: [v['PORT'], v.get('OPTIONS', {}), v.get('TEST', {})] for k, v in settings.DATABASES.items()}))"
    )
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.base", "DATABASE_URL": "postgres://u@db:5432/p"}
    base.pop("DATABASE_REPLICA_URL", None)
    without = subprocess.run([sys.executable, "-c", code], env=base, cwd=ROOT, capture_output=True, text=True)
    with_replica = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DATABASE_REPLICA_URL": "postgres://u@standby:5433/p"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert list(__import__("json").loads(without.stdout)) == ["default"], without.stderr
    databases = __import__("json").loads(with_replica.stdout)
    port, options, test = databases["replica"]
    assert (port, options, test["MIRROR"]) == (5433, {"connect_timeout": 2}, "default")
