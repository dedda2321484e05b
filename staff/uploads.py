"""Limits on uploaded photos and scans."""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def validate_upload_size(file: File) -> None:
    if file.size and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))


#: What Pillow must find inside a photo, whatever its file name says.
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
SCAN_IMAGE_FORMATS = frozenset({"JPEG", "PNG"})


def validate_photo_content(file: File) -> None:
    """A photo must really be a JPEG, PNG or WebP image: a renamed text file is refused."""
    if _image_format(file) not in PHOTO_FORMATS:
        raise ValidationError(
            _("Upload a photo in JPEG, PNG or WebP format; this file is not an image."),
            code="invalid_image",
        )


def validate_scan_content(file: File) -> None:
    """A scan must really be a PDF or a JPEG/PNG image, whatever its file name says."""
    if _starts_with(file, b"%PDF-") or _image_format(file) in SCAN_IMAGE_FORMATS:
        return
    raise ValidationError(
        _("Upload the scan as a PDF, JPEG or PNG file; this file is none of them."),
        code="invalid_scan",
    )


def _image_format(file: File) -> str | None:
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
            return image.format
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors on bad files
        return None
    finally:
        file.seek(0)


def _starts_with(file: File, magic: bytes) -> bool:
    file.seek(0)
    head = file.read(len(magic))
    file.seek(0)
    return head == magic
