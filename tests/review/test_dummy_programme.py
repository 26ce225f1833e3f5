"""The tests' dummy programme as a proof of the contract.

Review side (reviewtestapp, kinds test.domestic / test.import on Dossier): a
guard that refuses 通过 with the programme's own reason (in ``perform``, on the
staff site's detail page and in a bulk action) and a transition only the system
actor may perform. Certificate side (certtestapp, kinds certtest.programme /
certtest.import on Programme): each kind's own numbers, template and wording,
and the sweep issuing each kind's certificate, never the other's.
"""

from __future__ import annotations

import logging
import re

import pytest
from pypdf import PdfReader

from review import certificates as certs
from review.engine import SYSTEM, NotPermitted, Refused, ReviewError, available_transitions, perform
from review.models import Certificate, OutboxEvent, ReviewRecord
from tests.review.certtestapp.factories import ProgrammeFactory
from tests.review.certtestapp.workflow import IMPORT_KIND, KIND
from tests.review.conftest import drain_outbox
from tests.review.factories import DossierFactory

pytestmark = pytest.mark.django_db

LIST = "/staff/reviewtestapp/dossier/"
REFUSAL = "尚有2位专家未评分，不能通过。"


def detail(dossier) -> str:
    return f"{LIST}{dossier.public_id}/change/"


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def pdf_text(certificate: Certificate) -> str:
    """The PDF's first page as text, without the line breaks and spaces of its layout."""
    return re.sub(r"\s+", "", PdfReader(certificate.pdf.path).pages[0].extract_text())


def buttons(response) -> list[tuple[str, str]]:
    return re.findall(
        r'<button type="submit" name="transition" value="(\w+)"[^>]*>([^<]+)</button>', response.content.decode()
    )


# --- the guard -------------------------------------------------------------------------------------


def test_the_guard_refuses_with_the_programmes_reason_and_changes_nothing(hunan_official):
    dossier = DossierFactory(state="in_review", scores_missing=2)

    with pytest.raises(Refused) as info:
        perform(dossier, "approve", actor=hunan_official)

    assert info.value.message == REFUSAL
    assert isinstance(info.value, ReviewError)
    dossier.refresh_from_db()
    assert dossier.state == "in_review"
    assert ReviewRecord.objects.count() == 0
    assert OutboxEvent.objects.count() == 0


def test_the_guard_reads_the_locked_row_not_the_callers_copy(hunan_official, ministry):
    late = DossierFactory(state="in_review", scores_missing=0)
    type(late).objects.filter(pk=late.pk).update(scores_missing=1)  # an expert's score was withdrawn meanwhile
    with pytest.raises(Refused) as info:
        perform(late, "approve", actor=hunan_official)
    assert info.value.message == "尚有1位专家未评分，不能通过。"

    scored = DossierFactory(state="in_review", scores_missing=1)
    type(scored).objects.filter(pk=scored.pk).update(scores_missing=0)  # the last score came in
    assert perform(scored, "approve", actor=ministry).state == "approved"


def test_the_guard_refusal_reaches_the_reviewer_on_the_detail_page(client, hunan_official, beijing_official):
    dossier = DossierFactory(name="待评分剧目", state="in_review", scores_missing=2)

    # The wrong official (another province) cannot even reach it.
    client.force_login(beijing_official)
    assert client.post(detail(dossier), {"transition": "approve", "comment": ""}).status_code == 404

    client.force_login(hunan_official)
    response = client.post(detail(dossier), {"transition": "approve", "comment": "同意"})

    assert response.status_code == 200
    assert page_messages(response) == [REFUSAL]
    assert REFUSAL in text(response)
    assert "同意</textarea>" in response.content.decode()  # what was typed is kept
    assert '<span class="review-state" data-testid="review-state">审核中</span>' in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == "in_review"

    type(dossier).objects.filter(pk=dossier.pk).update(scores_missing=0)
    done = client.post(detail(dossier), {"transition": "approve", "comment": "同意"}, follow=True)
    assert page_messages(done) == ["已通过：待评分剧目"]
    dossier.refresh_from_db()
    assert dossier.state == "approved"


