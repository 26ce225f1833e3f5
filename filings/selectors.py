"""Read queries of filings, always scoped to who asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, F, Prefetch, QuerySet, Value
from django.http import Http404

from review.models import Certificate, ReviewRecord
from review.staff.pagination import CappedPaginator

from . import rules
from .enums import OPEN_STATES, FilingState, ListType
from .models import ChangeRequest, Filing, FilingVersion, Material, Partner

VERSION_PREFETCH = ("performers", "sessions", "materials")


# --- the applicant's own things (404 for anything else) ---------------------------------


def own_filings(user) -> QuerySet[Filing]:
    if not rules.is_applicant(user):
        return Filing.objects.none()
    return Filing.objects.filter(organisation_id=user.organisation_id)


def own_changes(user) -> QuerySet[ChangeRequest]:
    if not rules.is_applicant(user):
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.filter(organisation_id=user.organisation_id)


def own_filing(user, public_id: str) -> Filing:
    filing = (
        own_filings(user)
        .select_related("organisation", "application_version", "current_version")
        .filter(public_id=public_id)
        .first()
    )
    if filing is None:
        raise Http404
    return filing


def own_change(user, public_id: str) -> ChangeRequest:
    change = (
        own_changes(user)
        .select_related("organisation", "filing", "version", "base_version", "filing__current_version")
        .filter(public_id=public_id)
        .first()
    )
    if change is None:
        raise Http404
    return change


def version_detail(version_id: int) -> FilingVersion:
    """A version with everything its pages show, in a fixed number of queries."""
    return (
        FilingVersion.objects.select_related("filler", "manager")
        .prefetch_related(
            *VERSION_PREFETCH,
            Prefetch("partners", queryset=Partner.objects.prefetch_related("sessions")),
        )
        .get(pk=version_id)
    )


def history(obj) -> list[ReviewRecord]:
    return list(
        ReviewRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).order_by("at", "pk")
    )


def open_change_for(filing: Filing) -> ChangeRequest | None:
    return filing.changes.filter(state__in=list(OPEN_STATES)).order_by("-created_at").first()


def filing_deadline(version: FilingVersion) -> datetime | None:
    """Domestic programmes are filed within FILINGS_DOMESTIC_FILING_DAYS of the first session (None: no session)."""
    first = min((s.starts_at for s in version.sessions.all()), default=None)
    if first is None:
        return None
    return first + timedelta(days=settings.FILINGS_DOMESTIC_FILING_DAYS)


# --- 受理状态 -----------------------------------------------------------------------------

# What a 受理状态 row shows, and what its buttons (services.actions.applicant_actions) read: nothing else
# of the filing, its version or the change is fetched.
STATUS_FILING_FIELDS = (
    "public_id", "state", "kind", "reference", "submitted_at", "updated_at", "organisation_id",
    "application_version__name",
)  # fmt: skip
STATUS_CHANGE_FIELDS = (
    "public_id", "state", "reference", "submitted_at", "updated_at", "organisation_id", "filing__kind",
    "version__name",
)  # fmt: skip


@dataclass
class StatusRow:
    obj: Filing | ChangeRequest
    is_change: bool
    state_text: str = ""
    kind_text: str = ""  # the programme's type (a change: its filing's)

    @property
    def filing(self) -> Filing:
        return self.obj.filing if self.is_change else self.obj

    @property
    def version(self) -> FilingVersion | None:
        return self.obj.version if self.is_change else self.obj.application_version

    @property
    def reference(self) -> str:
        return self.obj.reference  # a change has its own: WY-湘-2026-000001-BG01

    @property
    def submitted_at(self) -> datetime | None:
        return self.obj.submitted_at

    @property
    def updated_at(self) -> datetime:
        return self.obj.updated_at


def status_page(user, *, state: str = "", list_type: str = "", page: int | str = 1, per_page: int = 20):
    """The unit's applications and change requests, newest first, one page; a fixed number of queries.

    At any volume: the page's keys come from the two tables' ``(organisation, updated_at)`` indexes (a
    merge of two index scans, ``LIMIT``/``OFFSET`` of the page), the count stops at ``CappedPaginator.cap``
    (``paginator.capped`` says there are more), and the page's rows are read with only what they show.
    """
    filings = own_filings(user)
    changes = own_changes(user)
    if state in FilingState.values:
        filings = filings.filter(state=state)
        changes = changes.filter(state=state)
    if list_type in (ListType.DOMESTIC, ListType.IMPORT):
        filings = filings.filter(kind=list_type)
        changes = changes.none()
    elif list_type == ListType.CHANGE:
        filings = filings.none()
    keys = (
        filings.annotate(t=Value("f", output_field=CharField()))
        .values_list("t", "pk", "updated_at")
        .union(changes.annotate(t=Value("c", output_field=CharField())).values_list("t", "pk", "updated_at"), all=True)
        .order_by(F("updated_at").desc(), "pk")
    )
    paginator = CappedPaginator(keys, per_page)
    page_obj = paginator.get_page(page)
    wanted = list(page_obj.object_list)
    filing_ids = [pk for t, pk, _u in wanted if t == "f"]
    change_ids = [pk for t, pk, _u in wanted if t == "c"]
    by_filing = (
        {
            f.pk: f
            for f in own_filings(user)
            .filter(pk__in=filing_ids)
            .select_related("application_version")
            .only(*STATUS_FILING_FIELDS)
        }
        if filing_ids
        else {}
    )
    by_change = (
        {
            c.pk: c
            for c in own_changes(user)
            .filter(pk__in=change_ids)
            .select_related("filing", "version")
            .only(*STATUS_CHANGE_FIELDS)
        }
        if change_ids
        else {}
    )
    filing_states = {value: str(label) for value, label in Filing._meta.get_field("state").flatchoices}
    change_states = {value: str(label) for value, label in ChangeRequest._meta.get_field("state").flatchoices}
    kinds = {value: str(label) for value, label in Filing._meta.get_field("kind").flatchoices}
    rows = []
    for t, pk, _u in wanted:
        if t == "f" and pk in by_filing:
            obj = by_filing[pk]
            rows.append(StatusRow(obj, False, filing_states.get(obj.state, obj.state), kinds.get(obj.kind, obj.kind)))
        elif t == "c" and pk in by_change:
            obj = by_change[pk]
            kind = obj.filing.kind
            rows.append(StatusRow(obj, True, change_states.get(obj.state, obj.state), kinds.get(kind, kind)))
    return page_obj, rows


# --- 网络演出剧(节)目管理 ---------------------------------------------------------------


def approved_programmes(user, *, page: int | str = 1, per_page: int = 20):
    qs = (
        own_filings(user)
        # 暂扣 (the certificate suspended) stays listed, shown as 暂扣 and without 变更
        .filter(state__in=[FilingState.APPROVED, FilingState.SUSPENDED])
        .select_related("current_version")
        .order_by("-decided_at", "-pk")
    )
    paginator = Paginator(qs, per_page)
    page_obj = paginator.get_page(page)
    filings = list(page_obj.object_list)
    ids = [f.pk for f in filings]
    open_changes: dict[int, ChangeRequest] = {}
    certificates: dict[int, Certificate] = {}
    if ids:
        for change in ChangeRequest.objects.filter(filing_id__in=ids, state__in=list(OPEN_STATES)):
            open_changes[change.filing_id] = change
        content_type = ContentType.objects.get_for_model(Filing)
        for cert in Certificate.objects.filter(content_type=content_type, object_id__in=ids):
            certificates[cert.object_id] = cert
    for filing in filings:
        filing.open_change = open_changes.get(filing.pk)
        filing.certificate = certificates.get(filing.pk)
    return page_obj, filings


def certificate_for(filing: Filing) -> Certificate | None:
    return Certificate.objects.filter(
        content_type=ContentType.objects.get_for_model(Filing), object_id=filing.pk
    ).first()


# --- files -------------------------------------------------------------------------------


def downloadable_material(user, token: str) -> Material:
    """The material if ``user`` may download it (the unit's members; reviewers entitled to the application)."""
    material = (
        Material.objects.select_related("version__filing", "version__filing__organisation").filter(token=token).first()
    )
    if material is None:
        raise Http404
    version = material.version
    filing = version.filing
    if rules.is_member(user, filing):
        return material
    if getattr(user, "is_authenticated", False) and user.staff_profile_or_none is not None:
        from .workflow import change_queryset, filing_queryset

        if version.pk in (filing.application_version_id, filing.current_version_id):
            if filing_queryset(filing.kind)(user).filter(pk=filing.pk).exists():
                return material
        change = ChangeRequest.objects.filter(version_id=version.pk).first()
        if change is not None and change_queryset(user).filter(pk=change.pk).exists():
            return material
    raise Http404
