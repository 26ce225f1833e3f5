"""Concurrent issuing on PostgreSQL: one certificate per programme, unique numbers, none reused."""

import threading

import pytest
from django.db import connection, connections

from review import certificates as certs
from review.models import Certificate
from tests.review.certtestapp.factories import ProgrammeFactory
from tests.review.certtestapp.workflow import KIND

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


def _run_concurrently(targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(func):
        try:
            barrier.wait()
            func()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_issue_of_one_programme_gives_one_certificate():
    programme = ProgrammeFactory()
    results = []
    errors = _run_concurrently([lambda: results.append(certs.issue_certificate(KIND, programme.pk))] * 6)
    assert errors == []
    assert Certificate.objects.count() == 1
    assert {c.pk for c in results} == {Certificate.objects.get().pk}
    assert Certificate.objects.get().number == "网演备〔2026〕湘字第000001号"


def test_concurrent_issue_of_many_programmes_gives_unique_consecutive_numbers():
    programmes = [ProgrammeFactory() for _ in range(8)]
    errors = _run_concurrently([lambda p=p: certs.issue_certificate(KIND, p.pk) for p in programmes])
    assert errors == []
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"网演备〔2026〕湘字第{n:06d}号" for n in range(1, 9)]
