"""Choices of the NRTA quarterly recommendation (网络视听节目季度推优)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectKind(models.TextChoices):
    INSTITUTION = "institution", _("机构类")
    INDIVIDUAL = "individual", _("个人类")


class PlatformStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("platform status", "有效")
    INACTIVE = "inactive", pgettext_lazy("platform status", "停用")


class NominationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("nomination state", "草稿")
    RETURNED = "returned", pgettext_lazy("nomination state", "退回修改")
    PENDING = "pending", pgettext_lazy("nomination state", "待初审")
    RECOMMENDED = "recommended", pgettext_lazy("nomination state", "已推荐")
    NOT_RECOMMENDED = "not_recommended", pgettext_lazy("nomination state", "未推荐")
    # Still 待初审 when the provincial deadline passed: closed by the round (counts as 未推荐).
    CLOSED = "closed", pgettext_lazy("nomination state", "逾期未审")
    IN_EXPERT_REVIEW = "in_expert_review", pgettext_lazy("nomination state", "专家评议")
    SELECTED = "selected", pgettext_lazy("nomination state", "入选")
    NOT_SELECTED = "not_selected", pgettext_lazy("nomination state", "未入选")
    PUBLISHED = "published", pgettext_lazy("nomination state", "已公布")
    # A published work withdrawn later (recorded in ResultWithdrawal).
    WITHDRAWN = "withdrawn", pgettext_lazy("nomination state", "已撤销")


# The three lists of 我的申报 (seed §5): 待提交, 待审核, 已审核.
TO_SUBMIT_STATES = (NominationState.DRAFT, NominationState.RETURNED)
UNDER_REVIEW_STATES = (
    NominationState.PENDING,
    NominationState.RECOMMENDED,
    NominationState.IN_EXPERT_REVIEW,
)
REVIEWED_STATES = (
    NominationState.NOT_RECOMMENDED,
    NominationState.CLOSED,
    NominationState.SELECTED,
    NominationState.NOT_SELECTED,
    NominationState.PUBLISHED,
    NominationState.WITHDRAWN,
)
EDITABLE_STATES = TO_SUBMIT_STATES
# States that hold the quarter's slot of a work (one active nomination per work and quarter).
INACTIVE_STATES = (NominationState.DRAFT,)
# States with a decision time (decided_at set).
DECIDED_STATES = (
    NominationState.RECOMMENDED,
    NominationState.NOT_RECOMMENDED,
    NominationState.CLOSED,
    NominationState.IN_EXPERT_REVIEW,
    NominationState.SELECTED,
    NominationState.NOT_SELECTED,
    NominationState.PUBLISHED,
    NominationState.WITHDRAWN,
)


class WorkType(models.TextChoices):
    """作品类型 (SPEC §D2, the notice's list plus 其他)."""

    DOCUMENTARY = "documentary", _("网络纪录片")
    VARIETY = "variety", _("网络综艺节目")
    ANIMATION = "animation", _("网络动画片")
    DRAMA = "drama", _("网络剧")
    FILM = "film", _("网络电影")
    MICRO_DRAMA = "micro_drama", _("网络微短剧")
    MICRO_FILM = "micro_film", _("网络微电影")
    LIVE = "live", _("网络直播节目")
    AUDIO = "audio", _("网络音频节目")
    SHORT_VIDEO = "short_video", _("短视频")
    OTHER = "other", _("其他")


class ReasonCategory(models.TextChoices):
    """Structured reason of 退回修改 and 不推荐 (counted in statistics)."""

    BROADCAST_DATES = "broadcast_dates", _("播出时间不符")
    INCOMPLETE = "incomplete", _("材料不全")
    COPYRIGHT = "copyright", _("版权证明不符")
    DUPLICATE = "duplicate", _("重复申报")
    OTHER = "other", _("其他")


class Criterion(models.TextChoices):
    """The eight 推优标准 of the notice (广电办发〔2023〕29号 二、推优标准), in its order."""

    THOUGHT = "thought", _("深入生动宣传阐释习近平新时代中国特色社会主义思想和党的二十大精神优秀作品")
    NEW_JOURNEY = (
        "new_journey",
        _(
            "聚焦学习宣传贯彻党的二十大主线，立体化展现新征程伟大实践和人民幸福，"
            "反映人民群众获得感、幸福感、安全感的优秀作品"
        ),
    )
    CHINA_DREAM = (
        "china_dream",
        _("围绕“中国梦”主题，弘扬社会主义核心价值观，记录中国人不懈奋斗历程，激发全社会共同追梦筑梦精神动力的优秀作品"),
    )
    MODERNISATION = (
        "modernisation",
        _("围绕贯彻中国式现代化、贯彻新发展理念、乡村振兴、共同富裕、生态文明建设等主题的优秀作品"),
    )
    ANNIVERSARIES = (
        "anniversaries",
        _(
            "紧扣“一带一路”倡议提出10周年、“精准扶贫”思想提出10周年、改革开放45周年、"
            "抗美援朝战争胜利70周年等重要时间节点的优秀作品"
        ),
    )
    TRADITION = (
        "tradition",
        _("对中华优秀传统文化进行创造性转化和创新性发展，结合时代精神和当下生活彰显中华文化持久魅力的优秀作品"),
    )
    HISTORY = (
        "history",
        _(
            "生动展现党史、新中国史、改革开放史、社会主义发展史、中华民族发展史，"
            "引导树立正确历史观、民族观、国家观、文化观的优秀作品"
        ),
    )
    INNOVATION = (
        "innovation",
        _("注重理念、方式和话语表达创新，体现“艺术+技术”特点，深受观众特别是青少年群体喜爱的优秀作品"),
    )


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("objection status", "待处理")
    ACCEPTED = "accepted", pgettext_lazy("objection status", "已采纳")
    REJECTED = "rejected", pgettext_lazy("objection status", "不予采纳")
