"""Every uploaded file passes one allow-list: what it is, by its content and by its name.

A file named `x.html` that starts with `%PDF-` would otherwise be accepted and
then served as text/html from the app's origin. So an upload is accepted only
when its content is one of the allowed types (magic bytes for a PDF, Pillow's
verify for an image) AND its extension is one of that same type's; it is
stored under a generated name carrying the checked extension, never the
user's; and `agency.media` serves it with the type that extension stands for.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Model
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    name: str
    content_type: str
    #: The first is the one a stored name carries.
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", ("pdf",))
JPEG = FileType("JPEG", "image/jpeg", ("jpg", "jpeg"))
PNG = FileType("PNG", "image/png", ("png",))
WEBP = FileType("WebP", "image/webp", ("webp",))
#: Pillow's name for each image type it may find inside a file.
IMAGE_TYPES = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}
KNOWN_TYPES = (PDF, JPEG, PNG, WEBP)

PHOTO_TYPES = (JPEG, PNG, WEBP)
DOCUMENT_TYPES = (PDF, JPEG, PNG)


def type_of_name(name: str) -> FileType | None:
    """The allowed type a (stored) file's extension stands for; None for anything else."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return next((kind for kind in KNOWN_TYPES if extension in kind.extensions), None)


def validate_upload_size(file: File) -> None:
    if file.size and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."), code="too_big")


def validate_photo(file: File) -> None:
    """A photo: a JPEG, PNG or WebP image by content and by name, at most 5 MB."""
    refusal = _("Upload a photo in JPEG, PNG or WebP format; this file is not an image.")
    _check(file, PHOTO_TYPES, ValidationError(refusal, code="invalid_type"))


def validate_document(file: File) -> None:
    """A scan or an attachment: a PDF, JPEG or PNG by content and by name, at most 5 MB."""
    refusal = _("Upload a PDF, JPEG or PNG file; this file is none of them.")
    _check(file, DOCUMENT_TYPES, ValidationError(refusal, code="invalid_type"))


def _check(file: File, allowed: tuple[FileType, ...], refusal: ValidationError) -> None:
    # A file already in storage was checked when it came in: re-reading it on
    # every later save of the record would cost a read and fail on a lost file.
    if getattr(file, "_committed", False):
        return
    validate_upload_size(file)
    found = _type_of_content(file)
    if found not in allowed:
        raise refusal
    named = type_of_name(file.name or "")
    if named != found:
        raise ValidationError(
            _(
                "This file is a %(type)s but its name does not end in %(extensions)s; "
                "rename it and upload it again."
            ),
            code="type_mismatch",
            params={
                "type": found.name,
                "extensions": " / ".join(f".{e}" for e in found.extensions),
            },
        )


def _type_of_content(file: File) -> FileType | None:
    file.seek(0)
    head = file.read(len(b"%PDF-"))
    if head == b"%PDF-":
        file.seek(0)
        return PDF
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
            return IMAGE_TYPES.get(image.format or "")
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors on bad files
        return None
    finally:
        file.seek(0)


@deconstructible
class GeneratedName:
    """`upload_to` for every uploaded file: `agency-<id>/<folder>/<yyyy>/<mm>/<uuid>.<ext>`.

    The extension is the canonical one of the type the name was checked to
    be (the validators above run before a file is saved); anything else is
    stored as `.bin`, which `agency.media` only ever hands out as a download.
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Model, filename: str) -> str:
        kind = type_of_name(filename)
        extension = kind.extensions[0] if kind else "bin"
        # An agency's own files (its logo) belong to the agency row itself.
        agency_id = getattr(instance, "agency_id", None) or instance.pk
        month = timezone.now().strftime("%Y/%m")
        return f"agency-{agency_id}/{self.folder}/{month}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GeneratedName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)
