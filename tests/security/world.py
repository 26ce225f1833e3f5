"""Two tenants of everything, and one user of every role, for the attack tests.

Tenant A is 湖南 (430000): an MCT enterprise with filings, change requests, materials, a certificate,
a guidance thread, a training sign-up; an NRTA institution with nominations and a pledge; an inspection
case with evidence; a notice with an attachment. Tenant B is 北京 (110000) with the same people.
Every object's label carries a marker (``甲方…``) that must never appear in a page served to a role
that may not see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.enums import Authority, OrganisationKind, StaffLevel
from accounts.models import AuditEvent, LegacyLicence, User
from awards.enums import NominationState
from awards.models import ExpertAssignment, Objection, Publicity
from common.resumable.models import Upload
from filings.enums import FilingState, MaterialItem
from filings.models import Material
from review.models import Certificate, Message, ReviewRecord
from tests.awards.factories import PlatformFactory, ProjectFactory, pdf_bytes
from tests.awards.factories_experts import assign, declare
from tests.awards.factories_publication import WorkFactory
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory
from tests.filings.factories import EnterpriseFactory, add_material, make_change, make_filing, png_bytes

HUNAN, BEIJING = "430000", "110000"

ROLES = (
    "anonymous",
    "unit_a",  # MCT enterprise of 湖南: owns tenant A's filings
    "unit_a2",  # a second enterprise in 湖南 (same province, other unit)
    "unit_b",  # MCT enterprise of 北京
    "inst_a",  # NRTA institution of 湖南: owns tenant A's nominations
    "inst_b",
    "mct_hn",
    "mct_bj",
    "nrta_hn",
    "nrta_bj",
    "mct_min",
    "nrta_min",
    "expert",  # NRTA expert assigned to the quarter, no conflict declared
    "expert_conflicted",  # assigned, declared a conflict with tenant A's work
    "expert_other_quarter",  # assigned to the quarter before only
    "root",  # superuser of /admin/
)


@dataclass
class World:
    users: dict[str, User | None] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __getitem__(self, key):
        return self.objects[key]


def _staff(authority, level, province=""):
    return StaffFactory(profile__authority=authority, profile__level=level, profile__province=province)


def build() -> World:
    world = World()
    u = world.users
    o = world.objects
    u["anonymous"] = None
    unit_a = EnterpriseFactory(name="甲方湖南文化传媒有限公司", province=HUNAN)
    unit_a2 = EnterpriseFactory(name="湖南另一家文化传媒有限公司", province=HUNAN)
    unit_b = EnterpriseFactory(name="乙方北京文化传媒有限公司", province=BEIJING)
    u["unit_a"] = ApplicantFactory(organisation=unit_a, full_name="甲方成员")
    u["unit_a2"] = ApplicantFactory(organisation=unit_a2)
    u["unit_b"] = ApplicantFactory(organisation=unit_b)
    inst_a = OrganisationFactory(name="甲方湖南网络视听机构", kind=OrganisationKind.INSTITUTION, province=HUNAN)
    inst_b = OrganisationFactory(name="乙方北京网络视听机构", kind=OrganisationKind.INSTITUTION, province=BEIJING)
    u["inst_a"] = ApplicantFactory(organisation=inst_a, username="instsecA", phone=None)
    u["inst_b"] = ApplicantFactory(organisation=inst_b, username="instsecB", phone=None)
    u["mct_hn"] = _staff(Authority.MCT, StaffLevel.PROVINCE, HUNAN)
    u["mct_bj"] = _staff(Authority.MCT, StaffLevel.PROVINCE, BEIJING)
    u["nrta_hn"] = _staff(Authority.NRTA, StaffLevel.PROVINCE, HUNAN)
    u["nrta_bj"] = _staff(Authority.NRTA, StaffLevel.PROVINCE, BEIJING)
    u["mct_min"] = _staff(Authority.MCT, StaffLevel.MINISTRY)
    u["nrta_min"] = _staff(Authority.NRTA, StaffLevel.MINISTRY)
    u["expert"] = _staff(Authority.NRTA, StaffLevel.EXPERT)
    u["expert_conflicted"] = _staff(Authority.NRTA, StaffLevel.EXPERT)
    u["expert_other_quarter"] = _staff(Authority.NRTA, StaffLevel.EXPERT)
    u["root"] = User.objects.create(
        username="rootsec", is_staff=True, is_superuser=True, password=make_password("Demo2026portal")
    )

    member = u["unit_a"]
    # --- filings of tenant A (marker: 甲方剧目)
    o["draft"] = make_filing(organisation=unit_a, by=member, name="甲方剧目草稿")
    o["submitted"] = make_filing(organisation=unit_a, by=member, state=FilingState.SUBMITTED, name="甲方剧目已提交")
    o["approved"] = make_filing(organisation=unit_a, by=member, state=FilingState.APPROVED, name="甲方剧目已通过")
    o["returned"] = make_filing(organisation=unit_a, by=member, state=FilingState.RETURNED, name="甲方剧目已退回")
    o["change"] = make_change(o["approved"], by=member)
    approved2 = make_filing(organisation=unit_a, by=member, state=FilingState.APPROVED, name="甲方剧目变更中")
    o["change_submitted"] = make_change(approved2, by=member, state=FilingState.SUBMITTED)
    approved3 = make_filing(organisation=unit_a, by=member, state=FilingState.APPROVED, name="甲方剧目变更退回")
    o["change_returned"] = make_change(approved3, by=member, state=FilingState.RETURNED)
    o["material"] = Material.objects.filter(version__filing=o["draft"]).first()
    o["image_material"] = add_material(
        o["draft"].application_version, MaterialItem.SELF_REVIEW, "甲方截图.png", png_bytes(), "image/png"
    )
    certificate = Certificate.objects.filter(organisation=unit_a).first()
    if certificate is None:  # the approved filing's certificate, rendered when the queue runs eagerly
        from tests.review.certtestapp.factories import ProgrammeFactory, issue

        certificate = issue(ProgrammeFactory(organisation=unit_a, name="甲方剧目证照", province=HUNAN))
    o["certificate"] = certificate
    o["message"] = Message.objects.create(recipient=member, title="甲方消息", body="甲方剧目的消息")
    o["upload"] = Upload.objects.create(
        owner=member,
        target="filings.material",
        metadata={"filename": "甲方录像.mp4", "application": o["draft"].public_id, "item": "content_info"},
        length=100,
        expires_at=timezone.now() + timedelta(days=1),
    )
    o["record"] = ReviewRecord.objects.filter(object_id=o["submitted"].pk).first()
    # --- awards of tenant A (marker: 甲方作品)
    o["project"] = ProjectFactory()
    platform = PlatformFactory(name="芒果TV")
    o["platform"] = platform
    o["nomination"] = WorkFactory(
        organisation=inst_a,
        project=o["project"],
        year=o["project"].year,
        quarter=o["project"].quarter,
        state=NominationState.PENDING,
        name="甲方作品已提交",
        platform=platform,
    )
    o["nomination"].pledge.save("甲方承诺书.pdf", ContentFile(pdf_bytes()), save=True)
    o["nomination_draft"] = WorkFactory(
        organisation=inst_a,
        project=o["project"],
        year=o["project"].year,
        quarter=o["project"].quarter,
        state=NominationState.DRAFT,
        name="甲方作品草稿",
        platform=platform,
        reference="",
        ref_seq=None,
        submitted_at=None,
        decided_at=None,
    )
    o["work"] = WorkFactory(
        organisation=inst_a,
        project=o["project"],
        year=o["project"].year,
        quarter=o["project"].quarter,
        state=NominationState.IN_EXPERT_REVIEW,
        name="甲方作品评议中",
        platform=platform,
    )
    o["assignment"] = assign(u["expert"], year=o["project"].year, quarter=o["project"].quarter)
    conflicted = assign(
        u["expert_conflicted"], year=o["project"].year, quarter=o["project"].quarter, organisation_name="甲方单位"
    )
    declare(conflicted, o["work"], conflict=True, note="本人参与制作")
    assign(u["expert_other_quarter"], year=o["project"].year, quarter=o["project"].quarter - 1)
    o["publicity"] = Publicity.objects.create(
        year=o["project"].year,
        quarter=o["project"].quarter,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=5),
    )
    o["objection"] = _objection(o["publicity"], o["work"])
    o["expert_assignment"] = ExpertAssignment.objects.get(expert=u["expert"])
    # --- supervision of tenant A
    o["thread"], o["guidance_attachment"] = _thread(member)
    o["notice"], o["notice_attachment"] = _notice(u["mct_hn"], member)
    o["case"], o["evidence"] = _case(u["mct_hn"])
    o["dossier"] = _dossier(unit_a)
    o["staffprofile"] = u["mct_hn"].staff_profile
    o["organisation"] = unit_a
    o["licence"] = LegacyLicence.objects.filter(pk=unit_a.licence_id).first()
    o["audit"] = AuditEvent.objects.create(action="security.test", target="甲方审计")
    _admin_rows(world)
    return world


def _admin_rows(world):
    """Rows of the /admin/ site's models (the superuser's pages)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from review.models import OutboxEvent
    from supervision.notices.models import SignUp

    o, u = world.objects, world.users
    o["signup"] = SignUp.objects.get(notice=o["notice"])
    o["user_a"] = u["unit_a"]
    o["group"] = Group.objects.create(name="甲方组")
    o["access_attempt"] = AccessAttempt.objects.create(username="甲方", ip_address="10.0.0.1", failures_since_start=1)
    o["access_log"] = AccessLog.objects.create(username="甲方", ip_address="10.0.0.1")
    o["access_failure"] = AccessFailureLog.objects.create(username="甲方", ip_address="10.0.0.1")
    o["totp"] = TOTPDevice.objects.create(user=u["mct_min"], name="甲方令牌", confirmed=True)
    o["outbox"] = OutboxEvent.objects.order_by("pk").first() or OutboxEvent.objects.create(topic="test", payload={})


