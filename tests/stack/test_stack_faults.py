"""Faults against the running production stack (issue 10): a part of it goes away, the portal copes.

* a Celery worker SIGKILLed in the middle of a certificate → exactly one certificate and one file
  once a worker runs again;
* Redis gone during 提交 → the submission is saved and acknowledged; its notification and (after the
  approval) its certificate follow when Redis returns;
* PostgreSQL unreachable → a 503 page in Chinese, nothing half written, and the same node serves
  again as soon as the database answers (no restart);
* a gunicorn node reloaded (HUP) and restarted (TERM) behind nginx → no request lost (nginx sends
  them to the other node); every node down → nginx's own 503 page in Chinese, with the headers.

The machine's PostgreSQL and Redis are shared, so they are never stopped: a test that takes Redis
away starts a private redis-server and one more web node and worker pointed at it; the one that
takes PostgreSQL away puts a TCP proxy it can cut between one more web node and the server. Run
them after ``make stack`` with the stack's URL and state folder (``.ci/run`` does)::

    PORTAL_STACK_URL=http://127.0.0.1:8480 STACK_STATE=$PWD/var/stack \\
      .venv/bin/python -m pytest -q -n 0 -m stack_faults tests/stack/test_stack_faults.py

They stop and start parts of that stack (its worker, one web node) and leave it running as found.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest

from .harness import (
    BASE,
    ROOT,
    Client,
    RedisServer,
    TcpProxy,
    celery_worker,
    fetch,
    free_port,
    probe,
    stack_env,
    wait_until,
    web_node,
)

pytestmark = [
    pytest.mark.stack_faults,
    pytest.mark.skipif(
        not (BASE and os.environ.get("STACK_STATE")),
        reason="needs the running stack: PORTAL_STACK_URL and STACK_STATE (make stack first)",
    ),
]

STATE = Path(os.environ.get("STACK_STATE", ROOT / "var" / "stack"))
WORKER_QUEUES = ("default", "certificates", "notifications")


def pid_of(name: str) -> int | None:
    path = STATE / "run" / f"{name}.pid"
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def stop_and_wait(name: str, sig: int = signal.SIGTERM, timeout: float = 40) -> None:
    pid = pid_of(name)
    assert pid, f"the stack's {name} is not running"
    os.kill(pid, sig)
    wait_until(lambda: pid_of(name) is None, timeout=timeout, what=f"{name} to stop")


def revive() -> None:
    """Start again what of the stack is not running (scripts/stack.sh revive waits for the web nodes)."""
    subprocess.run(["bash", "scripts/stack.sh", "revive"], cwd=ROOT, check=True, timeout=180)


def check_url(public_id: str) -> str:
    return f"/filings/applications/{public_id}/check/"


def logged_in(base: str, draft: dict) -> Client:
    client = Client(base)
    client.login_with_session(draft["cookie_name"], draft["cookie"])
    page = client.get(check_url(draft["public_id"]))
    assert page.status_code == 200, page.status_code
    assert "确认提交" in page.text
    return client


# --- 1. a worker killed in the middle of a certificate ------------------------------------------


def test_a_worker_killed_mid_certificate_leaves_exactly_one_certificate(tmp_path):
    stop_and_wait("worker-certificates")  # the stack's certificates worker; a slow one takes its place on its queue
    slow = None
    try:
        slow = celery_worker("stack-slow-worker", tmp_path / "slow-worker.log", render_delay=60, queues="certificates")
        made = probe("approved")  # approved by an official: the outbox issues the certificate, the worker renders
        slow.wait_for("Task review.tasks.render_certificate[", timeout=90)
        time.sleep(1.5)  # inside the (slowed) render
        slow.kill()  # SIGKILL, the worker and its pool process
        halfway = probe("filing", made["filing"])
        assert halfway["state"] == "approved"
        assert (halfway["certificates"], halfway["with_pdf"], halfway["files"]) == (1, 0, [])
    finally:
        if slow is not None:
            slow.stop()
        revive()  # the stack's certificates worker again
    probe("sweep")  # what beat runs every 5 minutes (sweep_certificates), now

    def rendered():
        state = probe("filing", made["filing"])
        return state if state["with_pdf"] else None

    final = wait_until(rendered, timeout=240, interval=1, what="the certificate's PDF")
    assert final["certificates"] == 1
    assert len(final["files"]) == 1 and final["files"][0].endswith(".pdf")


# --- 2. Redis gone during 提交 --------------------------------------------------------------------


@pytest.mark.skipif(not RedisServer.available(), reason="redis-server is not installed")
def test_redis_gone_during_submit_the_submission_is_saved_and_the_rest_follows(tmp_path):
    redis = RedisServer(free_port(), tmp_path)
    redis.start()
    private = f"redis://127.0.0.1:{redis.port}/0"
    port = free_port()
    node = worker = None
    # The stack's own workers and beat share the database and would carry out the outbox through the
    # machine's Redis: stopped meanwhile, so that only Redis' return can make the rest follow.
    stop_and_wait("beat")
    for queue in WORKER_QUEUES:
        stop_and_wait(f"worker-{queue}")
    try:
        node = web_node(port, tmp_path / "node.log", REDIS_URL=private)
        worker = celery_worker("stack-redis-fault", tmp_path / "worker.log", REDIS_URL=private)
        draft = probe("draft")
        client = logged_in(f"http://127.0.0.1:{port}", draft)

        redis.stop()
        answer = client.post(check_url(draft["public_id"]), data={})
        assert answer.status_code == 302, answer.text[-1500:]
        assert answer.headers["Location"] == "/filings/status/"
        status = client.get("/filings/status/")
        assert status.status_code == 200
        assert "提交成功" in status.text
        saved = probe("filing", draft["filing"], draft["reviewer"], REDIS_URL=private)
        assert saved["state"] == "submitted" and saved["reference"]
        assert saved["reference"] in status.text
        assert saved["records"] == 1
        assert saved["outbox"]["pending"] >= 1  # the reviewers' notification waits in the outbox
        assert saved["messages"] == 0

        # Still without Redis, the official accepts and approves: the certificate waits too.
        decided = probe("decide", draft["filing"], draft["reviewer"], REDIS_URL=private)
        assert decided["state"] == "approved"
        assert decided["certificates"] == 0

        redis.start()  # Redis returns (empty: what was never sent is in the outbox, not in a queue)

        def followed():
            probe("dispatch", REDIS_URL=private)  # what beat runs every minute (dispatch_outbox), now
            state = probe("filing", draft["filing"], draft["reviewer"], REDIS_URL=private)
            return state if state["messages"] == 1 and state["with_pdf"] == 1 else None

        final = wait_until(followed, timeout=120, interval=1, what="the notification and the certificate")
        assert final["certificates"] == 1 and len(final["files"]) == 1
        assert final["outbox"]["failed"] == 0
        assert "Task review.tasks.render_certificate[" in worker.text()
    finally:
        for process in (worker, node):
            if process is not None:
                process.stop()
        redis.stop()
        revive()


# --- 3. PostgreSQL unreachable ---------------------------------------------------------------------


def test_database_unreachable_gives_a_503_in_chinese_writes_nothing_and_recovers_without_restart(tmp_path):
    env = stack_env()
    pg = urllib.parse.urlsplit(env["DATABASE_URL"])
    proxy = TcpProxy((pg.hostname or "127.0.0.1", pg.port or 5432))
    through_proxy = pg._replace(netloc=f"{pg.username or 'postgres'}@127.0.0.1:{proxy.port}").geturl()
    port = free_port()
    node = None
    try:
        node = web_node(port, tmp_path / "node.log", DATABASE_URL=through_proxy)
        draft = probe("draft")
        client = logged_in(f"http://127.0.0.1:{port}", draft)
        assert client.get("/").status_code == 200

        proxy.cut()
        for answer in (client.get("/"), client.post(check_url(draft["public_id"]), data={})):
            assert answer.status_code == 503, (answer.status_code, answer.text[:500])
            assert "text/html" in answer.headers["Content-Type"]
            assert "服务暂时不可用" in answer.text and "请稍后再试" in answer.text
            assert answer.headers.get("Retry-After")
            assert "Traceback" not in answer.text
        health = fetch(f"http://127.0.0.1:{port}/healthz")
        assert health.status_code == 503 and health.json()["database"] == "down"
        untouched = probe("filing", draft["filing"], draft["reviewer"])
        assert (untouched["state"], untouched["records"], untouched["reference"]) == ("draft", 0, "")

        proxy.restore()  # the same node, not restarted, serves again: every thread's connection
        answers = Counter(client.get("/").status_code for _ in range(12))
        assert answers == Counter({200: 12})
        assert fetch(f"http://127.0.0.1:{port}/healthz").status_code == 200
        submitted = client.post(check_url(draft["public_id"]), data={})
        assert submitted.status_code == 302
        assert probe("filing", draft["filing"], draft["reviewer"])["state"] == "submitted"
        assert node.process.poll() is None
    finally:
        if node is not None:
            node.stop()
        proxy.cut()


# --- 4. a gunicorn node restarted behind nginx -----------------------------------------------------


def test_a_web_node_reloaded_and_restarted_behind_nginx_loses_no_request():
    victim = f"web-{os.environ.get('STACK_WEB_PORTS', '8481 8482').split()[0]}"
    stop = threading.Event()
    results: list[int | str] = []

    def load():
        while not stop.is_set():
            try:
                results.append(fetch(BASE + "/accounts/login/").status_code)
            except OSError as exc:
                results.append(type(exc).__name__)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        os.kill(pid_of(victim), signal.SIGHUP)  # graceful reload: new workers, the old ones finish
        time.sleep(4)
        stop_and_wait(victim)  # TERM: stops accepting, finishes what is in flight, exits
        time.sleep(2)  # the other node serves alone
        revive()  # and the node comes back
        time.sleep(2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    counted = Counter(results)
    assert sum(counted.values()) > 50, counted
    assert counted == Counter({200: counted[200]}), counted


def test_with_every_web_node_down_nginx_answers_a_clear_503_in_chinese():
    nodes = [f"web-{port}" for port in os.environ.get("STACK_WEB_PORTS", "8481 8482").split()]
    try:
        for node in nodes:
            stop_and_wait(node)
        for answer in (fetch(BASE + "/accounts/login/"), fetch(BASE + "/accounts/login/", method="POST", data=b"x=1")):
            assert answer.status_code == 503
            assert "服务暂时不可用，请稍后再试" in answer.text
            assert answer.headers["Retry-After"] == "10"
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
            assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        revive()
    # nginx tries a failed node again after fail_timeout (5 s, deploy/nginx.conf): recovered within it, no restart
    deadline = time.monotonic() + 15
    while fetch(BASE + "/accounts/login/").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert fetch(BASE + "/accounts/login/").status_code == 200
