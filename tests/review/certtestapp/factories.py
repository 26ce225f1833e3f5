"""Factories and helpers for the certificate tests (a programme of the test kind)."""

import factory

from review.certificates import issue_certificate, render_and_store
from review.models import Certificate
from tests.factories import OrganisationFactory

from .models import Programme
from .workflow import KIND


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory, name="湖南芒果网络演艺有限公司")
    province = "430000"
    kind = "domestic"  # or "import": the kind certtest.import on the same model
    state = "approved"
    name = factory.Sequence(lambda n: f"湘江夜话·线上音乐会第{n}季")
    contact_name = "李小龙"
    contact_phone = "13800000001"
    contact_email = "lixiaolong@example.cn"
    platform = "芒果TV"
    reference = factory.LazyAttributeSequence(lambda o, n: f"{'JK' if o.kind == 'import' else 'WY'}-湘-2026-{n:06d}")


def issue(programme: Programme, *, render: bool = True) -> Certificate:
    """Issue (and by default render) the certificate of an approved programme, bypassing the queue."""
    certificate = issue_certificate(KIND, programme.pk)
    assert certificate is not None
    if render:
        render_and_store(certificate.pk)
        certificate.refresh_from_db()
    return certificate


def certificate_files(root) -> list:
    """Every file (temporary ones included) under the private storage's certificates/ folder."""
    base = root / "certificates"
    return sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []
