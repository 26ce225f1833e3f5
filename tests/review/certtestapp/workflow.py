"""The test kind: 草稿 → 待受理 → 已通过 (approve issues a certificate)."""

from django.utils.translation import gettext_lazy as _

from common import regions
from common.validators import mask_email, mask_name, mask_phone
from review import engine as workflow
from review.certificates import CertificateProvider, CertificateSpec
from review.engine.rules import may_review
from review.engine.selectors import scope_for_reviewer
from review.enums import Role

from .models import Programme

KIND = "certtest.programme"


def _can_act(user, obj, transition):
    if Role.APPLICANT in transition.roles:
        return user.organisation_id == obj.organisation_id
    return may_review(user, authority="mct", province=obj.province)


def _side_effects(obj, transition, actor, comment):
    if transition.name == "approve":
        yield "certificate.issue", {"kind": KIND, "id": obj.pk}


def _apply(obj, step):
    transition = step.transition
    if transition.name == "apply_change" and obj.pending_platform:
        obj.platform, obj.pending_platform = obj.pending_platform, ""
        return ["platform", "pending_platform"]
    if transition.name == "submit" and not obj.reference:
        obj.reference = f"WY-{regions.get(obj.province).abbr}-2026-{obj.pk:06d}"
        return ["reference"]
    return []


def _certificate(obj):
    region = regions.get(obj.province)
    year = 2026
    return CertificateSpec(
        organisation=obj.organisation,
        province=obj.province,
        title=obj.name,
        reference=obj.reference,
        issuing_department=region.culture_dept,
        sequence_key=f"cert:网演备:{year}:{obj.province}",
        format_number=lambda n: f"网演备〔{year}〕{region.abbr}字第{n:06d}号",
        kind_label="国产网络演出剧（节）目备案",
        heading="网络演出剧（节）目备案证明",
        details=[("播出平台", obj.platform)],
    )


def _public_details(obj):
    return [
        ("网络演出剧(节)目名称", obj.name),
        ("播出平台", obj.platform),
        ("演出联系人", mask_name(obj.contact_name)),
        ("联系电话", mask_phone(obj.contact_phone)),
        ("电子邮箱", mask_email(obj.contact_email)),
    ]


class _Certificates(CertificateProvider):
    def spec(self, obj):
        return _certificate(obj)

    def public_details(self, obj):
        return _public_details(obj)


workflow.register(
    workflow.Kind(
        key=KIND,
        model=Programme,
        label=_("国产网络演出剧（节）目备案"),
        authority="mct",
        transitions=workflow.transitions(
            workflow.Transition("submit", ("draft",), "submitted", (Role.APPLICANT,), _("提交")),
            workflow.Transition("approve", ("submitted",), "approved", (Role.REVIEWER, Role.MINISTRY), _("通过")),
            workflow.Transition(
                "apply_change", ("approved",), "approved", (Role.REVIEWER, Role.MINISTRY), _("通过变更")
            ),
        ),
        can_act=_can_act,
        reviewer_queryset=lambda user: scope_for_reviewer(Programme.objects.all(), user, authority="mct"),
        apply=_apply,
        side_effects=_side_effects,
        approved_states=("approved",),
        certificate=_Certificates(),
    )
)
