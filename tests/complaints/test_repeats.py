"""A complaint sent twice is taken once: a double click on the form, an
API retry with one Idempotency-Key, two requests racing with one key."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agency.models import Notification, Role
from complaints.models import Complaint
from tests.concurrency import race
from tests.conftest import login
from tests.factories import CustomerFactory
from tests.uploads import photo, png_bytes

pytestmark = pytest.mark.django_db
WEDNESDAY = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _english_wednesday(world):
    world.a.agency.default_language = "en"
    world.a.agency.save()
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def office(world) -> Client:
    return login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER))


def form_data(world, customer) -> dict:
    return {
        "phone": customer.phone,
        "branch": world.a.branch.pk,
        "channel": "phone",
        "category": "damage",
        "severity": "major",
        "description": "打碎了客厅的花瓶",
        "submission_key": str(uuid.uuid4()),
    }


def api_body(world, customer) -> dict:
    return {
        "branch": world.a.branch.pk,
        "customer": customer.pk,
        "channel": "phone",
        "category": "damage",
        "severity": "major",
        "description": "打碎了一个花瓶",
    }


def send_json(client: Client, body: dict, key: str):
    return client.post(
        reverse("complaint-list"), body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_double_submitted_complaint_form_takes_one_and_shows_it(world):
    customer = CustomerFactory(agency=world.a.agency)
    client = office(world)
    data = form_data(world, customer)

    client.post(reverse("complaint_new"), data)
    again = client.post(reverse("complaint_new"), data)

    complaint = Complaint.objects.get()
    assert again["Location"] == reverse("complaint_detail", kwargs={"pk": complaint.pk})
    messages = [str(m) for m in get_messages(again.wsgi_request)]
    assert messages[-1] == f"This complaint was taken already as {complaint.number}."
    assert complaint.escalations.count() == 1  # the department head told once


def test_a_resent_complaint_with_one_key_answers_the_first_and_tells_managers_once(world):
    customer = CustomerFactory(agency=world.a.agency)
    client = office(world)
    key = str(uuid.uuid4())
    body = api_body(world, customer)

    answers = [
        client.post(
            reverse("complaint-list"),
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        for _twice in range(2)
    ]

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].json() == answers[0].json()
    complaint = Complaint.objects.get()
    assert complaint.escalations.count() == 1
    told = Notification.objects.filter(agency=world.a.agency).values_list("user", "key")
    assert len(told) == len(set(told))


def test_a_resent_complaint_with_a_photo_replays_and_another_photo_conflicts(world):
    customer = CustomerFactory(agency=world.a.agency)
    client = office(world)
    key = str(uuid.uuid4())

    def send(upload):
        body = {**api_body(world, customer), "attachments": [upload]}
        return client.post(reverse("complaint-list"), body, HTTP_IDEMPOTENCY_KEY=key)

    first, again = send(photo("vase.png")), send(photo("vase.png"))
    # The same name, another picture: another request.
    other = send(SimpleUploadedFile("vase.png", png_bytes((9, 9)), content_type="image/png"))

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 409)
    assert again.json() == first.json()
    assert Complaint.objects.get().attachments.count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_racing_complaints_with_one_key_take_one(world):
    customer = CustomerFactory(agency=world.a.agency)
    key = str(uuid.uuid4())
    body = api_body(world, customer)
    clients = [office(world), office(world)]

    def send(client):
        return client.post(
            reverse("complaint-list"),
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    outcomes = race(*(lambda c=c: send(c) for c in clients))

    assert [o.status_code for o in outcomes] == [201, 201]
    assert Complaint.objects.count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_complaint_form_submitted_twice_at_once_takes_one(world):
    customer = CustomerFactory(agency=world.a.agency)
    data = form_data(world, customer)
    clients = [office(world), office(world)]

    outcomes = race(*(lambda c=c: c.post(reverse("complaint_new"), data) for c in clients))

    complaint = Complaint.objects.get()
    assert {o["Location"] for o in outcomes} == {
        reverse("complaint_detail", kwargs={"pk": complaint.pk})
    }
