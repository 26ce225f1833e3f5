"""A minimal reviewable model used only by the tests of the review machinery."""

from django.db import models

from review.models import Reviewable


class Dossier(Reviewable):
    TYPES = [("domestic", "国产"), ("import", "进口")]
    STATES = [
        ("draft", "草稿"),
        ("submitted", "待受理"),
        ("in_review", "审核中"),
        ("approved", "已通过"),
        ("rejected", "未通过"),
        ("returned", "退回修改"),
        ("closed", "已截止"),
    ]

    type = models.CharField("类型", max_length=16, choices=TYPES, default="domestic")
    state = models.CharField("状态", max_length=32, choices=STATES, default="draft", db_index=True)
    name = models.CharField("名称", max_length=200)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    province = models.CharField("省份", max_length=6)
    reference = models.CharField("受理编号", max_length=40, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # Experts yet to score: the 通过 guard refuses while any is missing.
    scores_missing = models.PositiveSmallIntegerField("未评分专家数", default=0)

    class Meta:
        verbose_name = "测试申请"
        verbose_name_plural = "测试申请"

    def __str__(self) -> str:
        return self.name

    def get_workflow_kind(self) -> str:
        return f"test.{self.type}"
