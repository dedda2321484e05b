"""The one allow-list every upload passes: its type by content and by name, which must agree."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agency.uploads import MAX_UPLOAD_BYTES, GeneratedName, validate_document, validate_photo
from tests.factories import StaffMemberFactory
from tests.uploads import pdf, pdf_named_html, photo, png_with_script, text_as


def _image(name: str, format: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format=format)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (pdf_named_html("x.html"), "type_mismatch"),
        (png_with_script("x.html"), "type_mismatch"),
        (pdf("scan.png"), "type_mismatch"),
        (_image("face.jpg", "PNG"), "type_mismatch"),
        (text_as("scan.pdf"), "invalid_type"),
        (_image("face.webp", "WEBP"), "invalid_type"),
        (_image("face.gif", "GIF"), "invalid_type"),
        (pdf("big.pdf", size=MAX_UPLOAD_BYTES), "too_big"),
    ],
    ids=[
        "pdf-named-html",
        "png-named-html",
        "pdf-named-png",
        "png-named-jpg",
        "text",
        "webp",
        "gif",
        "too-big",
    ],
)
def test_a_document_is_refused_unless_content_and_name_agree_on_an_allowed_type(upload, code):
    with pytest.raises(ValidationError) as refused:
        validate_document(upload)
    assert refused.value.code == code


@pytest.mark.parametrize(
    "upload",
    [pdf("scan.PDF"), photo("face.png"), _image("face.jpeg", "JPEG"), _image("f.JPG", "JPEG")],
    ids=["pdf", "png", "jpeg", "jpg"],
)
def test_a_document_of_an_allowed_type_named_as_such_is_accepted(upload):
    validate_document(upload)


def test_a_photo_is_an_image_only():
    validate_photo(_image("face.webp", "WEBP"))
    with pytest.raises(ValidationError) as refused:
        validate_photo(pdf("face.pdf"))
    assert "not an image" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_stored_name_is_generated_and_carries_only_the_checked_extension(world):
    staff = StaffMemberFactory(agency=world.a.agency)
    upload_to = GeneratedName("staff/photos")
    first, second = upload_to(staff, "王 秀兰.JPEG"), upload_to(staff, "王 秀兰.JPEG")
    assert first != second
    assert first.startswith(f"agency-{world.a.agency.pk}/staff/photos/")
    assert first.endswith(".jpg") and "秀兰" not in first
    # A name the validators would have refused is never stored as what it claims.
    assert upload_to(staff, "x.html").endswith(".bin")