def _objection(publicity, work):
    return Objection.objects.create(
        publicity=publicity,
        nomination=work,
        contact_name="甲方异议人",
        contact_phone="13900000000",
        reason="甲方异议理由",
    )


def _thread(member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from supervision.guidance import services
    from supervision.guidance.enums import Category

    thread = services.ask(
        member,
        subject="甲方咨询",
        category=Category.SELF_REVIEW,
        text="甲方咨询的问题",
        files=[SimpleUploadedFile("甲方附件.pdf", pdf_bytes(), content_type="application/pdf")],
    )
    from supervision.guidance.models import Attachment

    return thread, Attachment.objects.filter(message__thread=thread).first()


def _notice(official, member):
    from supervision.notices import services
    from supervision.notices.enums import NoticeKind
    from supervision.notices.models import Notice, NoticeAttachment

    now = timezone.now()
    notice = services.save_notice(
        official,
        Notice(
            kind=NoticeKind.TRAINING,
            title="甲方湖南培训",
            body="甲方培训正文",
            authority=Authority.MCT,
            province=HUNAN,
            starts_at=now + timedelta(days=7),
            place="长沙",
            capacity=5,
            signup_deadline=now + timedelta(days=5),
        ),
    )
    attachment = NoticeAttachment(notice=notice, original_name="甲方通知附件.pdf", size=100)
    attachment.file.save("a.pdf", ContentFile(pdf_bytes()), save=False)
    attachment.content_type = "application/pdf"
    attachment.save()
    notice = services.publish(official, notice)
    services.sign_up(member, notice, name="甲方联系人", phone="13900000001", attendees=2)
    return notice, attachment


def _case(official):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from supervision.inspections import services
    from supervision.inspections.models import Evidence

    case = services.record_finding(
        official,
        platform="某直播平台",
        url="https://live.example.cn/room/1",
        unit_name="甲方巡查单位",
        credit_code="91430100MA4L8YX2KP",
        found_on=timezone.localdate(),
        programme_name="甲方巡查发现",
        description="未备案的付费直播。",
        files=[SimpleUploadedFile("甲方取证.png", png_bytes(), content_type="image/png")],
    )
    return case, Evidence.objects.filter(case=case).first()


def _dossier(organisation):
    from tests.review.factories import DossierFactory

    return DossierFactory(organisation=organisation, name="甲方测试剧目", province=HUNAN)
