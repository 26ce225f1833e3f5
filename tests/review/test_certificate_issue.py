"""Issuing certificates: numbers, idempotency, the render task, the sweep, notifications."""

import datetime as dt
import os
import time
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django.utils import translation

from review import certificates as certs
from review.certificates import render
from review.engine import perform
from review.enums import CertificateStatus
from review.models import Certificate, Message, OutboxEvent, Sequence
from review.tasks import render_certificate, sweep_certificates
from tests.factories import ApplicantFactory, StaffFactory
from tests.review.certtestapp.factories import ProgrammeFactory, certificate_files, issue
from tests.review.certtestapp.models import Programme
from tests.review.certtestapp.workflow import KIND
from tests.review.conftest import drain_outbox

pytestmark = pytest.mark.django_db


def test_issue_certificate_numbers_and_fields():
    first = ProgrammeFactory(name="湘江夜话", reference="WY-湘-2026-000007")
    second = ProgrammeFactory()
    a = certs.issue_certificate(KIND, first.pk)
    b = certs.issue_certificate(KIND, second.pk)
    assert (a.number, b.number) == ("网演备〔2026〕湘字第000001号", "网演备〔2026〕湘字第000002号")
    assert a.kind == KIND
    assert a.title == "湘江夜话"
    assert a.reference == "WY-湘-2026-000007"
    assert a.organisation == first.organisation
    assert a.province == "430000"
    assert a.issuing_department == "湖南省文化和旅游厅"
    assert a.status == CertificateStatus.VALID
    assert a.pdf.name == ""
    assert len(a.token) >= 32 and a.token != b.token
    assert a.public_id != b.public_id
    assert Sequence.objects.get(key="cert:网演备:2026:430000").value == 2


def test_issue_date_is_the_beijing_date():
    programme = ProgrammeFactory()
    # 2026-12-31 17:30 UTC is already 2027-01-01 01:30 in Beijing.
    with time_machine.travel(dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC), tick=False):
        certificate = certs.issue_certificate(KIND, programme.pk)
    assert certificate.issued_on == dt.date(2027, 1, 1)


def test_issue_certificate_is_idempotent():
    programme = ProgrammeFactory()
    first = certs.issue_certificate(KIND, programme.pk)
    again = certs.issue_certificate(KIND, programme.pk)
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1
    # The second call consumed no number.
    assert Sequence.objects.get(key="cert:网演备:2026:430000").value == 1


def test_issue_refuses_an_object_not_approved():
    programme = ProgrammeFactory(state="submitted")
    assert certs.issue_certificate(KIND, programme.pk) is None
    assert Certificate.objects.count() == 0


def test_approval_issues_one_certificate_and_one_file_after_the_task_runs_twice(
    django_capture_on_commit_callbacks, settings
):
    applicant = ApplicantFactory(organisation__name="湖南芒果网络演艺有限公司")
    official = StaffFactory(profile__province="430000")
    programme = ProgrammeFactory(organisation=applicant.organisation, state="submitted", name="湘江夜话")
    with django_capture_on_commit_callbacks(execute=True):
        perform(programme, "approve", actor=official)
    # The approval wrote the outbox event in its transaction; dispatching issues the
    # certificate and (after commit, eagerly here) renders it.
    assert OutboxEvent.objects.filter(topic="certificate.issue").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    certificate = Certificate.objects.get()
    assert certificate.pdf.name == f"certificates/{certificate.issued_on:%Y}/{certificate.public_id}.pdf"
    digest = certificate.pdf_sha256
    # A redelivered task (or the sweep) runs it again: nothing changes.
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert render_certificate.apply(kwargs={"certificate_id": certificate.pk}).get() is False
            certs.issue_certificate(KIND, programme.pk)
    certificate.refresh_from_db()
    assert Certificate.objects.count() == 1
    assert certificate.pdf_sha256 == digest
    files = certificate_files(settings.PRIVATE_MEDIA_ROOT)
    assert [f.name for f in files] == [f"{certificate.public_id}.pdf"]
    assert files[0].read_bytes().startswith(b"%PDF-")


def test_certificate_ready_notifies_the_unit_once(django_capture_on_commit_callbacks):
    applicant = ApplicantFactory(organisation__name="湖南芒果网络演艺有限公司", email="boss@example.cn")
    programme = ProgrammeFactory(organisation=applicant.organisation, name="湘江夜话")
    certificate = certs.issue_certificate(KIND, programme.pk)
    certs.render_and_store(certificate.pk)
    certs.render_and_store(certificate.pk)
    drain_outbox()
    messages = list(Message.objects.filter(recipient=applicant))
    assert [m.title for m in messages] == ["证照已生成"]
    assert "湘江夜话" in messages[0].body
    assert messages[0].link == f"/certificates/{certificate.public_id}/"


def test_render_task_is_late_acked_retried_and_time_limited():
    task = render_certificate
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert OSError in task.autoretry_for and OperationalError in task.autoretry_for
    assert task.max_retries == 5
    assert task.retry_backoff
    assert 0 < task.soft_time_limit < task.time_limit


def test_render_failure_leaves_no_file_and_a_rerun_succeeds(settings, monkeypatch):
    certificate = certs.issue_certificate(KIND, ProgrammeFactory().pk)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(render.os, "replace", broken_replace)
    with pytest.raises(OSError):
        certs.render_and_store(certificate.pk)
    assert certificate_files(settings.PRIVATE_MEDIA_ROOT) == []
    certificate.refresh_from_db()
    assert certificate.pdf.name == "" and certificate.pdf_generated_at is None

    monkeypatch.undo()
    assert certs.render_and_store(certificate.pk) is True
    certificate.refresh_from_db()
    assert [f.name for f in certificate_files(settings.PRIVATE_MEDIA_ROOT)] == [f"{certificate.public_id}.pdf"]


