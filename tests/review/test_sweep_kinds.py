"""The certificate sweep, for EVERY registered kind.

``APPROVED_SUBJECTS`` maps each kind key to a factory of one approved subject
of that kind. A kind with a certificate provider and no entry here fails the
test: whoever registers a certificate-issuing kind adds its factory, and the
sweep is proved to issue that kind's own certificate (its number format, its
kind) for a subject lost while the broker was down.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Model

from filings.enums import FilingKind, FilingState
from review import certificates as certs
from review.engine import Kind, all_kinds, get_kind
from review.models import Certificate, OutboxEvent
from tests.filings.factories import EnterpriseFactory, make_filing
from tests.review.certtestapp.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

# Inside the NRTA 2026 Q2 applicant window, where the awards factories work.
AWARDS_CLOCK = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _filing(kind: str) -> Callable[[], Model]:
    def make():
        unit = EnterpriseFactory(name="湖南芒果网络演艺有限公司", province="430000")
        return make_filing(organisation=unit, kind=kind, state=FilingState.APPROVED, name="湘江夜话")

    return make


def _nomination(project_kind: str) -> Callable[[], Model]:
    """A work published in a quarter's list (the awards' approved state), made through awards' own factories."""

    def make():
        from tests.awards.factories import (
            IndividualFactory,
            InstitutionFactory,
            ProjectFactory,
            applicant,
            make_nomination,
            set_state,
        )

        with time_machine.travel(AWARDS_CLOCK, tick=False):
            organisation = (IndividualFactory if project_kind == "individual" else InstitutionFactory)(
                province="430000"
            )
            project = ProjectFactory(kind=project_kind)
            nomination = make_nomination(
                applicant(organisation), project, submit=True, name=f"山河新歌（{project_kind}）"
            )
            return set_state(nomination, "published")

    return make


APPROVED_SUBJECTS: dict[str, Callable[[], Model]] = {
    "filing.domestic": _filing(FilingKind.DOMESTIC),
    "filing.import": _filing(FilingKind.IMPORT),
    "certtest.programme": lambda: ProgrammeFactory(name="湘江夜话"),
    "certtest.import": lambda: ProgrammeFactory(name="维也纳新年音乐会", kind="import"),
    "awards.institution": _nomination("institution"),
    "awards.individual": _nomination("individual"),
}


def _lost(subject: Model) -> None:
    """What a broker outage leaves: an approved subject without certificate nor pending event."""
    Certificate.objects.all().delete()
    OutboxEvent.objects.all().delete()
    assert certs.certificate_for(subject) is None


def _numbers(kind: Kind, subject: Model, upto: int = 1) -> set[str]:
    """The first ``upto`` numbers of the kind's series for this subject (kinds may share a series: 网演备)."""
    spec = kind.certificate.spec(type(subject)._default_manager.get(pk=subject.pk))
    return {spec.format_number(n) for n in range(1, upto + 1)}


@pytest.mark.parametrize("key", sorted(k.key for k in all_kinds()))
def test_the_sweep_issues_each_kinds_own_certificate(key, django_capture_on_commit_callbacks):
    kind = get_kind(key)
    if kind.certificate is None:
        assert key not in APPROVED_SUBJECTS, f"{key!r} issues no certificate: nothing to sweep"
        return
    if key not in APPROVED_SUBJECTS:
        pytest.fail(
            f"kind {key!r} issues certificates but tests/review/test_sweep_kinds.py has no factory of an "
            "approved subject for it: add one to APPROVED_SUBJECTS"
        )
    subject = APPROVED_SUBJECTS[key]()
    assert subject.get_workflow_kind() == key
    assert subject.state in kind.approved_states
    _lost(subject)

    with django_capture_on_commit_callbacks(execute=True):
        result = certs.sweep(min_age_seconds=0)

    certificate = Certificate.objects.get()
    assert result["issued"] == 1
    assert (certificate.kind, certificate.object_id) == (key, subject.pk)
    assert {certificate.number} == _numbers(kind, subject)
    assert certs.has_pdf(certificate)


def test_one_sweep_issues_every_kind_beside_the_others(django_capture_on_commit_callbacks):
    """All kinds at once: the kinds sharing a model (filings, the test programme, awards) each get their own."""
    subjects = {key: make() for key, make in APPROVED_SUBJECTS.items()}
    Certificate.objects.all().delete()
    OutboxEvent.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        result = certs.sweep(min_age_seconds=0)

    assert result["issued"] == len(subjects)
    for key, subject in subjects.items():
        certificate = certs.certificate_for(subject)
        assert certificate is not None, key
        assert certificate.kind == key
        assert certificate.number in _numbers(get_kind(key), subject, upto=len(subjects)), key
    assert Certificate.objects.values("number").distinct().count() == len(subjects)
    # Nothing is left for a second sweep.
    with django_capture_on_commit_callbacks(execute=True):
        assert certs.sweep(min_age_seconds=0)["issued"] == 0


def test_every_kind_with_a_certificate_provider_has_a_factory():
    """The rule above, in one line of output: a kind with a provider is only accepted with a factory."""
    with_provider = {k.key for k in all_kinds() if k.certificate is not None}
    assert with_provider <= set(APPROVED_SUBJECTS)
    assert {"awards.institution", "awards.individual", "filing.domestic", "filing.import"} <= with_provider
