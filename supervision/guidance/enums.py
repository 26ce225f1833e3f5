from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ThreadState(models.TextChoices):
    AWAITING_ANSWER = "awaiting_answer", pgettext_lazy("guidance state", "待答复")
    ANSWERED = "answered", pgettext_lazy("guidance state", "已答复")
    AWAITING_APPLICANT = "awaiting_applicant", pgettext_lazy("guidance state", "待补充")
    CLOSED = "closed", pgettext_lazy("guidance state", "已关闭")


class Category(models.TextChoices):
    SELF_REVIEW = "self_review", _("内容自审标准")
    MATERIALS = "materials", _("备案材料")
    IMPORT_REVIEW = "import_review", _("进口节目审查")
    OTHER = "other", _("其他")


class MessageKind(models.TextChoices):
    QUESTION = "question", pgettext_lazy("guidance message", "咨询")
    REPLY = "reply", pgettext_lazy("guidance message", "补充说明")
    ANSWER = "answer", pgettext_lazy("guidance message", "答复")
    ASK_BACK = "ask_back", pgettext_lazy("guidance message", "要求补充")
    CLOSE = "close", pgettext_lazy("guidance message", "关闭")


# Who may move a thread from which state, and where to (the workflow as data).
APPLICANT, OFFICIAL = "applicant", "official"
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    MessageKind.REPLY: {APPLICANT: (ThreadState.AWAITING_APPLICANT, ThreadState.ANSWERED)},
    MessageKind.ANSWER: {OFFICIAL: (ThreadState.AWAITING_ANSWER,)},
    MessageKind.ASK_BACK: {OFFICIAL: (ThreadState.AWAITING_ANSWER, ThreadState.ANSWERED)},
    MessageKind.CLOSE: {
        APPLICANT: (ThreadState.AWAITING_ANSWER, ThreadState.ANSWERED, ThreadState.AWAITING_APPLICANT),
        OFFICIAL: (ThreadState.AWAITING_ANSWER, ThreadState.ANSWERED, ThreadState.AWAITING_APPLICANT),
    },
}
TARGET = {
    MessageKind.REPLY: ThreadState.AWAITING_ANSWER,
    MessageKind.ANSWER: ThreadState.ANSWERED,
    MessageKind.ASK_BACK: ThreadState.AWAITING_APPLICANT,
    MessageKind.CLOSE: ThreadState.CLOSED,
}
