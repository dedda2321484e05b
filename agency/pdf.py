"""PDF documents (acceptance records, invoices, reports) rendered by WeasyPrint.

The same Django templates as the pages, in the language asked for; Chinese
renders with the Noto CJK fonts the setup installs (SETUP-NOTES.md). The API
hands the same bytes out to a client asking `Accept: application/pdf`
(`PDF_RENDERERS`, used by billing's and the reports' endpoints).
"""

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from rest_framework.renderers import BaseRenderer, JSONRenderer
from weasyprint import HTML


def render_pdf(template: str, context: dict[str, Any], *, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(template, {**context, "LANGUAGE_CODE": language})
    return HTML(string=html).write_pdf()


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PdfRenderer(BaseRenderer):
    """Lets an API client ask for `Accept: application/pdf`. The view renders the document
    (`render_pdf`); this passes its bytes through (and an error as JSON)."""

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
