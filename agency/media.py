"""Uploaded files (staff photos, certificate scans, service photos, complaint attachments,
report PDFs) are served only through links that a page or an API answer hands out.

A scan carries an ID number and a photo shows a customer's home, so a file's
path must not be enough to fetch it. Every page that may show a file already
checks who is asking (tenant, role, a customer's signed link), so the link it
renders carries a signature of the file's name that expires (`media_url`);
`serve_media` refuses any other request with a 404, exactly like a missing
file. Nothing is served from the media directory directly.

What a file is served as comes from the allow-list (`agency.uploads`), never
from the browser's guess: the type its checked extension stands for, inline
only for an image or a PDF, a download for anything else, and `nosniff` so
that no browser reads an uploaded file as a page.
"""

from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse

from agency import signed_links
from agency.uploads import type_of_name


def media_url(file: FieldFile | None) -> str:
    """A link to the stored file that works for a while (`signed_links.MEDIA`); "" when
    there is no file."""
    if not file:
        return ""
    name = file.name or ""
    signature = signed_links.signature(signed_links.MEDIA, name)
    return f"{reverse('media', kwargs={'name': name})}?sig={signature}"


def serve_media(request: HttpRequest, name: str) -> FileResponse:
    try:
        signed_links.check_signature(signed_links.MEDIA, name, request.GET.get("sig", ""))
    except signed_links.SignatureInvalid as refused:
        raise Http404 from refused
    if not default_storage.exists(name):
        raise Http404
    kind = type_of_name(name)
    # Files stored before names were generated may carry any extension: a download.
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=kind.content_type if kind else "application/octet-stream",
        as_attachment=kind is None,
        filename=PurePosixPath(name).name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