def test_a_missing_file_is_rendered_again_in_place(settings):
    certificate = issue(ProgrammeFactory())
    os.remove(certificate.pdf.path)
    assert certs.has_pdf(certificate) is False
    assert certs.render_and_store(certificate.pk) is True
    certificate.refresh_from_db()
    assert [f.name for f in certificate_files(settings.PRIVATE_MEDIA_ROOT)] == [f"{certificate.public_id}.pdf"]


def test_sweep_requeues_missing_pdfs_and_missing_certificates(django_capture_on_commit_callbacks, settings):
    without_pdf = certs.issue_certificate(KIND, ProgrammeFactory(name="有证无PDF").pk)
    forgotten = ProgrammeFactory(name="已通过无证照")  # approved while the broker was down
    ProgrammeFactory(name="草稿", state="draft")
    old = time.time() - 600
    Certificate.objects.update(created_at=dt.datetime.fromtimestamp(old, dt.UTC))
    Programme.objects.update(updated_at=dt.datetime.fromtimestamp(old, dt.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_certificates.apply().get()
    assert result == {"rendering": 1, "issued": 1, "cleaned": 0}
    without_pdf.refresh_from_db()
    assert certs.has_pdf(without_pdf)
    issued = Certificate.objects.get(object_id=forgotten.pk)
    assert certs.has_pdf(issued)
    assert Certificate.objects.count() == 2
    assert len(certificate_files(settings.PRIVATE_MEDIA_ROOT)) == 2
    # A second sweep finds nothing to do.
    with django_capture_on_commit_callbacks(execute=True):
        assert certs.sweep(min_age_seconds=0) == {"rendering": 0, "issued": 0, "cleaned": 0}


def test_sweep_leaves_work_in_flight_alone():
    certs.issue_certificate(KIND, ProgrammeFactory().pk)
    ProgrammeFactory()
    assert certs.sweep(min_age_seconds=120) == {"rendering": 0, "issued": 0, "cleaned": 0}


def test_sweep_removes_stale_temporary_files(settings):
    folder = settings.PRIVATE_MEDIA_ROOT / "certificates" / "2026"
    folder.mkdir(parents=True)
    stale, fresh = folder / ".tmp-old.pdf", folder / ".tmp-new.pdf"
    stale.write_bytes(b"%PDF-half")
    fresh.write_bytes(b"%PDF-half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    assert certs.sweep(min_age_seconds=0)["cleaned"] == 1
    assert not stale.exists() and fresh.exists()


def test_sweep_command_reports_what_it_did(django_capture_on_commit_callbacks):
    certs.issue_certificate(KIND, ProgrammeFactory().pk)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_certificates", "--min-age", "0", stdout=out)
    assert out.getvalue().strip() == "rendering 1, issued 0, cleaned 0"
    assert certs.has_pdf(Certificate.objects.get())


def test_broker_down_at_issue_leaves_the_certificate_for_the_sweep(django_capture_on_commit_callbacks, monkeypatch):
    def down(**kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(render_certificate, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certs.issue_certificate(KIND, ProgrammeFactory().pk)
    certificate.refresh_from_db()
    assert certificate.pdf.name == ""
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        certs.sweep(min_age_seconds=0)
    certificate.refresh_from_db()
    assert certs.has_pdf(certificate)


def test_pdf_and_notification_are_chinese_whatever_the_active_language():
    applicant = ApplicantFactory()
    programme = ProgrammeFactory(organisation=applicant.organisation, name="湘江夜话")
    certificate = certs.issue_certificate(KIND, programme.pk)
    with translation.override("en"):
        html = certs.render_html(certificate)
        certs.render_and_store(certificate.pk)
    assert "证照编号" in html and "发证部门" in html
    drain_outbox()
    assert [m.title for m in Message.objects.filter(recipient=applicant)] == ["证照已生成"]


def test_pdf_prints_what_was_approved_even_if_rendered_later():
    programme = ProgrammeFactory(name="湘江夜话", platform="芒果TV")
    certificate = certs.issue_certificate(KIND, programme.pk)
    assert certificate.document["heading"] == "网络演出剧（节）目备案证明"
    assert certificate.document["details"] == [["播出平台", "芒果TV"]]
    Programme.objects.filter(pk=programme.pk).update(platform="别的平台")  # changed before the worker ran
    html = certs.render_html(Certificate.objects.select_related("organisation").get(pk=certificate.pk))
    assert "芒果TV" in html and "别的平台" not in html


def test_certificate_without_a_kept_document_renders_from_the_kind():
    programme = ProgrammeFactory(name="湘江夜话", platform="芒果TV")
    certificate = certs.issue_certificate(KIND, programme.pk)
    Certificate.objects.filter(pk=certificate.pk).update(document={})
    html = certs.render_html(Certificate.objects.select_related("organisation").get(pk=certificate.pk))
    assert "网络演出剧（节）目备案证明" in html and "芒果TV" in html


def test_qr_code_is_made_at_issue_and_made_again_if_the_site_moved(settings):
    from review.certificates.qr import qr_data_uri

    settings.SITE_URL = "https://a.example.cn"
    certificate = certs.issue_certificate(KIND, ProgrammeFactory().pk)
    assert certificate.document["qr"]["url"] == f"https://a.example.cn/verify/{certificate.token}/"
    context = certs.render_context(certificate)
    assert context["qr_data_uri"] == certificate.document["qr"]["data_uri"]
    settings.SITE_URL = "https://b.example.cn"
    context = certs.render_context(certificate)
    assert context["verify_url"] == f"https://b.example.cn/verify/{certificate.token}/"
    assert context["qr_data_uri"] == qr_data_uri(context["verify_url"])
