"""导出 Excel / 导出 CSV of a /staff/ list: exactly the rows its filters and search show, audited.

A ModelAdmin mixes in ``FilteredExportMixin``, names its ``export_fields`` (label, attribute or
callable), adds ``self.export_urls()`` to its ``get_urls`` and ``self.export_context(request)`` to
its changelist's context (``export_xlsx_url`` / ``export_csv_url`` keep the list's query string).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone

from common import exports


class FilteredExportMixin:
    export_fields: tuple = ()

    def may_export(self, request) -> bool:
        return self.has_view_permission(request)

    def get_export_fields(self, request) -> list[tuple[Any, Any]]:
        return list(self.export_fields)

    def _export_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_export"

    def export_urls(self) -> list:
        return [path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view), name=self._export_name())]

    def export_context(self, request) -> dict[str, str]:
        query = request.GET.urlencode()
        suffix = f"?{query}" if query else ""

        def url(fmt: str) -> str:
            name = f"{self.admin_site.name}:{self._export_name()}"
            return reverse(name, args=(fmt,), current_app=self.admin_site.name) + suffix

        return {"title": self.opts.verbose_name_plural, "export_xlsx_url": url("xlsx"), "export_csv_url": url("csv")}

    def export_view(self, request, fmt: str):
        if fmt not in exports.FORMATS or not self.may_export(request):
            raise Http404
        try:
            cl = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        headers, rows = exports.table(cl.get_queryset(request), self.get_export_fields(request))
        from accounts import audit  # as review.staff.base does: accounts' admin imports this package

        audit.record(
            "staff.export",
            request=request,
            target=str(self.opts.verbose_name_plural),
            rows=len(rows),
            format=fmt,
            query=request.GET.urlencode()[:500],
        )
        name = f"{self.opts.verbose_name_plural}-{timezone.localtime():%Y%m%d-%H%M}"
        return exports.response(fmt, name, headers, rows, sheet_title=str(self.opts.verbose_name_plural))
