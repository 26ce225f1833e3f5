"""How the stack grows past one machine (issue 10), against the running stack (`make stack`):

* the Celery queues are split: a certificate is rendered by the certificates worker, the outbox's
  notifications (and the certificate's issue, an outbox event) carried out by the notifications worker,
  neither by another (their own log files, scripts/stack.sh);
* with a read replica (STACK_REPLICA: a streaming hot standby under STACK_STATE/pg), the statistics
  pages' queries reach the replica (its statement log) and their figures are the primary's.

    make stack && PORTAL_STACK_URL=http://127.0.0.1:8480 STACK_STATE=$PWD/var/stack \\
      .venv/bin/python -m pytest -q -n 0 tests/stack/test_stack_grow.py
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from .harness import BASE, ROOT, Client, probe, stack_env, wait_until

pytestmark = pytest.mark.skipif(not BASE, reason="PORTAL_STACK_URL is not set (make stack first)")

STATE = Path(os.environ.get("STACK_STATE", ROOT / "var" / "stack"))
QUEUES = ("default", "certificates", "notifications")


class Logs:
    """What each file has received since this object was made."""

    def __init__(self, *paths: Path):
        self.start = {path: path.stat().st_size if path.exists() else 0 for path in paths}

    def new(self, path: Path) -> str:
        with open(path, "rb") as file:
            file.seek(self.start[path])
            return file.read().decode("utf-8", "replace")


def worker_log(queue: str) -> Path:
    return STATE / "log" / f"worker-{queue}.log"


def test_a_certificate_is_made_by_the_certificates_worker_and_notifications_by_the_notifications_worker():
    logs = Logs(*(worker_log(q) for q in QUEUES))
    made = probe("approved")  # approved by an official: the outbox issues the certificate and tells the unit

    def finished():
        state = probe("filing", made["filing"])
        done = state["with_pdf"] == 1 and state["outbox"].get("pending") == 0 and state["outbox"].get("done", 0) >= 1
        return state if done else None

    state = wait_until(finished, timeout=180, interval=1, what="the certificate's PDF and the notifications")
    [number] = state["numbers"]
    serial = number[-7:-1]  # the six digits before 号: ASCII in any log format
    seen = {q: logs.new(worker_log(q)) for q in QUEUES}

    assert "Task review.tasks.render_certificate[" in seen["certificates"]
    assert [line for line in seen["certificates"].splitlines() if "PDF stored" in line and serial in line]
    assert "Task review.tasks.dispatch_outbox[" in seen["notifications"]
    assert [line for line in seen["notifications"].splitlines() if "issued for" in line and serial in line]
    # and by no other worker
    assert "review.tasks.render_certificate" not in seen["notifications"] + seen["default"]
    assert "review.tasks.dispatch_outbox" not in seen["certificates"] + seen["default"]


def csv_rows(answer) -> list[list[str]]:
    assert answer.status_code == 200, answer.status_code
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))[1:]


@pytest.mark.skipif(
    bool(BASE) and "DATABASE_REPLICA_URL" not in stack_env(),
    reason="the stack runs without a read replica (STACK_REPLICA=own, or a primary that allows replication)",
)
def test_the_statistics_pages_read_from_the_replica_and_show_the_primarys_figures():
    replica_log = STATE / "pg" / "replica.log"
    database = stack_env()["DATABASE_URL"].rsplit("/", 1)[1]
    session = probe("stats_session")
    client = Client()
    client.login_with_session(session["cookie_name"], session["cookie"])
    probe("approved")  # one more 湖南 application, written on the primary just now

    def same_figures():
        expected = probe("stats_expected", session["viewer"])["tables"]  # on the primary; the cache dropped
        log = Logs(replica_log)
        seen = {key: csv_rows(client.get(f"/supervision/statistics/mct/export/{key}.csv")) for key in expected}
        return (seen, log.new(replica_log)) if seen == expected else None

    seen, statements = wait_until(same_figures, timeout=60, interval=1, what="the replica's figures = the primary's")
    assert seen["province"][0][0] == "湖南省" and int(seen["province"][0][-1]) >= 1
    queries = [line for line in statements.splitlines() if f" {database} " in line and "statement:" in line]
    assert [q for q in queries if 'FROM "filings_filing"' in q and "GROUP BY" in q], statements[-3000:]
    assert not [q for q in queries if q.split("statement: ", 1)[1].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    page = client.get("/supervision/statistics/mct/")
    assert page.status_code == 200 and "按省份" in page.text


def test_a_burst_of_200_notifications_is_a_handful_of_dispatch_tasks_each_sent_once():
    log = Logs(worker_log("notifications"))
    burst = probe("burst", 200)  # 200 transactions, each asking for a dispatch

    def drained():
        state = probe("burst_state", burst["mark"], burst["reviewer"])
        return state if state["done"] == 200 else None

    state = wait_until(drained, timeout=180, interval=1, what="the 200 notifications")
    assert state == {"pending": 0, "done": 200, "messages": 200, "distinct": 200}  # each one, once
    lines = log.new(worker_log("notifications")).splitlines()
    tasks = [line for line in lines if "Task review.tasks.dispatch_outbox[" in line and "succeeded" in line]
    # not 200: one waiting task at a time, 50 events each (and beat's one a minute)
    assert 4 <= len(tasks) <= 20, len(tasks)
