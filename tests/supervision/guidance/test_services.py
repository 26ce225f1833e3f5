"""The thread's life: ask, answer, ask back, reply, close; who is told; the unit keeps its threads."""

import pytest
from django.core import mail

from review.models import Message as InboxMessage
from supervision.guidance import services
from supervision.guidance.enums import Category, MessageKind, ThreadState
from supervision.guidance.models import Thread

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def ask(user, **kw):
    values = {"subject": "自审标准咨询", "category": Category.SELF_REVIEW, "text": "请问内容自审的标准是什么？"}
    values.update(kw)
    return services.ask(user, **values)


def titles(user):
    return list(InboxMessage.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def test_ask_goes_to_the_units_provincial_culture_department(
    member, hunan_official, beijing_official, nrta_hunan, mct_ministry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = ask(member, files=[pdf_upload()])
    thread.refresh_from_db()
    assert (thread.authority, thread.province, thread.state) == ("mct", "430000", ThreadState.AWAITING_ANSWER)
    assert thread.created_by_name == "李明"
    assert [(m.kind, m.author_name, m.text) for m in thread.messages.all()] == [
        ("question", "李明", "请问内容自审的标准是什么？")
    ]
    assert [a.original_name for a in thread.messages.get().attachments.all()] == ["自审报告.pdf"]
    assert titles(hunan_official) == ["新的行政指导咨询：自审标准咨询"]
    assert titles(beijing_official) == titles(nrta_hunan) == titles(mct_ministry) == []
    assert [m.to for m in mail.outbox] == [[hunan_official.email]]


def test_answer_ask_back_reply_close_and_who_is_told(
    member, colleague, hunan_official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = ask(member)
        services.post(hunan_official, thread, kind=MessageKind.ANSWER, text="请参照自审规范。")
    thread.refresh_from_db()
    assert thread.state == ThreadState.ANSWERED
    assert titles(member) == titles(colleague) == ["您的行政指导咨询已答复：自审标准咨询"]
    with django_capture_on_commit_callbacks(execute=True):
        services.post(hunan_official, thread, kind=MessageKind.ASK_BACK, text="请说明节目类型。")
        services.post(colleague, thread, kind=MessageKind.REPLY, text="是线上音乐会。")
    thread.refresh_from_db()
    assert thread.state == ThreadState.AWAITING_ANSWER
    assert titles(hunan_official)[-1] == "行政指导咨询有新的补充说明：自审标准咨询"
    services.post(member, thread, kind=MessageKind.CLOSE)
    thread.refresh_from_db()
    assert thread.state == ThreadState.CLOSED and thread.closed_at is not None
    assert thread.message_count == 5
    assert [(m.kind, m.by_official) for m in thread.messages.all()] == [
        ("question", False),
        ("answer", True),
        ("ask_back", True),
        ("reply", False),
        ("close", False),
    ]
    assert thread.messages.all()[1].author_name == "湖南文旅审核员（湖南省文化和旅游厅）"


def test_forbidden_steps_are_refused_with_a_message(member, hunan_official, beijing_official, other_member):
    thread = ask(member)
    with pytest.raises(services.GuidanceError) as exc:
        services.post(member, thread, kind=MessageKind.ANSWER, text="自问自答")
    assert exc.value.message == "该咨询已被其他人员处理，请刷新页面后查看。"
    for outsider in (beijing_official, other_member):
        with pytest.raises(services.GuidanceError) as exc:
            services.post(outsider, thread, kind=MessageKind.ANSWER, text="越权")
        assert exc.value.message == "您无权处理该咨询。"
    services.post(hunan_official, thread, kind=MessageKind.CLOSE)
    with pytest.raises(services.GuidanceError) as exc:
        services.post(member, thread, kind=MessageKind.REPLY, text="还有问题")
    assert exc.value.message == "该咨询已关闭。"
    assert Thread.objects.get().message_count == 2


def test_the_state_found_not_the_state_seen_decides(member, hunan_official, mct_ministry):
    thread = ask(member)
    stale = Thread.objects.get(pk=thread.pk)  # another official's view, before the answer
    services.post(hunan_official, thread, kind=MessageKind.ANSWER, text="答复一")
    services.post(mct_ministry, stale, kind=MessageKind.ASK_BACK, text="请补充")  # allowed from 已答复 too
    with pytest.raises(services.GuidanceError) as exc:
        services.post(mct_ministry, stale, kind=MessageKind.ANSWER, text="答复二")
    assert exc.value.message == "该咨询已被其他人员处理，请刷新页面后查看。"
    assert [m.kind for m in Thread.objects.get().messages.all()] == ["question", "answer", "ask_back"]


def test_thread_stays_with_the_unit_when_the_member_who_asked_leaves(member, colleague):
    from accounts.services import members

    thread = ask(colleague)
    members.remove_member(member, colleague)
    colleague.refresh_from_db()
    assert colleague.organisation_id is None
    thread.refresh_from_db()
    assert thread.organisation_id == member.organisation_id
    assert thread.created_by_name == colleague.full_name
    assert list(Thread.objects.filter(organisation=member.organisation)) == [thread]


def test_questions_are_rate_limited_per_account(member, colleague, settings):
    settings.GUIDANCE_QUESTIONS_PER_HOUR = 2
    ask(member)
    ask(member)
    with pytest.raises(services.GuidanceError) as exc:
        ask(member)
    assert exc.value.message == "提交咨询过于频繁，请一小时后再试。"
    ask(colleague)  # another account of the same unit is not held back
    assert Thread.objects.count() == 3


def test_nrta_institution_asks_its_provincial_radio_bureau(
    institution_member, nrta_hunan, hunan_official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = ask(institution_member)
    assert (thread.authority, thread.province) == ("nrta", "430000")
    assert titles(nrta_hunan) == ["新的行政指导咨询：自审标准咨询"]
    assert titles(hunan_official) == []
