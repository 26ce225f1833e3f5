"""Review actions of the reviewers' admin: the detail page form and the bulk actions.

Both only call ``review.engine.perform``; a refused transition becomes an
admin message or a form error, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..engine import CommentRequired, ReviewError, Transition, available_transitions, get_kind, history, perform

# Hidden field of the detail page's form: "confirm" shows the confirmation step before a decision.
REVIEW_STEP = "review_step"


class ReviewActionForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("不通过、退回修改时必须填写意见。"),
    )

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        if reasons:
            # Structured reasons of the transitions that take one (e.g. 不推荐, 退回修改), for statistics.
            self.fields["reason"] = forms.ChoiceField(
                label=_("原因类别"),
                required=False,
                choices=[("", "---------"), *reasons],
                help_text=_("不推荐、退回修改时必须选择原因类别。"),
            )

    def mark_errors(self) -> ReviewActionForm:
        """Link each invalid field to its error list for screen readers; focus the first one."""
        first = True
        for name in ("reason", "comment"):
            if name in self.fields and self.errors.get(name):
                attrs = {"aria-invalid": "true", "aria-describedby": f"{name}-errors"}
                if first:
                    attrs["autofocus"] = True
                    first = False
                self.fields[name].widget.attrs.update(attrs)
        return self


def _error_summary(form: ReviewActionForm) -> list[dict]:
    """The form's errors for the summary at the top of the page, each linked to its field."""
    if not form.is_bound:
        return []
    return [
        {"label": form.fields[name].label if name in form.fields else "", "id": f"id_{name}", "message": message}
        for name, errors in form.errors.items()
        for message in errors
    ]


def _reason_label(form: ReviewActionForm, transition: Transition | None):
    if transition is None or not form.is_bound or not hasattr(form, "cleaned_data"):
        return ""
    return dict(transition.reasons).get(form.cleaned_data.get("reason") or "", "")


class SafeSelectionMixin:
    """Admin actions get a tampered ``_selected_action`` (not a row key) refused with a message, not a 500."""

    def response_action(self, request, queryset):
        pk_field = self.model._meta.pk
        try:
            for value in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
                pk_field.get_prep_value(pk_field.to_python(value))
        except (ValidationError, ValueError, TypeError):
            messages.error(request, gettext("所选条目无效，请重新勾选。"))
            return None
        return super().response_action(request, queryset)


