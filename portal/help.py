"""操作手册: the help index, the two programme manuals, their search and their PDF.

The search is server-side (works without JavaScript): the manual template is rendered, cut into
its chapters (``<section id="chN">``) and their paragraphs, and every paragraph holding all the
words of the query is listed with the words highlighted and a link to its chapter.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.files import content_disposition

MANUALS = {"mct": "help/manual_mct.html", "nrta": "help/manual_nrta.html"}
TITLES = {
    "mct": _("网络演出剧（节）目审批备案操作手册"),
    "nrta": _("优秀网络视听作品推选活动申报系统操作手册"),
}
MAX_QUERY = 40
MAX_HITS = 30

_SECTION = re.compile(r'<section id="(?P<id>[\w-]+)"[^>]*>(?P<body>.*?)</section>', re.S)
_HEADING = re.compile(r"<h2[^>]*>(?P<h>.*?)</h2>", re.S)
_PARAGRAPH = re.compile(r"<(?P<tag>p|li|dd|dt|figcaption|td|h3)\b[^>]*>(?P<text>.*?)</(?P=tag)>", re.S)


@dataclass(frozen=True)
class Hit:
    programme: str
    manual_title: str
    anchor: str
    chapter: str
    excerpt: SafeString


def query_words(request) -> tuple[str, list[str]]:
    query = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY]
    return query, [word for word in query.split(" ") if word]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment)).split())


def highlight(text: str, words: list[str]) -> SafeString:
    """Escape ``text`` and wrap every occurrence of the words in <mark>."""
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.I)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group(0)))
        last = match.end()
    parts.append(html.escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def search_manual(request, programme: str, words: list[str]) -> list[Hit]:
    if not words:
        return []
    page = render_to_string(MANUALS[programme], {"programme": programme}, request=request)
    lowered = [word.lower() for word in words]
    hits = []
    for section in _SECTION.finditer(page):
        heading = _HEADING.search(section["body"])
        chapter = _text(heading["h"]) if heading else section["id"]
        for paragraph in _PARAGRAPH.finditer(section["body"]):
            text = _text(paragraph["text"])
            if text and all(word in text.lower() for word in lowered):
                hits.append(Hit(programme, str(TITLES[programme]), section["id"], chapter, highlight(text, words)))
                if len(hits) >= MAX_HITS:
                    return hits
    return hits


def help_index(request):
    query, words = query_words(request)
    hits = [hit for programme in MANUALS for hit in search_manual(request, programme, words)]
    return render(request, "help/index.html", {"query": query, "hits": hits})


def manual(request, programme: str):
    template = MANUALS.get(programme)
    if template is None:
        raise Http404
    query, words = query_words(request)
    hits = search_manual(request, programme, words)
    return render(request, template, {"programme": programme, "query": query, "hits": hits})


_font_config = None


def _static_fetcher():
    """WeasyPrint URL fetcher: only the manual's own pictures under static/help/ (closed networks)."""
    from pathlib import Path

    from weasyprint.urls import URLFetcher

    root = (Path(settings.BASE_DIR) / "static" / "help").resolve()

    class StaticHelpFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url[len("file://") :]).resolve()
                if path.is_relative_to(root) and path.suffix == ".png":
                    return super().fetch(url, headers)
            raise ValueError(f"external resource refused while rendering a PDF: {url}")

    return StaticHelpFetcher(allowed_protocols=["file"])


def render_pdf(html_text: str, base_url: str | None = None) -> bytes:
    """HTML → PDF with WeasyPrint (imported lazily; one font configuration per process)."""
    global _font_config
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _font_config = FontConfiguration()
    return HTML(string=html_text, url_fetcher=_static_fetcher(), base_url=base_url).write_pdf(font_config=_font_config)


def manual_pdf(request, programme: str):
    """The manual as a downloadable A4 PDF (same template as the page, print layout, pictures included)."""
    from pathlib import Path

    template = MANUALS.get(programme)
    if template is None:
        raise Http404
    language = get_language() or settings.LANGUAGE_CODE
    key = f"manual-pdf:v3:{programme}:{language}"  # v3: the supervision chapters (issue 9)
    pdf = cache.get(key)
    if pdf is None:
        static_root = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
        context = {"programme": programme, "pdf": True, "pdf_static": static_root}
        pdf = render_pdf(render_to_string(template, context, request=request))
        cache.set(key, pdf, 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = {
        "mct": "网络演出剧（节）目审批备案操作手册.pdf",
        "nrta": "优秀网络视听作品推选活动申报系统操作手册.pdf",
    }[programme]
    response["Content-Disposition"] = content_disposition(filename)
    return response
