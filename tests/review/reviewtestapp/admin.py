from django.contrib import admin

from review.staff import ReviewableAdmin, reviewer_site

from .models import Dossier


@admin.register(Dossier, site=reviewer_site)
class DossierAdmin(ReviewableAdmin):
    workflow_kinds = ("test.domestic", "test.import")
    list_display = ("name", "reference", "organisation_name", "review_kind", "review_state", "submitted_at")
    list_select_related = ("organisation",)
    search_fields = ("name", "reference", "organisation__name", "organisation__credit_code")
    review_detail_template = "reviewtestapp/detail.html"
    export_fields = (
        ("受理编号", "reference"),
        ("名称", "name"),
        ("单位", "organisation__name"),
        ("状态", "get_state_display"),
        ("提交时间", "submitted_at"),
    )

    def organisation_name(self, obj):
        return obj.organisation.name

    organisation_name.short_description = "单位"

    def get_review_context(self, request, obj):
        return {"extra_line": f"省份 {obj.province}"}

    def get_review_files(self, request, obj):
        return [("自审报告.pdf", f"/files/{obj.public_id}/report/")]