class ReviewActionsMixin(SafeSelectionMixin):
    """Detail page (read-only, with the review form) and bulk transitions for ReviewableAdmin."""

    review_change_template = "review/admin/review_detail.html"
    bulk_action_template = "review/admin/bulk_transition.html"
    # Transitions done at once, without the confirmation step (e.g. 受理, which decides nothing).
    unconfirmed_transitions: tuple[str, ...] = ()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self._may_view(request):
            raise Http404(gettext("未找到该申请，或您无权查看。"))
        form = ReviewActionForm(request.POST or None, reasons=self.transition_reasons())
        confirm = None
        if request.method == "POST":
            outcome = self._handle_detail_post(request, obj, form)
            if isinstance(outcome, HttpResponse):
                return outcome
            confirm = outcome
            obj = self.get_object(request, unquote(object_id)) or obj
        else:
            from accounts import audit

            audit.record(
                "staff.view",
                request=request,
                target=self.get_audit_target(obj),
                kind=obj.get_workflow_kind(),
                public_id=obj.public_id,
            )
        return self.render_review_detail(request, obj, form, extra_context, confirm=confirm)

    # --- the decision: check, confirm, perform ---------------------------------------------
    def needs_confirmation(self, transition: Transition) -> bool:
        """Decisions are confirmed on a second step (no JavaScript needed); set ``unconfirmed_transitions``."""
        return transition.name not in self.unconfirmed_transitions

    def confirmation_note(self, obj, transition: Transition) -> str:
        """What the confirmation step says will happen (programmes add theirs, e.g. a certificate is issued)."""
        return gettext("确认后状态将变为“%(state)s”，并通知申请人；此操作不能撤销。") % {
            "state": self.state_label(transition.target)
        }

    def _check_input(self, transition: Transition, form: ReviewActionForm) -> bool:
        """The engine's comment and reason rules, checked before the confirmation step (all errors at once)."""
        comment = (form.cleaned_data.get("comment") or "").strip()
        reason = (form.cleaned_data.get("reason") or "").strip()
        if transition.comment_required and not comment:
            form.add_error(
                "comment", gettext("请填写意见（%(action)s时必须说明理由）。") % {"action": transition.label}
            )
        if transition.reasons and reason not in dict(transition.reasons):
            field = "reason" if "reason" in form.fields else "comment"
            form.add_error(field, gettext("请选择%(action)s的原因。") % {"action": transition.label})
        return not form.errors

    def _handle_detail_post(self, request, obj, form: ReviewActionForm):
        """A response (done), a transition awaiting confirmation, or None (the page again, with errors)."""
        name = request.POST.get("transition") or request.POST.get("cancel", "")
        allowed = {t.name: t for t in self.reviewer_transitions(request.user)}
        transition = allowed.get(name)
        if transition is None:
            messages.error(request, gettext("不支持的操作。"))
            return None
        if not form.is_valid() or "cancel" in request.POST:
            return None  # 取消 on the confirmation: the form again, with what was typed
        own = get_kind(obj.get_workflow_kind()).transitions.get(name) or transition
        if not self._check_input(own, form):
            return None
        # The page's own form asks first (review_step=confirm); the confirmation's form performs. A post
        # without the field (a script, the engine's tests) acts at once, as before.
        if request.POST.get(REVIEW_STEP) == "confirm" and self.needs_confirmation(own):
            return own
        try:
            perform(
                obj,
                name,
                actor=request.user,
                comment=form.cleaned_data["comment"],
                reason=form.cleaned_data.get("reason") or "",
            )
        except CommentRequired as exc:
            form.add_error(exc.field if exc.field in form.fields else "comment", exc.message)
            return None
        except ReviewError as exc:
            messages.error(request, exc.message)
            return None
        messages.success(request, gettext("已%(action)s：%(object)s") % {"action": transition.label, "object": obj})
        return HttpResponseRedirect(request.get_full_path())

    def render_review_detail(self, request, obj, form, extra_context=None, confirm: Transition | None = None):
        kind = get_kind(obj.get_workflow_kind())
        records = history(obj)
        for record in records:
            record.from_label = self.state_label(record.from_state)
            record.to_label = self.state_label(record.to_state)
        actions = [t for t in available_transitions(request.user, obj) if t.is_review]
        if confirm is not None and confirm.name not in {t.name for t in actions}:
            confirm = None  # the state moved on meanwhile: no confirmation for a step no longer offered
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "title": str(obj),
            "subtitle": kind.label,
            "obj": obj,
            "original": obj,
            "kind": kind,
            "state_label": self.state_label(obj.state),
            "records": records,
            "files": self.get_review_files(request, obj),
            "review_actions": actions,
            "form": form.mark_errors(),
            "form_errors": _error_summary(form),
            "review_step_field": REVIEW_STEP,
            "confirm": confirm,
            "confirm_note": self.confirmation_note(obj, confirm) if confirm is not None else "",
            "confirm_reason": _reason_label(form, confirm),
            "review_detail_template": self.review_detail_template,
            "has_view_permission": True,
            "changelist_url": reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist",
                current_app=self.admin_site.name,
            ),
            "preserved_filters": self.get_preserved_filters(request),
            **self.get_review_context(request, obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.review_change_template, context)

    def transition_reasons(self) -> list[tuple[str, object]]:
        """The structured reasons of the reviewer transitions (merged, first label kept)."""
        reasons: dict[str, object] = {}
        for t in self.reviewer_transitions():
            for key, label in t.reasons:
                reasons.setdefault(key, label)
        return list(reasons.items())

    def history_view(self, request, object_id, extra_context=None):
        raise Http404  # the review records are the history

    # --- bulk actions -------------------------------------------------------------------
    def get_actions(self, request):
        if self.actions is None or IS_POPUP_VAR in request.GET or not self._may_view(request):
            return {}
        actions = {}
        for t in self.reviewer_transitions(request.user):
            name = f"transition_{t.name}"
            actions[name] = (_make_bulk_action(t.name), name, t.label)
        return actions

    def bulk_transition(self, request, queryset: QuerySet, name: str):
        transition = {t.name: t for t in self.reviewer_transitions(request.user)}.get(name)
        if transition is None:
            messages.error(request, gettext("不支持的操作。"))
            return None
        objects = list(queryset)
        needs_comment = any(
            kind.transitions.get(name) is not None and kind.transitions[name].comment_required for kind in self.kinds
        )
        form = ReviewActionForm(request.POST if request.POST.get("post") == "yes" else None, reasons=transition.reasons)
        if form.is_bound and form.is_valid():
            comment = form.cleaned_data["comment"]
            reason = form.cleaned_data.get("reason") or ""
            if needs_comment and not comment.strip():
                form.add_error(
                    "comment", gettext("请填写意见（%(action)s时必须说明理由）。") % {"action": transition.label}
                )
            elif transition.reasons and not reason:
                form.add_error("reason", gettext("请选择%(action)s的原因。") % {"action": transition.label})
            else:
                return self._run_bulk(request, objects, transition, comment, reason)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("批量%(action)s") % {"action": transition.label},
            "transition": transition,
            "objects": [(o, self.state_label(o.state)) for o in objects],
            "form": form.mark_errors(),
            "form_errors": _error_summary(form),
            "needs_comment": needs_comment,
            "action_name": f"transition_{name}",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "selected_ids": [o.pk for o in objects],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.bulk_action_template, context)

    def _run_bulk(self, request, objects, transition: Transition, comment: str, reason: str = ""):
        done = 0
        failures: list[str] = []
        for obj in objects:
            try:
                perform(obj, transition.name, actor=request.user, comment=comment, reason=reason)
            except ReviewError as exc:
                failures.append(f"{obj}：{exc.message}")
            else:
                done += 1
        if done:
            messages.success(
                request,
                gettext("已对 %(count)s 条申请执行“%(action)s”。") % {"count": done, "action": transition.label},
            )
        for text in failures[:10]:
            messages.error(request, text)
        if len(failures) > 10:
            messages.error(request, gettext("另有 %(count)s 条未能处理。") % {"count": len(failures) - 10})
        return None


def _make_bulk_action(name: str) -> Callable:
    def action(modeladmin, request, queryset):
        return modeladmin.bulk_transition(request, queryset, name)

    action.__name__ = f"transition_{name}"
    return action
