"""The certificate side of the tests' dummy programme: 草稿 → 待受理 → 已通过 (通过 issues a certificate).

Two kinds share the model ``Programme`` (told apart by ``Programme.kind``, the
kinds' ``discriminator``), each with its own certificate provider: a domestic
filing numbered 网演备 on the engine's default template, and an import review
numbered 网演审 on a template and wording of its own (templates/certtestapp/).
The sweep must issue each kind's certificate, never one for the other.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common import regions
from common.validators import mask_email, mask_name, mask_phone
from review import engine as workflow
from review.certificates import CertificateProvider, CertificateSpec, Wording
from review.engine.rules import may_review
from review.engine.selectors import scope_for_reviewer
from review.enums import Role

from .models import Programme

KIND = "certtest.programme"
IMPORT_KIND = "certtest.import"
YEAR = 2026


def _can_act(user, obj, transition):
    if Role.APPLICANT in transition.roles:
        return user.organisation_id == obj.organisation_id
    return may_review(user, authority="mct", province=obj.province)


def _side_effects(obj, transition, actor, comment):
    if transition.name == "approve":
        yield "certificate.issue", {"kind": obj.get_workflow_kind(), "id": obj.pk}


def _apply(obj, step):
    transition = step.transition
    if transition.name == "apply_change" and obj.pending_platform:
        obj.platform, obj.pending_platform = obj.pending_platform, ""
        return ["platform", "pending_platform"]
    if transition.name == "submit" and not obj.reference:
        prefix = "JK" if obj.kind == "import" else "WY"
        obj.reference = f"{prefix}-{regions.get(obj.province).abbr}-{YEAR}-{obj.pk:06d}"
        return ["reference"]
    return []


def _public_details(obj):
    return [
        ("网络演出剧(节)目名称", obj.name),
        ("播出平台", obj.platform),
        ("演出联系人", mask_name(obj.contact_name)),
        ("联系电话", mask_phone(obj.contact_phone)),
        ("电子邮箱", mask_email(obj.contact_email)),
    ]


class DomesticCertificates(CertificateProvider):
    """网演备〔2026〕湘字第000001号 on the engine's default template and wording."""

    def spec(self, obj):
        region = regions.get(obj.province)
        return CertificateSpec(
            organisation=obj.organisation,
            province=obj.province,
            title=obj.name,
            reference=obj.reference,
            issuing_department=region.culture_dept,
            sequence_key=f"cert:网演备:{YEAR}:{obj.province}",
            format_number=lambda n: f"网演备〔{YEAR}〕{region.abbr}字第{n:06d}号",
            kind_label="国产网络演出剧（节）目备案",
            heading="网络演出剧（节）目备案证明",
            details=[("播出平台", obj.platform)],
        )

    def public_details(self, obj):
        return _public_details(obj)


class ImportCertificates(CertificateProvider):
    """网演审〔2026〕湘字第000001号 on its own template, in its own words."""

    template_name = "certtestapp/certificate.html"
    wording = Wording(
        title_label="引进节目名称",
        details_heading="引进节目当前审查信息",
        details_note="以上为该引进节目当前有效的审查信息（测试措辞）。",
        pdf_note="本批准文件以核验页面显示的审查状态为准（测试措辞）。",
    )

    def spec(self, obj):
        region = regions.get(obj.province)
        return CertificateSpec(
            organisation=obj.organisation,
            province=obj.province,
            title=obj.name,
            reference=obj.reference,
            issuing_department=region.culture_dept,
            sequence_key=f"cert:网演审:{YEAR}:{obj.province}",
            format_number=lambda n: f"网演审〔{YEAR}〕{region.abbr}字第{n:06d}号",
            kind_label="进口网络演出剧（节）目内容审查",
            heading="进口网络演出剧（节）目审查批准文件",
            statement=f"经审查，{obj.organisation.name}引进的《{obj.name}》准予上线播出。",
            details=[("播出平台", obj.platform)],
        )

    def public_details(self, obj):
        return _public_details(obj)


TRANSITIONS = workflow.transitions(
    workflow.Transition("submit", ("draft",), "submitted", (Role.APPLICANT,), _("提交")),
    workflow.Transition("approve", ("submitted",), "approved", (Role.REVIEWER, Role.MINISTRY), _("通过")),
    workflow.Transition("apply_change", ("approved",), "approved", (Role.REVIEWER, Role.MINISTRY), _("通过变更")),
)

for key, kind, label, provider in (
    (KIND, "domestic", _("国产网络演出剧（节）目备案"), DomesticCertificates()),
    (IMPORT_KIND, "import", _("进口网络演出剧（节）目内容审查"), ImportCertificates()),
):
    workflow.register(
        workflow.Kind(
            key=key,
            model=Programme,
            label=label,
            authority="mct",
            transitions=TRANSITIONS,
            can_act=_can_act,
            reviewer_queryset=lambda user, kind=kind: scope_for_reviewer(
                Programme.objects.filter(kind=kind), user, authority="mct"
            ),
            discriminator=Q(kind=kind),
            apply=_apply,
            side_effects=_side_effects,
            approved_states=("approved",),
            certificate=provider,
        )
    )
