"""Demo 行政指导: an open thread of 湖南示例文化传媒有限公司 (13800000001), answered once by mct-hunan and
asked back, so both sides see something. Called by ``manage.py demo``; a re-run adds nothing."""

from __future__ import annotations

from accounts.models import User

from . import services
from .enums import Category, MessageKind
from .models import Thread

DEMO_PHONE = "13800000001"
OFFICIAL = "mct-hunan"
SUBJECT = "网络演出剧（节）目内容自审需要留存哪些记录？"
QUESTION = (
    "我单位计划上线一部线上音乐会，想了解内容自审时应当由谁审核、审核记录需要保存多久，以及备案时是否需要提交自审报告。"
)
ANSWER = (
    "内容自审应由单位内容安全负责人组织审核，审核记录（节目内容、审核人员、审核意见、审核时间）"
    "应当留存备查。备案时请在材料上传中提交内容自审报告。"
)
ASK_BACK = "请补充说明该节目是否包含境外演员或进口片段，以便确认是否需要进行进口节目内容审查。"


def populate(stdout) -> None:
    applicant = User.objects.filter(username=DEMO_PHONE).select_related("organisation").first()
    official = User.objects.filter(username=OFFICIAL).first()
    if applicant is None or applicant.organisation is None or official is None:
        stdout.write("guidance demo: the demo unit or mct-hunan is missing; skipped")
        return
    if Thread.objects.filter(organisation=applicant.organisation, subject=SUBJECT).exists():
        stdout.write("guidance demo: already there")
        return
    thread = services.ask(applicant, subject=SUBJECT, category=Category.SELF_REVIEW, text=QUESTION)
    services.post(official, thread, kind=MessageKind.ANSWER, text=ANSWER)
    services.post(official, thread, kind=MessageKind.ASK_BACK, text=ASK_BACK)
    stdout.write(f"guidance demo: thread “{SUBJECT}” answered and asked back by {OFFICIAL}")
