"""Demo 通知公告: a national MCT 政策宣贯 notice with a PDF attachment, a 湖南 MCT training (capacity 30, two
sign-ups, organiser mct-hunan) and an NRTA notice. Called by ``manage.py demo``; a re-run adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.enums import Authority, OrganisationKind
from accounts.models import Organisation, User

from . import services
from .enums import NoticeKind
from .models import Notice, NoticeAttachment, SignUp

POLICY_TITLE = "关于进一步规范网络演出剧（节）目备案工作的通知"
TRAINING_TITLE = "湖南省网络演出剧（节）目备案业务培训"
NRTA_TITLE = "关于开展本季度网络视听节目推优申报工作的通知"


def _policy_pdf() -> bytes:
    from common.pdf import html_to_pdf

    return html_to_pdf(
        f"<html><body><h1>{POLICY_TITLE}</h1><p>各省级文化和旅游行政部门：请按要求做好备案工作。</p></body></html>"
    )


def _notice(actor, **fields) -> Notice:
    notice = services.save_notice(actor, Notice(**fields))
    return services.publish(actor, notice)


def populate(stdout) -> None:
    ministry = User.objects.filter(username="mct-ministry").first()
    hunan = User.objects.filter(username="mct-hunan").first()
    nrta = User.objects.filter(username="nrta-ministry").first()
    if not (ministry and hunan and nrta):
        stdout.write("notices demo: the staff accounts are missing; skipped")
        return
    if Notice.objects.filter(title=TRAINING_TITLE).exists():
        stdout.write("notices demo: already there")
        return
    policy = _notice(
        ministry,
        kind=NoticeKind.POLICY,
        title=POLICY_TITLE,
        authority=Authority.MCT,
        body="各省级文化和旅游行政部门、各网络演出经营单位：\n\n为进一步规范网络演出剧（节）目备案工作，现就有关事项通知如下。\n\n请认真贯彻执行。",
    )
    attachment = NoticeAttachment(notice=policy, original_name="备案工作通知.pdf", content_type="application/pdf")
    data = _policy_pdf()
    attachment.size = len(data)
    attachment.file.save("notice.pdf", ContentFile(data), save=False)
    attachment.save()
    now = timezone.now()
    training = _notice(
        hunan,
        kind=NoticeKind.TRAINING,
        title=TRAINING_TITLE,
        authority=Authority.MCT,
        province="430000",
        body="为帮助经营单位掌握备案流程，湖南省文化和旅游厅将举办备案业务培训。\n\n请各单位派员参加。",
        starts_at=now + timedelta(days=14),
        place="长沙市开福区湖南省文化和旅游厅三楼会议室",
        capacity=30,
        signup_deadline=now + timedelta(days=10),
    )
    units = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, province="430000").order_by("pk")[:2]
    for i, org in enumerate(units):
        member = User.objects.filter(organisation=org, is_active=True).first()
        if member is not None:
            services.sign_up(
                member, training, name=member.get_full_name() or "联系人", phone=f"1380000000{i + 1}", attendees=2
            )
    _notice(
        nrta,
        kind=NoticeKind.NOTICE,
        title=NRTA_TITLE,
        authority=Authority.NRTA,
        body="各省级广播电视局、各网络视听节目机构：\n\n现启动本季度网络视听节目推优申报工作。",
    )
    stdout.write(
        f"notices demo: 3 notices, {SignUp.objects.filter(notice=training).count()} sign-ups for {TRAINING_TITLE}"
    )
