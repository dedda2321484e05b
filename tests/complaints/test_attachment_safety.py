"""No stored script through complaint attachments.

A dispatcher uploads; a manager opens the attachment from the complaint page.
Whatever was uploaded, the manager's browser must never be handed a page from
the app's origin.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agency.media import media_url
from agency.models import Role
from complaints.models import Attachment
from complaints.services.intake import complaint_take
from tests.uploads import SCRIPT, pdf, pdf_named_html, png_with_script

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(world, office, intake):
    return complaint_take(agency=world.a.agency, actor=office, intake=intake())


def _attach(world, complaint, upload):
    client = APIClient()
    client.force_authenticate(world.a.user(Role.DISPATCHER))
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    address = reverse("complaint-attachments", kwargs={"pk": complaint.pk})
    return client.post(address, {"file": upload}, format="multipart")


def _served(attachment):
    return Client().get(media_url(attachment.file))


def _files(media):
    return [p for p in media.rglob("*") if p.is_file()]


def test_a_page_named_html_that_starts_like_a_pdf_is_refused(world, complaint, media):
    response = _attach(world, complaint, pdf_named_html("x.html"))

    assert response.status_code == 400
    assert "its name does not end in .pdf" in str(response.json())
    assert not Attachment.objects.exists()
    assert _files(media) == []


def test_a_png_with_a_script_appended_is_stored_and_served_only_as_an_image(
    world, complaint, media
):
    response = _attach(world, complaint, png_with_script("x.png"))
    assert response.status_code == 201, response.json()

    attachment = Attachment.objects.get()
    assert attachment.file.name.endswith(".png") and "x.png" not in attachment.file.name
    assert attachment.display_name == "x.png"
    served = _served(attachment)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline")
    assert SCRIPT in b"".join(served.streaming_content)


def test_a_pdf_is_served_inline_as_a_pdf(world, complaint, media):
    assert _attach(world, complaint, pdf("quote.pdf")).status_code == 201

    served = _served(Attachment.objects.get())
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("inline")
    assert served["X-Content-Type-Options"] == "nosniff"


def test_a_file_stored_under_its_uploaders_name_before_the_fix_is_only_a_download(
    world, complaint, office, media
):
    name = default_storage.save("complaints/2026/11/x.html", ContentFile(b"%PDF-1.4\n" + SCRIPT))
    attachment = Attachment.objects.create(
        agency=world.a.agency, complaint=complaint, uploaded_by=office.user, file=name
    )

    served = _served(attachment)
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"] == 'attachment; filename="x.html"'
    assert served["X-Content-Type-Options"] == "nosniff"
    assert attachment.display_name == "x.html"
