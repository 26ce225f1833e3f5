"""On the embedded first run a request's side effects wait for the background loop (issue 12).

通过 took 1.6 s because the certificate PDF rendered inside the request. With
``BACKGROUND_LOOP_TASKS`` (portal.settings.run, ``make run``) the approval only records the
outbox event; ``run_periodic --loop`` issues the certificate and renders its PDF about a
second later — exactly one certificate however often it runs. Without the setting (tests,
eager tasks) everything still happens at commit, as before.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from filings.enums import FilingState
from filings.models import Filing
from review import certificates as certs
from review.certificates import background
from review.enums import OutboxStatus
from review.models import Certificate, Message, OutboxEvent
from tests.filings.factories import EnterpriseFactory, applicant, make_filing, official

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return EnterpriseFactory(name="湖南后台循环文化公司", province="430000")


@pytest.fixture
def member(unit):
    return applicant(unit)


@pytest.fixture
def reviewing(unit, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_filing(organisation=unit, by=member, state=FilingState.REVIEWING)


@pytest.fixture
def renders(monkeypatch):
    """Every PDF rendering (the slow part of 通过), counted."""
    calls = []
    real = certs.render.html_to_pdf

    def counting(html, *args, **kwargs):
        calls.append(1)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(certs.render, "html_to_pdf", counting)
    return calls


def approve(client, filing, django_capture_on_commit_callbacks):
    client.force_login(official("430000"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:filings_filing_change", args=[filing.public_id]), {"transition": "approve", "comment": ""}
        )
    assert response.status_code == 302
    assert Filing.objects.get(pk=filing.pk).state == FilingState.APPROVED


def certificates_of(filing):
    return list(Certificate.objects.filter(content_type=ContentType.objects.get_for_model(Filing), object_id=filing.pk))


def test_approval_leaves_the_certificate_and_notifications_to_the_loop(
    client, settings, reviewing, member, renders, django_capture_on_commit_callbacks
):
    settings.BACKGROUND_LOOP_TASKS = True
    messages_before = Message.objects.filter(recipient=member).count()

    approve(client, reviewing, django_capture_on_commit_callbacks)

    # Nothing slow ran inside the request: no certificate yet, no PDF, no message; the work is recorded.
    assert renders == []
    assert certificates_of(reviewing) == []
    assert Message.objects.filter(recipient=member).count() == messages_before
    assert OutboxEvent.objects.filter(status=OutboxStatus.PENDING, topic="certificate.issue").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        done = background.run_pending()

    assert done["dispatched"] >= 1 and done["rendered"] == 1
    [certificate] = certificates_of(reviewing)
    assert certs.has_pdf(certificate)
    assert renders == [1]
    assert Message.objects.filter(recipient=member).count() > messages_before
    assert not OutboxEvent.objects.filter(status=OutboxStatus.PENDING).exists()

    # The loop goes on running: still exactly one certificate, rendered once.
    with django_capture_on_commit_callbacks(execute=True):
        assert background.run_pending() == {"dispatched": 0, "rendered": 0}
        certs.sweep(min_age_seconds=0)
    assert len(certificates_of(reviewing)) == 1
    assert renders == [1]


def test_run_periodic_loop_carries_out_the_pending_work_between_its_passes(
    client, settings, reviewing, renders, django_capture_on_commit_callbacks
):
    """The loop `make run` starts does it (not the periodic outbox job: --only leaves that one out)."""
    settings.BACKGROUND_LOOP_TASKS = True
    approve(client, reviewing, django_capture_on_commit_callbacks)
    assert certificates_of(reviewing) == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", "--loop", "1", "--passes", "2", "--only", "purge_sms_codes")

    [certificate] = certificates_of(reviewing)
    assert certs.has_pdf(certificate)
    assert renders == [1]


def test_without_the_loop_setting_approval_still_issues_at_commit(
    client, settings, reviewing, renders, django_capture_on_commit_callbacks
):
    """Tests and eager tasks: the certificate and its PDF exist once the request has committed."""
    assert settings.BACKGROUND_LOOP_TASKS is False

    approve(client, reviewing, django_capture_on_commit_callbacks)

    [certificate] = certificates_of(reviewing)
    assert certs.has_pdf(certificate)
    assert renders == [1]


def test_a_failing_render_is_retried_later_not_on_every_pass(
    client, settings, reviewing, monkeypatch, django_capture_on_commit_callbacks
):
    settings.BACKGROUND_LOOP_TASKS = True
    approve(client, reviewing, django_capture_on_commit_callbacks)
    calls = []

    def broken(pk, **kwargs):
        calls.append(pk)
        raise OSError("disk full")

    monkeypatch.setattr(background, "render_and_store", broken)
    monkeypatch.setattr(background, "_failures", {})

    with django_capture_on_commit_callbacks(execute=True):
        assert background.run_pending()["rendered"] == 0  # logged, not raised: the loop goes on
        assert background.run_pending()["rendered"] == 0

    assert len(calls) == 1  # the second pass waits for the pause
    [certificate] = certificates_of(reviewing)
    assert not certs.has_pdf(certificate)
