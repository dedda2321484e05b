"""PDF documents (acceptance records, invoices, reports) rendered by WeasyPrint.

The same Django templates as the pages, in the language asked for; Chinese
renders with the Noto CJK fonts the setup installs (SETUP-NOTES.md). Only the
reports queue's workers render: weekly reports (reports.services) and every other
document (agency.documents), which the web process then serves from storage. The
API hands the stored bytes out to a client asking `Accept: application/pdf`
(`PDF_RENDERERS`, used by billing's and the reports' endpoints).

A process's first document pays for loading WeasyPrint's stylesheets, fontconfig's
cache and the CJK font files (seconds, and most of the memory a PDF build takes): the
workers that build PDFs pay it once when they start (`warm_up`, from config/celery.py),
and a process that builds none never loads WeasyPrint.
"""

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from rest_framework.renderers import BaseRenderer, JSONRenderer


def render_pdf(template: str, context: dict[str, Any], *, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(template, {**context, "LANGUAGE_CODE": language})
    return write_pdf(html)


def write_pdf(html: str) -> bytes:
    # WeasyPrint is imported on first use: loaded, it holds about 28 MB in every process,
    # and a web process that renders no document should not carry it.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


#: A page with what every document has: the shared layout and its footer, a table, bold
#: type, Chinese and Latin text and figures, so each font face a document uses is loaded.
WARM_UP_TEMPLATE = """{% extends "pdf/base.html" %}
{% block letterhead_name %}家政 Hearth{% endblock %}
{% block content %}<h1>发票 Invoice INV-0001</h1>
<table><tr><th>服务 Service</th><td class="num">¥ 1,234.56</td></tr></table>
<p><strong>合计 Total</strong> 2026年11月23日 23 Nov 2026</p>{% endblock %}"""


def warm_up() -> None:
    """Render a small document and throw it away, so that the process's next document
    starts with WeasyPrint's stylesheets and the fonts loaded. Called once per process of
    the PDF workers. One Chinese document: it holds the Latin text too, and the CJK font
    serves both languages' documents."""
    with translation.override("zh-hans"):
        html = engines["django"].from_string(WARM_UP_TEMPLATE).render({"LANGUAGE_CODE": "zh-hans"})
    write_pdf(html)


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PdfRenderer(BaseRenderer):
    """Lets an API client ask for `Accept: application/pdf`. The view answers the stored
    document; this passes its bytes through (and an error as JSON)."""

    media_type = "application/pdf"
    format = "pdf"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


#: An API action's `renderer_classes` when it answers a PDF, and its schema's response.
PDF_RENDERERS = [JSONRenderer, PdfRenderer]
PDF_RESPONSE = {(200, "application/pdf"): OpenApiTypes.BINARY}
