"""How people hear from the agency, set on their pages and through the API (issue 16):
customers choose a channel, quiet hours and no promotions; staff choose SMS and/or the app."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import translation

from agency.models import AuditLog, Role
from orders.intake.models import MessageChannel
from tests.factories import CustomerFactory, StaffMemberFactory


@pytest.fixture
def office(world, client_for):
    user = world.a.user(Role.DISPATCHER)
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return client_for(user)


@pytest.fixture
def customer(world):
    return CustomerFactory(agency=world.a.agency, phone="13800138000")


def edit(client, customer, **preferences):
    form = {"name": customer.name, "preferred_language": "", "notes": "", **preferences}
    return client.post(reverse("customer_edit", kwargs={"pk": customer.pk}), form)


# --- the customer's page -------------------------------------------------------------------


def test_the_customer_form_saves_the_message_preferences(office, customer):
    response = edit(
        office,
        customer,
        email="wang@example.com",
        message_channel="email",
        quiet_from="22:30",
        quiet_until="07:00",
        promotions_opt_out="on",
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.email == "wang@example.com"
    assert customer.message_channel == MessageChannel.EMAIL
    assert (customer.quiet_from, customer.quiet_until) == (time(22, 30), time(7))
    assert customer.promotions_opt_out
    changes = AuditLog.objects.filter(action="customer.update").latest("id").changes
    assert changes["quiet_from"] == ["21:00", "22:30"]
    assert changes["email"] == ["***", "***"]
    page = office.get(reverse("customer_detail", kwargs={"pk": customer.pk})).content.decode()
    assert "quiet 22:30–07:00" in page and "no promotional messages" in page


def field_errors(response, field: str) -> list[str]:
    """The field's errors as the page showed them: in the page's language (the user's),
    not the default one a finished request leaves active."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return [str(error) for error in response.context["form"].errors[field]]


def test_email_without_an_address_is_refused_next_to_the_field(office, customer):
    response = edit(office, customer, message_channel="email", email="")
    assert response.status_code == 200
    assert field_errors(response, "email") == [
        "Enter an email address to send this customer's messages by email."
    ]
    customer.refresh_from_db()
    assert customer.message_channel == MessageChannel.SMS


def test_quiet_hours_that_end_when_they_start_are_refused(office, customer):
    response = edit(office, customer, quiet_from="21:00", quiet_until="21:00")
    assert response.status_code == 200
    assert field_errors(response, "quiet_until") == [
        "Quiet hours must end at another time than they start."
    ]
    customer.refresh_from_db()
    assert customer.quiet_until == time(8)


def test_preferences_left_out_keep_what_the_customer_chose(office, customer):
    customer.message_channel = MessageChannel.EMAIL
    customer.email = "wang@example.com"
    customer.quiet_from = time(20)
    customer.save()
    assert edit(office, customer, email="wang@example.com").status_code == 302
    customer.refresh_from_db()
    assert (customer.message_channel, customer.quiet_from) == (MessageChannel.EMAIL, time(20))


# --- the customer API ----------------------------------------------------------------------


def test_the_customer_api_reads_and_writes_the_preferences(office, customer):
    url = f"/api/customers/{customer.pk}/"
    assert office.get(url).json()["message_channel"] == "sms"
    response = office.patch(
        url,
        {"email": "wang@example.com", "message_channel": "email", "quiet_until": "09:00"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["email"], body["message_channel"], body["quiet_until"]) == (
        "wang@example.com",
        "email",
        "09:00:00",
    )
    assert body["promotions_opt_out"] is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message_channel": "email"}, "email"),
        ({"quiet_from": "08:00"}, "quiet_until"),
        ({"message_channel": "pigeon"}, "message_channel"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_the_customer_api_refuses_preferences_that_cannot_be_kept(office, customer, data, field):
    response = office.patch(f"/api/customers/{customer.pk}/", data, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    customer.refresh_from_db()
    assert (customer.message_channel, customer.quiet_from) == (MessageChannel.SMS, time(21))


# --- staff ---------------------------------------------------------------------------------


def test_the_staff_form_saves_the_channels_chosen(world, office):
    staff = StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch)
    form = {
        "name": staff.name,
        "gender": "female",
        "home_branch": world.a.branch.pk,
        "phone": staff.phone,
        "years_experience": "3",
        "status": "active",
        "started_on": "2024-03-01",
        "notify_in_app": "on",
    }
    response = office.post(reverse("staff_update", kwargs={"pk": staff.pk}), form)
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.notify_by_sms, staff.notify_in_app) == (False, True)
    page = office.get(reverse("staff_detail", kwargs={"pk": staff.pk})).content.decode()
    assert "In the app" in page


def test_the_staff_api_reads_and_writes_the_channels(world, office):
    staff = StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch)
    url = f"/api/staff/{staff.pk}/"
    assert office.get(url).json()["notify_by_sms"] is True
    response = office.patch(url, {"notify_by_sms": False}, content_type="application/json")
    assert response.status_code == 200, response.content
    staff.refresh_from_db()
    assert (staff.notify_by_sms, staff.notify_in_app) == (False, True)
    bad = office.patch(url, {"notify_in_app": "sometimes"}, content_type="application/json")
    assert bad.status_code == 400 and "notify_in_app" in bad.json()
