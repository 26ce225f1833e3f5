"""The embedded default (a SQLite file) answers concurrent writes without a 500 "database is locked".

The test database of the suite is in memory; here the schema is copied into a
real SQLite *file* opened with the portal's own settings
(``portal.settings.base.sqlite_database``), and every thread talks to it
through its own connection: the test client posts SMS logins and password
logins at once, as 30 phones would.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client

from portal.settings.base import SQLITE_OPTIONS, sqlite_database
from tests.conftest import last_sms_code
from tests.factories import PASSWORD, ApplicantFactory

pytestmark = [
    pytest.mark.django_db,
    # The copy of the schema is SQLite's own backup; on PostgreSQL the suite's race tests do this job.
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="the embedded SQLite default only"
    ),
]

SMS_LOGIN = "/accounts/login/sms/"
LOGIN = "/accounts/login/"


@pytest.fixture
def sqlite_file(tmp_path) -> Iterator[Callable[[], None]]:
    """A file copy of the test schema; returns ``use()``, which points this thread's "default" at it."""
    path = tmp_path / "embedded.sqlite3"
    source = connections["default"]
    source.ensure_connection()
    target = sqlite3.connect(path)
    source.connection.backup(target)
    target.close()
    config = connections.configure_settings({"default": sqlite_database(str(path))})["default"]
    original = connections["default"]
    main = threading.get_ident()
    in_main: list[DatabaseWrapper] = []

    def use() -> None:
        wrapper = DatabaseWrapper(dict(config), "default")
        connections["default"] = wrapper
        if threading.get_ident() == main:
            in_main.append(wrapper)

    try:
        yield use
    finally:
        connections["default"] = original
        for wrapper in in_main:
            wrapper.close()


def run_at_once(count: int, work: Callable[[int], int], use: Callable[[], None]) -> tuple[list[int], list[str]]:
    """Run ``work(i)`` in ``count`` threads released together; each thread has its own connection."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def thread(i: int) -> None:
        use()
        try:
            barrier.wait(timeout=30)
            status = work(i)
            with lock:
                statuses.append(status)
        except Exception as exc:  # what a 500 would have been
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return statuses, errors


def test_the_embedded_default_opens_sqlite_with_immediate_transactions_a_busy_timeout_and_wal(sqlite_file):
    assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert SQLITE_OPTIONS["timeout"] == 20
    sqlite_file()
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connections["default"].settings_dict["NAME"].endswith("embedded.sqlite3")


def test_thirty_parallel_sms_logins_on_a_sqlite_file_all_succeed(sqlite_file):
    sqlite_file()  # the main thread prepares the accounts in the file too
    phones = [f"1390000{i:04d}" for i in range(30)]
    users = {phone: ApplicantFactory(username=phone) for phone in phones}
    clients = [Client(REMOTE_ADDR=f"10.9.0.{i + 1}") for i in range(30)]

    def send(i: int) -> int:
        response = clients[i].post(
            SMS_LOGIN,
            {"phone": phones[i], "captcha_0": "k", "captcha_1": "PASSED", "sms_code": "", "action": "send_code"},
        )
        return response.status_code

    statuses, errors = run_at_once(30, send, sqlite_file)
    assert errors == []
    assert statuses == [200] * 30

    def login(i: int) -> int:
        response = clients[i].post(
            SMS_LOGIN, {"phone": phones[i], "sms_code": last_sms_code(phones[i]), "action": "login"}
        )
        assert response["Location"] == "/accounts/password/set/"
        assert clients[i].session["_auth_user_id"] == str(users[phones[i]].pk)
        return response.status_code

    statuses, errors = run_at_once(30, login, sqlite_file)
    assert errors == []
    assert statuses == [302] * 30


def test_ten_parallel_password_logins_and_failures_on_a_sqlite_file(sqlite_file):
    sqlite_file()
    phones = [f"1391000{i:04d}" for i in range(10)]
    for phone in phones:
        ApplicantFactory(username=phone)

    def login(i: int) -> int:
        password = PASSWORD if i % 2 == 0 else "Wrong2026password"  # failures write axes and audit rows
        response = Client(REMOTE_ADDR=f"10.9.1.{i + 1}").post(
            LOGIN, {"username": phones[i], "password": password, "captcha_0": "k", "captcha_1": "PASSED"}
        )
        return response.status_code

    statuses, errors = run_at_once(10, login, sqlite_file)
    assert errors == []
    assert sorted(statuses) == [200] * 5 + [302] * 5
