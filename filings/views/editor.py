"""The application form page (B2), for a new application, a draft and a change request.

The whole page is one HTML form, so that nothing typed is lost whichever
button is pressed; every button names its action:

* ``save`` / ``save:<section>``: 保存 every editable section (partial data kept);
* ``submit``: 保存 then 提交 (every section checked, problems listed at the top);
* ``row-add:<table>``, ``row-edit:<table>:<key>``, ``row-save:<table>:<key>``,
  ``row-delete:<table>:<key>``: the rows of 演员/团体, 场次 and 联合播出 tables;
* ``file-delete:<token>``: remove an uploaded file; files chosen in any
  材料 item are uploaded with whatever button is pressed;
* ``parts``: tick 变更项 of a change request.

It works without JavaScript; static/js/filings.js only adds comfort.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .. import deadlines, selectors
from .. import forms as f
from ..enums import ChangePart, FilingKind, FilingState, MaterialItem, Section
from ..models import ChangeRequest, FilingVersion
from ..resumable import page_settings as resumable_settings
from ..sections import completion
from ..services import changes as change_services
from ..services import editing, lifecycle
from ..services.errors import FilingError, Incomplete
from ..services.validation import FORM_PREFIX, Problem, basic_labels, required_materials
from ..uploads import ACCEPT_ATTR

TABLES = ("performers", "sessions", "partners")
TABLE_SECTION = {"performers": Section.PERFORMERS, "sessions": Section.SESSIONS, "partners": Section.PARTNERS}
# Sections that show another one's rows: 联合播出 lists the sessions (and its deadline note follows them).
DEPENDENT_SECTIONS = {Section.SESSIONS: [Section.PARTNERS]}
STEP_SECTIONS = [s for s in Section.values if s != Section.PLEDGE]


@dataclass
class SummaryItem:
    anchor: str
    label: str
    message: str


class Editor:
    def __init__(self, request, *, target=None, kind: str | None = None):
        self.request = request
        self.user = request.user
        self.target = target
        self.is_new = target is None
        self.is_change = isinstance(target, ChangeRequest)
        self.kind = kind if self.is_new else editing.kind_of(target)
        self.organisation = self.user.organisation
        self.parts = set(target.parts) if self.is_change else set(ChangePart.values)
        self.forms: dict[str, object] = {}
        self.new_rows: dict[str, object] = {}
        self.edit_row: tuple[str, str] | None = None
        self.edit_form = None
        self.summary: list[SummaryItem] = []
        self.upload_errors: dict[str, list[str]] = {}
        self.row_errors: dict[str, list[str]] = {}
        self.problems: list[Problem] = []
        self.load_version()

    # --- state --------------------------------------------------------------------------------
    def load_version(self) -> None:
        if self.is_new:
            self.version = FilingVersion(email=self.user.email or "")
            self.base_version = None
            return
        self.version = selectors.version_detail(editing.version_id_of(self.target))
        self.base_version = selectors.version_detail(self.target.base_version_id) if self.is_change else None

    def editable(self, section: str) -> bool:
        if self.is_new:
            return section == Section.BASIC
        if self.is_change:
            return section == Section.PLEDGE or section in self.parts
        return True

    def page_url(self) -> str:
        if self.is_new:
            return reverse("filings:new", args=[self.kind])
        name = "filings:change_edit" if self.is_change else "filings:edit"
        return reverse(name, args=[self.target.public_id])

    # --- forms ----------------------------------------------------------------------------------
    def build_forms(self, data=None, bind: set[str] | None = None) -> None:
        """Section forms (bound to ``data`` for the sections in ``bind``, default all) and new-row forms."""
        v = self.version

        def bound(section):
            return data if bind is None or section in bind else None

        builders = {
            Section.BASIC: lambda d: f.BasicForm(
                d,
                instance=v,
                organisation=self.organisation,
                kind=self.kind,
                prefix="basic",
                initial=None if v.pk else {"email": v.email},
            ),
            Section.PROGRAMME: lambda d: f.ProgrammeForm(d, instance=v, prefix="programme"),
            Section.PARTNERS: lambda d: f.JointForm(d, instance=v, prefix="joint"),
            Section.PLEDGE: lambda d: f.PledgeForm(d, initial={"pledged": v.pledged}, prefix="pledge"),
        }
        self.forms = {}
        for section, build in builders.items():
            if self.editable(section) and not (self.is_new and section != Section.BASIC):
                self.forms[section] = build(bound(section))
        self.saved_sections = {s for s, form in self.forms.items() if form.is_bound}
        self.new_rows = {}
        if not self.is_new:
            for table in TABLES:
                if self.editable(TABLE_SECTION[table]):
                    self.new_rows[table] = f.row_form(
                        table, version=v, data=bound(TABLE_SECTION[table]), prefix=f"{table}-new"
                    )
        if self.is_change:
            self.parts_form = f.ChangePartsForm(data, initial={"parts": sorted(self.parts)}, prefix="change")
        edit = self.request.GET.get("edit", "")
        if edit.count(":") == 1 and self.edit_row is None:
            table, key = edit.split(":")
            if table in TABLES and self.editable(TABLE_SECTION[table]):
                self.edit_row = (table, key)
        if self.edit_row and self.edit_form is None:
            self.edit_form = self._row_edit_form(*self.edit_row, data=None)

    def _row_edit_form(self, table: str, key: str, data):
        row = self._find_row(table, key)
        if row is None:
            self.edit_row = None
            return None
        form = f.row_form(table, version=self.version, data=data, instance=row, prefix=f"{table}-{key}")
        if table == "partners" and data is None:
            form.initial["sessions"] = [s.key for s in row.sessions.all()]
        return form

    def _find_row(self, table: str, key: str):
        for row in getattr(self.version, table).all():
            if row.key == key:
                return row
        return None

    # --- handling a POST -----------------------------------------------------------------
    def inplace_section(self, action: str) -> str | None:
        """The section an htmx request updates in place (None: the full-page path)."""
        if not getattr(self.request, "htmx", False) or self.is_new:
            return None
        verb, _sep, rest = action.partition(":")
        name = rest.partition(":")[0]
        if verb == "save" and name in Section.values and name != Section.PLEDGE:
            section = name
        elif verb.startswith("row-") and name in TABLES:
            section = TABLE_SECTION[name]
        elif verb == "file-delete":
            section = Section.MATERIALS
        else:
            return None
        return section if self.editable(section) else None

    def handle(self):
        if self.request.method != "POST":
            self.build_forms()
            wanted = self.request.GET.get("section", "")
            if getattr(self.request, "htmx", False) and wanted in Section.values and self.editable(wanted):
                return self.render(inplace=wanted)  # 取消 of a row edit: the section again
            if self.request.GET.get("problems") == "1" and not self.is_new:
                # From 核对信息's list of problems: each one next to its field as well, not only at the top.
                self.show_problems(
                    lifecycle.submission_problems(self.target), _("申请信息不完整，请修改以下问题后再提交。")
                )
            return self.render()
        # Row keys and file tokens in the action reach queries; PostgreSQL refuses NUL in text (a 500).
        action = self.request.POST.get("action", "save").replace("\x00", "")
        if self.is_new:
            return self.handle_new()
        # Only the sections the page showed as editable are bound (a stale or partial post changes nothing else).
        bind = set(self.request.POST.getlist("sections"))
        inplace = self.inplace_section(action)
        if inplace:
            # In place, the browser keeps what is typed elsewhere: only this section is saved.
            return self.handle_inplace(action, inplace, bind & {inplace})
        if self.is_change:
            before = {s for s in Section.values if self.editable(s)}
            self.update_parts()
            bind &= before
        self.build_forms(self.request.POST, bind=bind)
        self.save_sections()
        self.upload_files()
        redirect_to = self.row_action(action)
        self.file_action(action)
        if self.has_errors():
            self.load_version()
            return self.render()
        if action == "submit":
            return self.submit()
        if action == "check":  # 核对信息: everything saved, then the whole application to check
            return redirect("filings:change_check" if self.is_change else "filings:check", self.target.public_id)
        messages.success(self.request, _("已保存。"))
        if redirect_to:
            return redirect(redirect_to)
        section = action.split(":", 1)[1] if action.startswith("save:") else ""
        return redirect(self.page_url() + (f"#section-{section}" if section in Section.values else ""))

    def handle_inplace(self, action: str, section: str, bind: set[str]):
        self.build_forms(self.request.POST, bind=bind)
        self.save_sections()
        if section == Section.MATERIALS:
            self.upload_files()
        self.row_action(action)
        self.file_action(action)
        verb, _sep, rest = action.partition(":")
        table, _sep, key = rest.partition(":")
        if verb == "row-edit":
            self.edit_row, self.edit_form = (table, key), None
            self.edit_form = self._row_edit_form(table, key, data=None)
        self.load_version()
        self.saved_section = "" if self.has_errors() or verb == "row-edit" else section
        return self.render(inplace=section)

    def handle_new(self):
        self.build_forms(self.request.POST)
        form = self.forms[Section.BASIC]
        if not form.is_valid():
            return self.render()
        try:
            filing = editing.create_filing(self.user, self.kind, form.cleaned_data)
        except FilingError as exc:
            messages.error(self.request, exc.message)
            return self.render()
        messages.success(self.request, _("基本信息已保存，请继续填写其他信息。"))
        return redirect(reverse("filings:edit", args=[filing.public_id]) + "#section-programme")

    def update_parts(self) -> None:
        form = f.ChangePartsForm(self.request.POST, prefix="change")
        if "change-present" not in self.request.POST or not form.is_valid():
            return
        wanted = set(form.cleaned_data["parts"])
        if wanted != self.parts:
            try:
                change_services.set_parts(self.user, self.target, sorted(wanted))
            except FilingError as exc:
                messages.error(self.request, exc.message)
                return
            self.target.parts = [p for p in ChangePart.values if p in wanted]
            self.parts = wanted
            self.load_version()

    def save_sections(self) -> None:
        for section, form in self.forms.items():
            if not form.is_bound or not form.is_valid():
                continue
            try:
                if section == Section.PLEDGE:
                    editing.save_pledge(self.user, self.target, form.cleaned_data["pledged"])
                else:
                    editing.save_section(self.user, self.target, section, form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except FilingError as exc:
                form.add_error(None, exc.message)

    def upload_files(self) -> None:
        if not self.editable(Section.MATERIALS):
            return
        for item in MaterialItem.values:
            files = self.request.FILES.getlist(f"material-{item}")
            if not files:
                continue
            try:
                editing.upload_materials(self.user, self.target, item, files)
            except ValidationError as exc:
                self.upload_errors[item] = exc.messages
            except FilingError as exc:
                self.upload_errors[item] = [exc.message]

    def row_action(self, action: str) -> str | None:
        """Row buttons; also adds a new row typed in and left unsaved when another button is pressed."""
        verb, _sep, rest = action.partition(":")
        table, _sep, key = rest.partition(":")
        for name, form in self.new_rows.items():
            wanted = verb == "row-add" and table == name
            if not wanted and not form.has_changed():
                self.new_rows[name] = f.row_form(name, version=self.version, data=None, prefix=f"{name}-new")
                continue
            if form.is_valid():
                try:
                    editing.add_row(self.user, self.target, name, form.cleaned_data)
                except (FilingError, ValidationError) as exc:
                    self.row_errors.setdefault(name, []).extend(_messages(exc))
                    continue
                self.new_rows[name] = f.row_form(name, version=self.version, data=None, prefix=f"{name}-new")
        if table not in TABLES or not self.editable(TABLE_SECTION[table]):
            return None
        if verb == "row-edit":
            return f"{self.page_url()}?edit={table}:{key}#row-{key}"
        if verb == "row-delete":
            try:
                editing.delete_row(self.user, self.target, table, key)
            except FilingError as exc:
                self.row_errors.setdefault(table, []).append(exc.message)
            return f"{self.page_url()}#section-{TABLE_SECTION[table]}"
        if verb == "row-save":
            form = self._row_edit_form(table, key, data=self.request.POST)
            if form is None:
                self.row_errors.setdefault(table, []).append(_("该记录不存在或已被删除。"))
                return None
            self.edit_row, self.edit_form = (table, key), form
            if form.is_valid():
                try:
                    editing.update_row(self.user, self.target, table, key, form.cleaned_data)
                except (FilingError, ValidationError) as exc:
                    self.row_errors.setdefault(table, []).extend(_messages(exc))
                    return None
                self.edit_row, self.edit_form = None, None
                return f"{self.page_url()}#row-{key}"
        if verb == "row-add":
            return f"{self.page_url()}#section-{TABLE_SECTION[table]}"
        return None

    def file_action(self, action: str) -> None:
        if action.startswith("file-delete:") and self.editable(Section.MATERIALS):
            try:
                editing.delete_material(self.user, self.target, action.split(":", 1)[1])
            except FilingError as exc:
                self.row_errors.setdefault("materials", []).append(exc.message)

    def has_errors(self) -> bool:
        forms = list(self.forms.values()) + list(self.new_rows.values())
        if self.edit_form is not None:
            forms.append(self.edit_form)
        return bool(any(form.is_bound and form.errors for form in forms) or self.upload_errors or self.row_errors)

    def show_problems(self, problems, title: str) -> None:
        """What keeps the application from 提交: listed at the top and put next to each field."""
        self.problems = problems
        self.summary_title = title
        for problem in problems:
            form = self.forms.get(problem.section)
            if form is not None and problem.field in getattr(form, "fields", {}):
                if not form.is_bound:  # a GET from 核对信息: add_error needs the (empty) cleaned data
                    form.full_clean()
                    form.cleaned_data = {}
                form.add_error(problem.field, problem.message)

    def submit(self):
        try:
            target = lifecycle.submit(self.user, self.target)
        except Incomplete as exc:
            self.show_problems(exc.problems, exc.message)
            self.load_version()
            return self.render()
        except FilingError as exc:
            messages.error(self.request, exc.message)
            self.load_version()
            return self.render()
        ref = target.reference  # a change's own (…-BG01), tied to the programme's
        messages.success(
            self.request, _("提交成功，受理编号 %(ref)s。提交后不能修改，请在受理状态中查看办理进度。") % {"ref": ref}
        )
        return redirect("filings:status")

    # --- rendering ----------------------------------------------------------------------------
    def build_summary(self) -> None:
        items: list[SummaryItem] = []
        seen = set()
        for problem in self.problems:
            items.append(SummaryItem(problem.anchor, problem.label, problem.message))
            seen.add((str(problem.section), problem.field, problem.message))
        for section, form in self.forms.items():
            if not form.is_bound:
                continue
            for name, errors in form.errors.items():
                if name == "__all__":
                    anchor, label = "error-summary", ""
                else:
                    field = form[name]
                    # radio groups have no label target: link to their first button
                    anchor, label = field.id_for_label or f"{field.auto_id}_0", str(field.label)
                for error in errors:
                    if (str(section), name, error) not in seen:
                        items.append(SummaryItem(anchor, label, error))
                        seen.add((str(section), name, error))
        for item, errors in self.upload_errors.items():
            for error in errors:
                items.append(SummaryItem(f"material-{item}", str(MaterialItem(item).label), error))
        for table, form in self.new_rows.items():
            if form.is_bound and form.errors:
                items.append(
                    SummaryItem(
                        f"{table}-new",
                        str(Section(TABLE_SECTION[table]).label),
                        _("新增的记录有错误，请修改后再保存。"),
                    )
                )
        if self.edit_form is not None and self.edit_form.is_bound and self.edit_form.errors:
            items.append(SummaryItem(f"row-{self.edit_row[1]}", _("编辑的记录"), _("请修改标出的错误后再保存。")))
        for table, errors in self.row_errors.items():
            label = str(Section.MATERIALS.label) if table == "materials" else str(Section(TABLE_SECTION[table]).label)
            anchor = "section-materials" if table == "materials" else f"section-{TABLE_SECTION[table]}"
            for error in errors:
                items.append(SummaryItem(anchor, label, error))
        self.summary = items

    def steps(self) -> list[dict]:
        v = self.version
        done = completion(v)
        result = []
        for number, section in enumerate(Section.values, start=1):
            result.append(
                {
                    "key": section,
                    "number": number if section != Section.PLEDGE else "",
                    "label": Section(section).label,
                    "done": bool(v.pk) and done[section],
                    "locked": self.is_new and section != Section.BASIC,
                    "editable": self.editable(section),
                }
            )
        return result

    def materials(self) -> list[dict]:
        errors = {item: list(found) for item, found in self.upload_errors.items()}
        for problem in self.problems:  # 提交: "请上传此项材料。" next to the item too, not only in the summary
            if problem.section == Section.MATERIALS and problem.field:
                errors.setdefault(problem.field, []).append(problem.message)
        return material_rows(self.version, errors)

    def deadline_note(self) -> tuple[str, str] | None:
        """(level, text) about the 30-day filing rule of domestic programmes, from the saved sessions."""
        if self.kind != FilingKind.DOMESTIC or not self.version.pk:
            return None
        deadline = selectors.filing_deadline(self.version)
        if deadline is None:
            return None
        days = settings.FILINGS_DOMESTIC_FILING_DAYS
        date = timezone.localtime(deadline).strftime("%Y-%m-%d")
        warning = deadlines.stage(deadline)  # 7 days and 1 day before the deadline, and after it
        if warning.overdue:
            return "danger", _("首场演出已超过%(days)s天（备案期限 %(date)s），属于逾期备案，请尽快提交。") % {
                "days": days,
                "date": date,
            }
        if warning.stage is not None:
            return "warning", _(
                "本节目备案期限为 %(date)s（首场演出后%(days)s天内），距期限不足%(n)s天，请尽快完成填写并提交。"
            ) % {"date": date, "days": days, "n": warning.stage}
        return "info", _("国产网络演出剧(节)目应在首场演出后%(days)s天内备案，本节目备案期限为 %(date)s。") % {
            "days": days,
            "date": date,
        }

    def return_comment(self) -> str:
        if self.target is None or self.target.state != FilingState.RETURNED:
            return ""
        for record in reversed(selectors.history(self.target)):
            if record.transition == "return":
                return record.comment
        return ""

    def render(self, inplace: str | None = None):
        self.build_summary()
        title = FilingKind(self.kind).label
        if self.is_change:
            title = _("网络演出剧(节)目变更")
        context = {
            "editor": self,
            "title": title,
            "version": self.version,
            "base_version": self.base_version,
            "target": self.target,
            "kind": self.kind,
            "is_import": self.kind == FilingKind.IMPORT,
            "labels": basic_labels(self.kind),
            "steps": self.steps(),
            "forms": {key: form for key, form in self.forms.items()},
            "form_prefix": FORM_PREFIX,
            "new_rows": self.new_rows,
            "edit_row": self.edit_row,
            "edit_form": self.edit_form,
            "materials": self.materials(),
            "summary": self.summary,
            "summary_title": getattr(self, "summary_title", ""),
            "row_errors": self.row_errors,
            "accept": ACCEPT_ATTR,
            "parts_form": getattr(self, "parts_form", None),
            "editable": {s: self.editable(s) for s in Section.values},
            "page_url": self.page_url(),
            "return_comment": self.return_comment(),
            "deadline_note": None if self.is_change else self.deadline_note(),
            "max_document": settings.UPLOAD_MAX_DOCUMENT_BYTES,
            "max_video": settings.UPLOAD_MAX_VIDEO_BYTES,
            # Large files and videos go by resumable (tus) upload when JavaScript runs (static/js/uploads.js).
            "resumable": resumable_settings(self.target, self.page_url()) if self.editable(Section.MATERIALS) else None,
            "saved_section": getattr(self, "saved_section", ""),
        }
        if inplace:
            # The section, then (out of band) those that show its rows, the step list and the summary.
            extra = DEPENDENT_SECTIONS.get(inplace, [])
            for name in extra:
                table = next((t for t, s in TABLE_SECTION.items() if s == name), None)
                if table in self.new_rows:
                    self.new_rows[table] = f.row_form(table, version=self.version, data=None, prefix=f"{table}-new")
            context["inplace"] = [f"filings/sections/{inplace}.html"]
            context["oob_sections"] = [f"filings/sections/{name}.html" for name in extra if self.editable(name)]
            context["oob_deadline"] = inplace == Section.SESSIONS
            response = render(self.request, "filings/_inplace.html", context)
        else:
            response = render(self.request, "filings/edit.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return response


def material_rows(version: FilingVersion, errors: dict | None = None) -> list[dict]:
    """材料上传 items with their files (and upload errors), in the order of the form."""
    required = set(required_materials())
    errors = errors or {}
    by_item: dict[str, list] = {}
    for m in version.materials.all() if version.pk else []:
        by_item.setdefault(m.item, []).append(m)
    return [
        {
            "key": item,
            "label": label,
            "required": item in required,
            "files": by_item.get(item, []),
            "errors": errors.get(item, []),
        }
        for item, label in MaterialItem.choices
    ]


def _messages(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [getattr(exc, "message", str(exc))]
