"""What the tests against a running stack use: its environment, probes, a browser-like client,
and the extra processes a fault test starts and stops itself (a web node, a worker, a Redis
server, a TCP proxy in front of PostgreSQL). Everything listens on loopback only; every
process started here is stopped by the test that started it.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE = os.environ.get("PORTAL_STACK_URL", "").rstrip("/")
BIN = Path(sys.executable).parent


def stack_env() -> dict[str, str]:
    """The environment of the stack's processes (``scripts/stack.sh env``, same STACK_* variables as ours)."""
    out = subprocess.run(
        ["bash", "scripts/stack.sh", "env"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30
    ).stdout
    env = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return env


def process_env(**overrides: str) -> dict[str, str]:
    """os.environ with the stack's variables (and overrides) on top: for a subprocess."""
    env = {**os.environ, **stack_env(), **overrides}
    for name in ("PYTEST_XDIST_WORKER", "PORTAL_TEST_DB_NAME", "CAPTCHA_TEST_MODE"):
        env.pop(name, None)
    env["PYTHONPATH"] = str(ROOT)
    return env


def probe(action: str, *args, **overrides: str) -> dict:
    """Run ``tests/stack/probe.py ACTION ARGS`` in the stack's environment; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.stack.probe", action, *map(str, args)],
        cwd=ROOT,
        env=process_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("PROBE "):
            return json.loads(line[6:])
    raise AssertionError(f"probe {action} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout: float, interval: float = 0.3, what: str = "condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


# --- a browser-like client -----------------------------------------------------------------------


def _loopback_policy() -> http.cookiejar.DefaultCookiePolicy:
    """The stack speaks plain http on loopback (TLS ends in front of nginx in a deployment), but the
    production settings mark cookies Secure: send them back over http to 127.0.0.1, as a browser
    does for a trustworthy loopback origin."""
    return http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status_code = status
        self.headers = headers
        self.content = body

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


def fetch(url: str, *, method: str = "GET", data: bytes | None = None, headers=None, opener=None, timeout=30):
    """One request (the standard library only: the tests need nothing the suite does not install);
    redirects are not followed, an error status is an answer, not an exception."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    opener = opener or urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


class Client:
    """A browser-like client: cookies (Secure ones too, on loopback), the CSRF token and Origin on POST."""

    def __init__(self, base: str = ""):
        self.base = (base or BASE).rstrip("/")
        self.cookies = http.cookiejar.CookieJar(policy=_loopback_policy())
        self.opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str, **kwargs) -> Response:
        return fetch(self.base + path, opener=self.opener, headers={"User-Agent": "portal-stack-tests"}, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Response:
        fields = {"csrfmiddlewaretoken": self.csrf_token(), **data}
        headers = {
            "User-Agent": "portal-stack-tests",
            "Origin": self.base,
            "Referer": self.base + path,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return fetch(self.base + path, method="POST", data=body, headers=headers, opener=self.opener, **kwargs)

    def login_with_session(self, cookie_name: str, value: str) -> None:
        host = urllib.parse.urlsplit(self.base).hostname
        cookie = http.cookiejar.Cookie(
            0, cookie_name, value, None, False, host, False, False, "/", True, False, None, False, None, None, {}
        )
        self.cookies.set_cookie(cookie)

    def csrf_token(self) -> str:
        for cookie in self.cookies:
            if "csrftoken" in cookie.name:
                return cookie.value
        return ""


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


# --- processes a fault test starts ---------------------------------------------------------------


class Process:
    """A subprocess in its own process group (its children die with it), output in a log file."""

    def __init__(self, argv: list[str], log: Path, env: dict[str, str]):
        self.log = log
        self._out = open(log, "ab")  # closed in stop()
        self.process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        def seen():
            if self.process.poll() is not None and needle not in self.text():
                raise AssertionError(f"{self.log.name}: exited\n{self.text()[-3000:]}")
            return needle in self.text()

        wait_until(seen, timeout=timeout, what=f"{needle!r} in {self.log.name}")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        if not self._out.closed:
            self._out.close()


def web_node(port: int, log: Path, **overrides: str) -> Process:
    """One more gunicorn node with the stack's settings (and overrides), not behind nginx."""
    node = Process(
        [
            str(BIN / "gunicorn"),
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
            "--timeout",
            "30",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ],
        log,
        process_env(**overrides),
    )
    node.wait_for("Booting worker", timeout=60)
    wait_until(lambda: _answers(port), timeout=60, what=f"web node {port}")
    return node


def _answers(port: int) -> bool:
    try:
        fetch(f"http://127.0.0.1:{port}/healthz", timeout=5)
        return True
    except OSError:
        return False


def celery_worker(name: str, log: Path, *, render_delay: float = 0, queues: str = "", **overrides: str) -> Process:
    """A Celery worker like the stack's (tests/stack/slow_worker.py can slow certificate renders down), on
    ``queues`` (comma-separated; every queue when empty)."""
    worker = Process(
        [sys.executable, "-m", "tests.stack.slow_worker", name, *([queues] if queues else [])],
        log,
        process_env(STACK_TEST_RENDER_DELAY=str(render_delay), **overrides),
    )
    worker.wait_for("ready.", timeout=90)
    return worker


class RedisServer:
    """A private redis-server on a loopback port (the machine's own Redis is shared: never stopped)."""

    def __init__(self, port: int, folder: Path):
        self.port = port
        self.folder = folder
        self.proc: Process | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self) -> None:
        self.proc = Process(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            self.folder / f"redis-{self.port}.log",
            dict(os.environ),
        )
        self.proc.wait_for("Ready to accept connections", timeout=30)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()
            self.proc = None


class TcpProxy:
    """A TCP proxy on loopback in front of one address, which a test can cut (refuse and drop every
    connection, as an unreachable database server) and restore."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self._server: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            server, self._server = self._server, None
            connections, self._connections = self._connections, []
        if server is not None:
            server.close()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    close = cut

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _addr = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._server is not server:
                    client.close()
                    upstream.close()
                    return
                self._connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
