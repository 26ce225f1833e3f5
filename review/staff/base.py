"""Admin machinery of the reviewers' site (/staff/) shared by every programme.

``ReviewableAdmin`` is the base ModelAdmin that ``filings`` and ``awards``
subclass and register on ``review.staff.reviewer_site``. It never edits an
application: the detail page is read-only and every state change goes
through ``review.engine.perform``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.filters import DateFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import exports

from ..engine import Kind, Queue, Transition, find_kind, get_kind, role_matches, rules, selectors
from .actions import ReviewActionsMixin
from .filters import KindFilter, ProvinceFilter, QueueFilter, ReviewChangeList, StatusFilter
from .pagination import CappedPaginator
from .rows import Cell

logger = logging.getLogger(__name__)

# --- the base class ------------------------------------------------------------


class ReviewableAdmin(ReviewActionsMixin, admin.ModelAdmin):
    """Base ModelAdmin for applications reviewed on ``reviewer_site``.

    Subclass, register on ``review.staff.reviewer_site`` and set:

    ``workflow_kinds``
        Keys of the kinds shown, e.g. ``("filing.domestic", "filing.import")``.
        All must use this admin's model. Rows are the union of each kind's
        ``reviewer_queryset(user)``; anything outside it is a 404 (list,
        detail, actions, export alike).
    ``Kind.queues`` (on the kind, not here)
        ``(Queue("pending", 待受理, states), …)`` – the queues of the 队列
        filter and of the index page, with their labels.
        ``Kind.discriminator`` (a ``Q``, e.g. ``Q(kind="import")``) lets the
        类型 filter select a kind's rows without a subquery.
    ``search_fields``, ``list_display``, ``list_select_related``,
    ``list_prefetch_related`` (a tuple, applied to the list queryset)
        As usual. Keep the list at a constant number of queries.
    ``submitted_field`` (default ``"submitted_at"``)
        Date filter and default ordering (newest submitted first).
    ``province_field`` (default ``"province"``; ``None`` for none)
        Field for the 省份 filter shown to ministry staff.
    ``review_detail_template``
        Template fragment included on the read-only detail page; it receives
        ``obj``, ``kind``, ``records`` and whatever ``get_review_context``
        returns. The layout is full width, so a wide side-by-side diff table
        (change requests) fits; wrap it in ``<div class="review-wide">``.
    ``get_review_context(request, obj) -> dict``
        Extra context for the fragment.
    ``get_review_files(request, obj) -> list[tuple[label, url]]``
        Files listed under 附件 (links to the app's protected download views).
    ``export_fields``
        ``[(label, accessor), …]`` – accessor is a field path
        (``"organisation__name"``), a method or attribute name on the object
        (``"get_state_display"``), or a callable ``f(obj)``. Used by the xlsx
        and CSV exports of the filtered list.
    ``get_audit_target(obj)``
        Reference written to the audit log when staff open the detail page
        (default: ``obj.reference`` or ``obj.public_id``).

    URLs address rows by ``public_id``, never the database id: link to a
    review page with ``review.staff.reviewer_change_url(obj)``.

    Actions (受理 / 通过 / 不通过 / 退回修改 / 推荐 / 不推荐 …) are generated
    from the kinds' transitions whose role is reviewer or ministry: buttons on
    the detail page and bulk actions (with a comment page) on the list.
    """

    workflow_kinds: tuple[str, ...] = ()
    review_detail_template: str = ""
    submitted_field: str | None = "submitted_at"
    province_field: str | None = "province"
    export_fields: Sequence[tuple[Any, Any]] = ()
    list_prefetch_related: tuple[str, ...] = ()

    list_per_page = 50
    paginator = CappedPaginator  # counts at most CAP rows: the queue costs the same at any volume
    search_help_text = _("可按名称、单位、统一社会信用代码、受理编号搜索。")
    show_facets = admin.ShowFacets.NEVER  # counts per filter option would cost a query each
    list_max_show_all = 500
    show_full_result_count = False
    view_on_site = False
    save_as = False
    change_list_template = "review/admin/change_list.html"
    list_display: Sequence[Any] = ("__str__", "review_state")

    # --- kinds and states ---------------------------------------------------
    @property
    def kinds(self) -> list[Kind]:
        # Resolved lazily: admin modules load before the apps register their kinds.
        return [get_kind(key) for key in self.workflow_kinds]

    @cached_property
    def queues(self) -> list[Queue]:
        return selectors.queues_of(self.kinds)

    def queue_states(self, key: str) -> tuple[str, ...] | None:
        for queue in self.queues:
            if queue.key == key:
                return queue.states
        return None

    @cached_property
    def state_choices(self) -> list[tuple[str, Any]]:
        choices = dict(self.model._meta.get_field("state").flatchoices)  # Reviewable's
        for kind in self.kinds:
            for value in sorted(kind.states()):
                choices.setdefault(value, value)
        return list(choices.items())

    def state_label(self, state: str):
        return dict(self.state_choices).get(state, state)

    def kind_q(self, kind: Kind, request):
        """Q selecting the rows of one kind (for the 类型 filter)."""
        if kind.discriminator is not None:
            return kind.discriminator
        return Q(pk__in=kind.reviewer_queryset(request.user).values("pk"))

    def reviewer_transitions(self, user=None) -> list[Transition]:
        """Reviewer/ministry transitions of the kinds, in declaration order, one per name."""
        seen: dict[str, Transition] = {}
        for kind in self.kinds:
            for t in kind.transitions.values():
                if not t.is_review or t.name in seen:
                    continue
                if user is not None and not role_matches(user, t):
                    continue
                seen[t.name] = t
        return list(seen.values())

    def _has_field(self, name: str | None) -> bool:
        if not name:
            return False
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return True

    # --- permissions: view only, scoped -----------------------------------------
    def _may_view(self, request) -> bool:
        user = request.user
        return rules.can_use_reviewer_site(user) and any(
            rules.can_review_authority(user, kind.authority) for kind in self.kinds
        )

    def has_module_permission(self, request) -> bool:
        return self._may_view(request)

    def has_view_permission(self, request, obj=None) -> bool:
        if not self._may_view(request):
            return False
        if obj is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # --- querysets -----------------------------------------------------------
    def get_queryset(self, request) -> QuerySet:
        if not self._may_view(request):
            return self.model._default_manager.none()
        qs = selectors.reviewer_queryset(request.user, self.kinds, self.model)
        if self.list_prefetch_related:
            qs = qs.prefetch_related(*self.list_prefetch_related)
        return qs

    def get_ordering(self, request):
        if self.ordering:
            return self.ordering
        if self._has_field(self.submitted_field):
            return (f"-{self.submitted_field}", "-pk")
        return ("-created_at", "-pk")

    def get_list_filter(self, request):
        filters: list[Any] = [QueueFilter]
        if len(self.workflow_kinds) > 1:
            filters.append(KindFilter)
        filters.append(StatusFilter)
        if self.province_field:
            filters.append(ProvinceFilter)
        if self._has_field(self.submitted_field):
            filters.append((self.submitted_field, DateFieldListFilter))
        return [*filters, *self.list_filter]

    def get_changelist(self, request, **kwargs):
        return ReviewChangeList

    def get_object(self, request, object_id, from_field=None):
        """Rows are addressed by ``public_id`` (no database ids in URLs), inside the scope."""
        queryset = self.get_queryset(request)
        if isinstance(self.list_select_related, list | tuple) and self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)  # the page shows them too
        try:
            return queryset.get(public_id=object_id)
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    # --- list columns ----------------------------------------------------------
    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """The row's checkbox as the admin writes it, without a form widget rendered through the template
        engine per row (half the time of a 50-row queue)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), obj),
        )

    @admin.display(description=_("状态"), ordering="state")
    def review_state(self, obj):
        return self.state_label(obj.state)

    @admin.display(description=_("类型"))
    def review_kind(self, obj):
        kind = find_kind(obj.get_workflow_kind())
        return kind.label if kind is not None else ""

    # --- lean rows (review.staff.rows) ---------------------------------------------------
    def get_list_cells(self, request) -> dict[str, Cell] | None:
        """The queue's columns as plain values, by ``list_display`` name (``Cell(path, show)``): one
        selector reads the page's rows and the table body is written once, in the admin's markup, instead
        of cell by cell. ``None`` (the default): the admin's own rendering."""
        return None

    def get_list_row_label(self, request) -> Cell:
        """The action checkbox's label (what ``str(obj)`` gives the admin's), for lean rows."""
        raise NotImplementedError(f"{type(self).__name__} has list cells and needs get_list_row_label()")

    def state_cell(self) -> Cell:
        """状态 from the ``state`` value, every label translated once per page."""
        labels = {value: str(label) for value, label in self.state_choices}
        return Cell("state", lambda state: labels.get(state, state))

    def kind_cell(self, path: str, key: Callable[[str], str]) -> Cell:
        """类型 from a value naming the kind (``key`` makes the registry's key of it)."""
        labels = {kind.key: str(kind.label) for kind in self.kinds}
        return Cell(path, lambda value: labels.get(key(value), ""))

    # --- index page summary -------------------------------------------------------
    def queue_summary(self, request) -> dict[str, Any]:
        """Counts per queue for the user's scope (one query), for the site's index page."""
        counts = selectors.queue_counts(self.get_queryset(request), self.queues)
        changelist = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        return {
            "title": self.opts.verbose_name_plural,
            "url": changelist,
            "queues": [
                {
                    "key": queue.key,
                    "label": queue.label,
                    "count": counts.get(queue.key, 0),
                    "url": f"{changelist}?queue={queue.key}",
                }
                for queue in self.queues
                if queue.states
            ],
        }

    # --- URLs ---------------------------------------------------------------------
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
        ]
        return own + super().get_urls()

    # --- detail page (read-only, with the review form) --------------------------------
    def get_review_context(self, request, obj) -> dict[str, Any]:
        return {}

    def get_review_files(self, request, obj) -> list[tuple[Any, str]]:
        return []

    def get_audit_target(self, obj) -> str:
        return getattr(obj, "reference", "") or obj.public_id

    # --- export -------------------------------------------------------------------------
    def get_export_fields(self, request) -> list[tuple[Any, Any]]:
        if self.export_fields:
            return list(self.export_fields)
        return [
            (_("名称"), str),
            (_("状态"), lambda obj: self.state_label(obj.state)),
            (_("创建时间"), "created_at"),
        ]

    def export_view(self, request, fmt: str):
        if fmt not in exports.FORMATS or not self._may_view(request):
            raise Http404
        try:
            cl = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        queryset = cl.get_queryset(request)
        fields = self.get_export_fields(request)
        headers, rows = exports.table(queryset, fields)
        from accounts import audit

        audit.record(
            "staff.export",
            request=request,
            target=str(self.opts.verbose_name_plural),
            rows=len(rows),
            format=fmt,
            query=request.GET.urlencode()[:500],
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"{self.opts.verbose_name_plural}-{stamp}"
        return exports.response(fmt, filename, headers, rows, sheet_title=str(self.opts.verbose_name_plural))

    def changelist_view(self, request, extra_context=None):
        query = request.GET.urlencode()
        base = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_export",
            args=("xlsx",),
            current_app=self.admin_site.name,
        )
        extra = {
            "title": self.opts.verbose_name_plural,
            "export_xlsx_url": base + (f"?{query}" if query else ""),
            "export_csv_url": base.replace("/xlsx/", "/csv/") + (f"?{query}" if query else ""),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)
