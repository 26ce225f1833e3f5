"""The page of a request whose database is unreachable (runs everywhere; the live fault is test_stack_faults)."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from portal.views import server_error


def handled(exc: Exception):
    request = RequestFactory().get("/filings/status/")
    try:
        raise exc
    except Exception:
        return server_error(request)


def test_an_unreachable_database_is_a_503_in_chinese_that_asks_to_try_again():
    response = handled(OperationalError('connection to server at "127.0.0.1", port 5432 failed'))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "服务暂时不可用，请稍后再试" in text
    assert "没有保存" in text


def test_a_database_error_raised_from_another_one_is_also_a_503():
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as first:
        wrapped = RuntimeError("while rendering")
        wrapped.__cause__ = first
    assert handled(wrapped).status_code == 503


@pytest.mark.django_db
def test_any_other_error_stays_the_500_page():
    response = handled(ValueError("a bug"))
    assert response.status_code == 500
    assert "服务暂时不可用" not in response.content.decode()
