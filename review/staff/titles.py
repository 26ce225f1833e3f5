"""Chinese page titles on the reviewers' site.

Django's zh_Hans catalogue gives its admin pages titles such as "选择 证照 来修改", "选择证照查看",
"增加 通知公告", "修改 专家分配", "账户 管理" and "变更历史： …" — machine-like, with stray spaces. The site
replaces those defaults (and only those: a ModelAdmin's own title is kept) before the page is rendered, so
every programme's admin reads the same without each of them overriding its views.
"""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.translation import gettext


def _same(title, template: str, *args) -> bool:
    try:
        return str(title) == gettext(template) % args
    except (TypeError, ValueError):
        return False


def chinese_title(context: dict) -> None:
    title = context.get("title")
    if title is None:
        return
    cl = context.get("cl")
    opts = context.get("opts")
    if cl is not None:
        name = cl.opts.verbose_name
        if any(_same(title, t, name) for t in ("Select %s", "Select %s to change", "Select %s to view")):
            context["title"] = cl.opts.verbose_name_plural  # a list is titled by what it lists
        return
    if opts is not None and "add" in context and "change" in context:  # the add / change / view form
        name = opts.verbose_name
        for template, own in (
            ("Add %s", gettext("新增%(name)s")),
            ("Change %s", gettext("修改%(name)s")),
            ("View %s", gettext("查看%(name)s")),
        ):
            if _same(title, template, name):
                context["title"] = own % {"name": name}
                return
        return
    if "action_list" in context and "object" in context:  # the history page
        if _same(title, "Change history: %s", context["object"]):
            context["title"] = gettext("变更历史：%(object)s") % {"object": context["object"]}
        return
    app_list = context.get("app_list")
    if app_list and "app_label" in context:  # an app's index page
        app = app_list[0]["name"]
        if str(title) == gettext("%(app)s administration") % {"app": app}:
            context["title"] = app


def localise(response):
    """Apply :func:`chinese_title` to a page not rendered yet (a TemplateResponse)."""
    if isinstance(response, TemplateResponse) and not response.is_rendered and response.context_data is not None:
        chinese_title(response.context_data)
    return response
