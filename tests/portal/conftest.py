"""The portal's customers: one per agency sharing a phone, and a way to sign a browser in."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agency.notifications import deliver_due
from orders.models import Customer
from portal.session import SESSION_KEY
from tests.factories import CustomerFactory

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _agencies_speak_english(request):
    """Portal pages speak the agency's language before sign-in; the tests read English
    (the Chinese pages have their own tests and the browser test)."""
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        for tenant in (world.a, world.b):
            tenant.agency.default_language = "en"
            tenant.agency.save(update_fields=["default_language"])


@pytest.fixture
def customer(world) -> Customer:
    return CustomerFactory(agency=world.a.agency, name="王芳", phone=PHONE)


@pytest.fixture
def other_customer(world) -> Customer:
    """Another customer of the same agency: everything of theirs is a 404 to `customer`."""
    return CustomerFactory(agency=world.a.agency, name="李强", phone="13700000001")


def portal_url(name: str, customer: Customer, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"agency_slug": customer.agency.slug, **kwargs})


def sign_in_as(client: Client, customer: Customer) -> Client:
    """The session entry a sign-in leaves (portal.session), without texting a code."""
    session = client.session
    entries = session.get(SESSION_KEY, {})
    until = timezone.now() + timedelta(days=customer.agency.portal_session_days)
    entries[str(customer.agency_id)] = {"customer": customer.pk, "until": until.timestamp()}
    session[SESSION_KEY] = entries
    session.save()
    return client


@pytest.fixture
def signed_in(client, customer) -> Client:
    return sign_in_as(client, customer)


def texted_code(sms_outbox, phone: str = PHONE) -> str:
    """The code in the last text to `phone` (delivered from the outbox first)."""
    deliver_due()
    texts = [text for to, text in sms_outbox if to == phone]
    assert texts, f"nothing was texted to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


# The fake WeChat Pay and Alipay of the payments tests, for the portal's money tests.
from tests.orders.conftest import accounts, fake, fake_server  # noqa: E402, F401