def test_the_guard_refusal_is_listed_per_row_in_a_bulk_action(client, hunan_official):
    ready = DossierFactory(name="已评完", state="in_review")
    waiting = DossierFactory(name="待评分", state="in_review", scores_missing=2)
    client.force_login(hunan_official)

    response = client.post(
        LIST,
        {"action": "transition_approve", "_selected_action": [ready.pk, waiting.pk], "post": "yes", "comment": ""},
        follow=True,
    )

    assert page_messages(response) == ["已对 1 条申请执行“通过”。", f"待评分：{REFUSAL}"]
    assert sorted(type(ready).objects.values_list("name", "state")) == [("已评完", "approved"), ("待评分", "in_review")]


# --- the system actor ------------------------------------------------------------------------------


def test_only_the_system_closes_a_dossier_at_the_deadline(hunan_official, ministry, applicant):
    dossier = DossierFactory(state="submitted", organisation=applicant.organisation)

    for user in (hunan_official, ministry, applicant):
        with pytest.raises(NotPermitted) as info:
            perform(dossier, "close", actor=user)
        assert info.value.message == "您无权执行此操作。"
    assert ReviewRecord.objects.count() == 0

    closed = perform(dossier, "close", actor=SYSTEM)

    assert closed.state == "closed"
    record = ReviewRecord.objects.get()
    assert (record.actor, record.actor_name, record.actor_role) == (None, "系统", "system")
    assert (record.transition, record.action_label, record.from_state, record.to_state) == (
        "close",
        "截止关闭",
        "submitted",
        "closed",
    )


def test_the_system_may_do_nothing_but_its_own_transitions():
    dossier = DossierFactory(state="submitted")
    with pytest.raises(NotPermitted) as info:
        perform(dossier, "accept", actor=SYSTEM)
    assert info.value.message == "您无权执行此操作。"
    assert [t.name for t in available_transitions(SYSTEM, dossier)] == ["close"]


def test_the_reviewer_gets_no_button_for_the_system_transition(client, hunan_official, beijing_official):
    dossier = DossierFactory(name="到期剧目", state="submitted")
    assert [t.name for t in available_transitions(hunan_official, dossier)] == ["accept"]

    client.force_login(beijing_official)
    assert client.get(detail(dossier)).status_code == 404

    client.force_login(hunan_official)
    page = client.get(detail(dossier))
    assert buttons(page) == [("accept", "受理")]

    forged = client.post(detail(dossier), {"transition": "close", "comment": ""})
    assert page_messages(forged) == ["不支持的操作。"]
    dossier.refresh_from_db()
    assert dossier.state == "submitted"

    perform(dossier, "close", actor=SYSTEM)
    closed = client.get(detail(dossier))
    records = re.findall(r"<td>([^<]*)</td>", closed.content.decode().split('data-testid="review-records"')[1])
    assert records[1:4] == ["系统", "截止关闭", "待受理 → 已截止"]
    assert buttons(closed) == []


# --- certificates of two kinds on one model --------------------------------------------------------


def issued(programme) -> Certificate:
    certificate = certs.issue_certificate(programme.get_workflow_kind(), programme.pk)
    assert certificate is not None
    certs.render_and_store(certificate.pk)
    certificate.refresh_from_db()
    return certificate


def test_each_kind_numbers_its_own_certificates():
    domestic = issued(ProgrammeFactory(name="湘江夜话"))
    imported = issued(ProgrammeFactory(name="维也纳新年音乐会", kind="import"))

    assert (domestic.kind, domestic.number) == (KIND, "网演备〔2026〕湘字第000001号")
    assert (imported.kind, imported.number) == (IMPORT_KIND, "网演审〔2026〕湘字第000001号")
    assert imported.document["heading"] == "进口网络演出剧（节）目审查批准文件"


