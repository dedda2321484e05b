"""PDF documents (acceptance records, invoices, reports) rendered by WeasyPrint.

The same Django templates as the pages, in the language asked for; Chinese
renders with the Noto CJK fonts the setup installs (SETUP-NOTES.md).
"""

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML


def render_pdf(template: str, context: dict[str, Any], *, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(template, {**context, "LANGUAGE_CODE": language})
    return HTML(string=html).write_pdf()


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
