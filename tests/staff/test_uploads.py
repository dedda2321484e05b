"""Photos and scans: checked for what they really are and how big, stored in media."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test.client import encode_multipart
from django.urls import reverse

from agency.models import Role
from agency.uploads import MAX_UPLOAD_BYTES
from staff.models import Certificate, StaffMember
from staff.services.qualifications import certificate_add
from staff.services.records import staff_update
from tests.uploads import pdf, photo, text_as


def _stored_as(agency, folder, extension):
    """The generated name: the agency, the folder, the month, a uuid and the checked extension."""
    return re.compile(rf"agency-{agency.pk}/{folder}/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}")


def _files(media):
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def test_a_photo_is_stored_in_media_under_the_agency_with_a_generated_name(
    world, dispatcher, staff, media
):
    staff_update(staff=staff, actor=dispatcher, photo=photo("wang.png"))
    staff.refresh_from_db()
    assert _stored_as(world.a.agency, "staff/photos", "png").fullmatch(staff.photo.name)
    assert _files(media) == [staff.photo.name]


def test_a_text_file_renamed_jpg_is_not_a_photo(world, dispatcher, staff, media):
    with pytest.raises(ValidationError) as excinfo:
        staff_update(staff=staff, actor=dispatcher, photo=text_as("face.jpg"))
    assert "not an image" in excinfo.value.message_dict["photo"][0]
    staff.refresh_from_db()
    assert not staff.photo
    assert _files(media) == []


def test_a_photo_of_the_wrong_type_or_too_big_is_refused(world, dispatcher, staff, media):
    gif = photo("face.gif")
    with pytest.raises(ValidationError) as excinfo:
        staff_update(staff=staff, actor=dispatcher, photo=gif)
    assert "photo" in excinfo.value.message_dict
    big = photo("big.png")
    big.size = MAX_UPLOAD_BYTES + 1
    with pytest.raises(ValidationError) as excinfo:
        staff_update(staff=staff, actor=dispatcher, photo=big)
    assert excinfo.value.message_dict["photo"] == ["The file is larger than 5 MB."]
    assert _files(media) == []


def test_a_replaced_photo_is_deleted_after_commit(
    world, dispatcher, staff, media, django_capture_on_commit_callbacks
):
    staff_update(staff=staff, actor=dispatcher, photo=photo("old.png"))
    with django_capture_on_commit_callbacks(execute=True):
        staff_update(staff=staff, actor=dispatcher, photo=photo("new.png"))
    staff.refresh_from_db()
    assert _files(media) == [staff.photo.name]
    with django_capture_on_commit_callbacks(execute=True):
        staff_update(staff=staff, actor=dispatcher, photo="")
    assert _files(media) == []


def test_the_staff_form_refuses_a_text_file_named_jpg(world, client_for, staff, media):
    client = client_for(world.a.user(Role.DISPATCHER))
    data = {
        "name": "王秀兰",
        "gender": "female",
        "home_branch": world.a.branch.pk,
        "phone": staff.phone,
        "years_experience": "3",
        "status": "active",
        "started_on": "2024-03-01",
        "photo": text_as("face.jpg"),
    }
    response = client.post(reverse("staff_update", kwargs={"pk": staff.pk}), data)
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert _files(media) == []


def test_the_api_takes_a_photo_as_multipart_and_refuses_a_fake_one(world, client_for, staff, media):
    client = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("staff-detail", kwargs={"pk": staff.pk})
    boundary = "hearthboundary"
    body = encode_multipart(boundary, {"photo": text_as("face.jpg")})
    response = client.patch(url, body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    assert "photo" in response.json()
    body = encode_multipart(boundary, {"photo": photo("face.png")})
    response = client.patch(url, body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200, response.json()
    link = response.json()["photo"]
    assert _stored_as(world.a.agency, "staff/photos", r"png\?sig=").search(link)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (text_as("scan.pdf"), "none of them"),
        (text_as("scan.png"), "none of them"),
        (pdf("scan.exe"), "its name does not end in .pdf"),
        (pdf("big.pdf", size=MAX_UPLOAD_BYTES), "larger than 5 MB"),
    ],
    ids=["text-as-pdf", "text-as-png", "exe", "too-big"],
)
def test_a_scan_must_be_a_pdf_or_an_image(world, dispatcher, staff, media, upload, message):
    with pytest.raises(ValidationError) as excinfo:
        certificate_add(
            staff=staff, actor=dispatcher, kind="health", issued_on=date(2026, 1, 5), scan=upload
        )
    assert message in " ".join(excinfo.value.message_dict["scan"])
    assert not Certificate.objects.exists()
    assert _files(media) == []


def test_a_pdf_or_an_image_scan_is_stored(world, dispatcher, staff, media):
    first = certificate_add(
        staff=staff, actor=dispatcher, kind="health", issued_on=date(2026, 1, 5), scan=pdf()
    )
    second = certificate_add(
        staff=staff, actor=dispatcher, kind="childcare", issued_on=date(2026, 1, 5), scan=photo()
    )
    assert _files(media) == sorted([first.scan.name, second.scan.name])
    assert _stored_as(world.a.agency, "staff/certificates", "pdf").fullmatch(first.scan.name)
    assert _stored_as(world.a.agency, "staff/certificates", "png").fullmatch(second.scan.name)
    assert StaffMember.objects.get().certificates.count() == 2