def test_a_kind_is_never_issued_for_another_kinds_subject(caplog):
    imported = ProgrammeFactory(kind="import")
    with caplog.at_level(logging.WARNING, logger="review.certificates.issue"):
        assert certs.issue_certificate(KIND, imported.pk) is None
    assert Certificate.objects.count() == 0
    assert caplog.messages == [f"certificate: {KIND} #{imported.pk} is of kind {IMPORT_KIND}; none issued"]


def test_the_import_certificate_is_printed_on_its_own_template_in_its_own_words():
    imported = issued(ProgrammeFactory(name="维也纳新年音乐会", kind="import", platform="芒果TV"))
    domestic = issued(ProgrammeFactory(name="湘江夜话"))

    page = pdf_text(imported)
    assert "批准文号：网演审〔2026〕湘字第000001号" in page
    assert "进口网络演出剧（节）目审查批准文件" in page
    assert "进口网络演出剧（节）目内容审查（测试模板）" in page
    assert "经审查，湖南芒果网络演艺有限公司引进的《维也纳新年音乐会》准予上线播出。" in page
    assert "引进节目名称维也纳新年音乐会" in page
    assert "本批准文件以核验页面显示的审查状态为准（测试措辞）。" in page
    assert "证照编号" not in page  # the default template's wording is not used

    default = pdf_text(domestic)
    assert "证照编号：网演备〔2026〕湘字第000001号" in default
    assert "名称湘江夜话" in default
    assert "本证明以核验页面显示的状态为准。" in default
    assert "测试模板" not in default and "引进" not in default


def test_the_verify_page_speaks_the_kinds_wording(client):
    imported = issued(ProgrammeFactory(name="维也纳新年音乐会", kind="import", platform="芒果TV"))
    domestic = issued(ProgrammeFactory(name="湘江夜话"))

    page = text(client.get(f"/verify/{imported.token}/"))
    assert "证照编号 网演审〔2026〕湘字第000001号" in page
    assert "证照类型 进口网络演出剧（节）目内容审查" in page
    assert "引进节目当前审查信息" in page
    assert "以上为该引进节目当前有效的审查信息（测试措辞）。" in page

    default = text(client.get(f"/verify/{domestic.token}/"))
    assert "证照类型 国产网络演出剧（节）目备案" in default
    assert "当前信息" in default and "以上为当前有效的信息；个人信息已做脱敏处理。" in default
    assert "引进节目" not in default


def test_the_sweep_issues_an_import_review_approved_while_the_broker_was_down_as_an_import_review(
    django_capture_on_commit_callbacks, hunan_official, caplog
):
    """The defect: the sweep ignored the kind and issued 网演备 (domestic) for an import review."""
    imported = ProgrammeFactory(name="维也纳新年音乐会", kind="import", state="submitted")
    domestic = ProgrammeFactory(name="湘江夜话", state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        perform(imported, "approve", actor=hunan_official)
        perform(domestic, "approve", actor=hunan_official)
        drain_outbox()
    assert sorted(Certificate.objects.values_list("kind", flat=True)) == [IMPORT_KIND, KIND]
    # The broker was down and an operator dropped the certificate rows: only the sweep is left.
    Certificate.objects.all().delete()
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="review.certificates.issue"):
        with django_capture_on_commit_callbacks(execute=True):
            result = certs.sweep(min_age_seconds=0)

    assert result["issued"] == 2
    by_subject = {c.object_id: c for c in Certificate.objects.all()}
    assert (by_subject[imported.pk].kind, by_subject[imported.pk].number) == (
        IMPORT_KIND,
        "网演审〔2026〕湘字第000002号",  # numbers are never reused
    )
    assert (by_subject[domestic.pk].kind, by_subject[domestic.pk].number) == (KIND, "网演备〔2026〕湘字第000002号")
    assert sorted(m for m in caplog.messages if " issued for " in m) == [
        f"certificate 网演备〔2026〕湘字第000002号 issued for {KIND} #{domestic.pk}",
        f"certificate 网演审〔2026〕湘字第000002号 issued for {IMPORT_KIND} #{imported.pk}",
    ]
    assert "引进节目名称维也纳新年音乐会" in pdf_text(by_subject[imported.pk])
