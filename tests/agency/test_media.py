"""Uploaded files only through the signed, expiring links the pages hand out."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agency.media import media_url
from agency.models import Role
from tests.factories import CertificateFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 a scan with an ID number"


@pytest.fixture
def scan(world):
    certificate = CertificateFactory(agency=world.a.agency)
    certificate.scan.save("scan.pdf", ContentFile(PDF))
    return certificate.scan


def test_a_signed_link_serves_the_file_to_whoever_holds_it(scan):
    response = Client().get(media_url(scan))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("query", ["", "?sig=forged", "?sig=1abc:xyz"])
def test_the_path_alone_or_a_forged_signature_is_a_404(scan, query):
    assert Client().get(f"/media/{scan.name}{query}").status_code == 404


def test_a_link_for_one_file_does_not_open_another(scan, world):
    other = CertificateFactory(agency=world.b.agency)
    other.scan.save("other.pdf", ContentFile(b"%PDF other"))
    signature = media_url(scan).split("?sig=")[1]
    assert Client().get(f"/media/{other.scan.name}?sig={signature}").status_code == 404


def test_a_link_expires(scan, time_machine):
    link = media_url(scan)
    time_machine.move_to(timezone.now() + timedelta(hours=13))
    assert Client().get(link).status_code == 404


def test_a_link_to_a_file_gone_from_storage_is_a_404(scan):
    link = media_url(scan)
    default_storage.delete(scan.name)
    assert Client().get(link).status_code == 404


def test_the_staff_page_hands_out_working_links(world, client_for):
    staff = StaffMemberFactory(agency=world.a.agency)
    staff.photo.save("face.png", ContentFile(b"\x89PNG fake"))
    html = (
        client_for(world.a.user(Role.DISPATCHER))
        .get(reverse("staff_detail", args=[staff.pk]))
        .content.decode()
    )
    link = html.split('<img src="')[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith(f"/media/{staff.photo.name}?sig=")
    assert Client().get(link).status_code == 200


def test_the_api_hands_out_absolute_signed_links(world, client_for, scan):
    body = (
        client_for(world.a.user(Role.DISPATCHER))
        .get(reverse("certificate-detail", args=[scan.instance.pk]))
        .json()
    )
    assert body["scan"].startswith("http://testserver/media/") and "?sig=" in body["scan"]
