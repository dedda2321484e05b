"""The portal API: customer auth by the texted code, then one's own orders and invoices."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agency.models import Role
from orders.models import AssignmentStatus, InvoiceStatus, OrderStatus
from tests.factories import AssignmentFactory, InvoiceFactory, PaymentFactory, StaffMemberFactory
from tests.portal.conftest import PHONE, sign_in_as, texted_code
from tests.portal.test_pages import order_for
from tests.portal.test_sign_in import GAP


def api(name, customer, **kwargs):
    return reverse(f"portal_api:{name}", kwargs={"agency_slug": customer.agency.slug, **kwargs})


@pytest.fixture
def api_client():
    return APIClient()


def test_sign_in_through_the_api_then_read_me(api_client, customer, sms_outbox):
    asked = api_client.post(api("code", customer), {"phone": PHONE}, format="json")
    assert asked.status_code == 202
    unknown = api_client.post(api("code", customer), {"phone": "13600000000"}, format="json")
    assert (unknown.status_code, unknown.json()) == (202, asked.json())
    code = texted_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    refused = api_client.post(api("verify", customer), {"phone": PHONE, "code": wrong})
    assert refused.status_code == 400 and refused.json()["refusal"] == "wrong"
    signed = api_client.post(api("verify", customer), {"phone": PHONE, "code": code})
    assert signed.status_code == 200 and signed.json()["name"] == "王芳"
    me = api_client.get(api("me", customer))
    assert me.json()["agency"]["slug"] == customer.agency.slug
    assert api_client.post(api("sign_out", customer)).status_code == 204
    assert api_client.get(api("me", customer)).status_code == 401


def test_too_many_codes_is_a_429(api_client, customer, settings):
    start = timezone.now()
    for n in range(settings.PORTAL_CODE_SENDS_PER_PHONE_PER_HOUR + 1):
        with time_machine.travel(start + n * GAP):
            refused = api_client.post(api("code", customer), {"phone": PHONE}, format="json")
    assert refused.status_code == 429 and "Too many codes" in refused.json()["detail"]


def test_a_members_token_is_no_customer(client_for, world, customer):
    member = client_for(world.a.user(Role.MANAGER))
    assert member.get(api("order-list", customer)).status_code == 401


def test_orders_list_and_detail_in_the_customers_words_without_staff_phones(client, customer):
    sign_in_as(client, customer)
    order = order_for(customer, number="API-1", status=OrderStatus.ASSIGNED)
    member = StaffMemberFactory(agency=customer.agency, name="张阿姨", phone="15912340000")
    AssignmentFactory(
        agency=customer.agency, order=order, staff=member, status=AssignmentStatus.CONFIRMED
    )
    [row] = client.get(api("order-list", customer)).json()["results"]
    assert (row["number"], row["status"], row["status_label"]) == (
        "API-1",
        "assigned",
        "Booked: staff assigned",
    )
    detail = client.get(api("order-detail", customer, pk=order.pk))
    assert detail.json()["staff"][0]["name"] == "张阿姨"
    assert "15912340000" not in detail.content.decode()


def test_invoices_list_with_receipts(client, customer):
    sign_in_as(client, customer)
    payment = PaymentFactory(
        agency=customer.agency, invoice__customer=customer, invoice__number="INV-API"
    )
    [row] = client.get(api("invoice-list", customer)).json()["results"]
    assert row["number"] == "INV-API" and row["receipts"][0]["id"] == payment.pk
    assert row["pdf_url"].startswith(f"/c/{customer.agency.slug}/invoices/")


@pytest.mark.parametrize("count", [1, 25])
def test_lists_cost_the_same_queries(client, customer, count, django_assert_num_queries):
    sign_in_as(client, customer)
    for n in range(count):
        order_for(customer, starts_at=timezone.now() - timedelta(days=n + 1))
        InvoiceFactory(
            agency=customer.agency,
            customer=customer,
            status=InvoiceStatus.ISSUED,
            number=f"N-{n}",
            issued_at=timezone.now(),
        )
    # session, agency, customer, count, the page (service and address joined)
    with django_assert_num_queries(5):
        assert client.get(api("order-list", customer)).status_code == 200
    # session, agency, customer, count, the page, its payments
    with django_assert_num_queries(6):
        assert client.get(api("invoice-list", customer)).status_code == 200
