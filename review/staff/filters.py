"""List filters and change list of the reviewers' admin (used by ReviewableAdmin)."""

from __future__ import annotations

from django.contrib.admin.filters import SimpleListFilter
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from common import regions

from ..engine import rules
from .rows import LeanRows, LeanTable

# --- list filters ------------------------------------------------------------


class QueueFilter(SimpleListFilter):
    title = _("队列")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(queue.key, queue.label) for queue in model_admin.queues if queue.states]

    def queryset(self, request, queryset):
        states = self._model_admin.queue_states(self.value() or "")
        if states is None:
            return queryset
        return queryset.filter(state__in=states)

    def __init__(self, request, params, model, model_admin):
        self._model_admin = model_admin
        super().__init__(request, params, model, model_admin)


class KindFilter(SimpleListFilter):
    title = _("类型")
    parameter_name = "type"

    def __init__(self, request, params, model, model_admin):
        self._kinds = {k.key: k for k in model_admin.kinds}
        self._user = request.user
        self._model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [(k.key, k.label) for k in model_admin.kinds]

    def queryset(self, request, queryset):
        kind = self._kinds.get(self.value() or "")
        if kind is None:
            return queryset
        return queryset.filter(self._model_admin.kind_q(kind, request))


class StatusFilter(SimpleListFilter):
    title = _("状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        # Only the states reviewers can meet (those of some queue), e.g. no 草稿.
        queued = {state for queue in model_admin.queues for state in queue.states}
        return [(value, label) for value, label in model_admin.state_choices if not queued or value in queued]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value in dict(self.lookup_choices):
            return queryset.filter(state=value)
        return queryset


class ProvinceFilter(SimpleListFilter):
    """Shown to ministry staff only: a provincial official sees one province anyway."""

    title = _("省份")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        if not rules.is_ministry(request.user):
            return []
        return list(regions.REGION_CHOICES)

    def queryset(self, request, queryset):
        value = self.value()
        field = getattr(self, "_field", None)
        if value and field and value in regions.BY_CODE:
            return queryset.filter(**{field: value})
        return queryset

    def __init__(self, request, params, model, model_admin):
        self._field = model_admin.province_field
        super().__init__(request, params, model, model_admin)


# --- change list that addresses rows by public id ----------------------------


class ReviewChangeList(ChangeList):
    """Rows addressed by public id; with the admin's ``get_list_cells``, lean rows (review.staff.rows)."""

    PLACEHOLDER = "0public0id0"

    @cached_property
    def change_url_template(self) -> str:
        """The review page's URL with a placeholder: reversed once per list, not twice per row."""
        return reverse(
            f"{self.model_admin.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(self.PLACEHOLDER,),
            current_app=self.model_admin.admin_site.name,
        )

    def url_for_result(self, result):
        return self.change_url_template.replace(self.PLACEHOLDER, quote(result.public_id))

    def get_results(self, request):
        super().get_results(request)
        self.lean = None
        cells = getattr(self.model_admin, "get_list_cells", lambda request: None)(request)
        if cells and not self.list_editable:
            label = self.model_admin.get_list_row_label(request)
            self.lean = LeanTable(self, cells, label)
            self.result_list = LeanRows(self.result_list, LeanTable.paths(cells, label))

    def lean_table(self) -> dict:
        return self.lean.context()
