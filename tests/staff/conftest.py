"""Staff tests: a fixed day in the agency's time zone, media in a temporary folder."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agency.audit import Actor
from agency.models import Role
from tests.factories import StaffMemberFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Monday 15 June 2026, 10:00 in Beijing and Shanghai.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def actor_for(world, role: Role) -> Actor:
    return Actor(user=world.a.user(role), ip_address="192.0.2.20")


@pytest.fixture
def dispatcher(world) -> Actor:
    return actor_for(world, Role.DISPATCHER)


@pytest.fixture
def supervisor(world) -> Actor:
    return actor_for(world, Role.SUPERVISOR)


@pytest.fixture
def staff(world):
    """A staff member of agency A, at its branch."""
    return StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch, name="王秀兰")


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
