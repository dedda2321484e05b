"""Uploads for tests: a real PNG, a text file named like an image, a minimal PDF."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name: str = "face.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def text_as(name: str) -> SimpleUploadedFile:
    """A text file with an image's or a PDF's name: what a careless upload looks like."""
    return SimpleUploadedFile(name, b"just some notes, not a picture\n", content_type="image/jpeg")


def pdf(name: str = "scan.pdf", size: int = 0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    return SimpleUploadedFile(name, body + b"0" * size, content_type="application/pdf")


SCRIPT = b"<html><script>fetch('/api/members/')</script></html>"


def pdf_named_html(name: str = "x.html") -> SimpleUploadedFile:
    """A page that passes a PDF check by its first bytes."""
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + SCRIPT, content_type="text/html")


def png_with_script(name: str = "x.png") -> SimpleUploadedFile:
    """A real PNG that Pillow verifies, with a script appended after its end."""
    return SimpleUploadedFile(name, png_bytes() + SCRIPT, content_type="image/png")
