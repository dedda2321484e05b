"""The signed-in customer's pages: their orders in plain words, what waits for them, their
staff's cards (never a phone), invoices, complaints and feedback; one agency at a time."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from agency.models import AuditLog
from orders.models import AssignmentStatus, InvoiceStatus, OrderStatus, Quote, Stage
from tests.factories import (
    AcceptanceRoundFactory,
    AssignmentFactory,
    ComplaintFactory,
    CustomerFactory,
    FeedbackResponseFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    OrderFactory,
    StaffMemberFactory,
)
from tests.portal.conftest import portal_url, sign_in_as, texted_code


def order_for(customer, **fields):
    return OrderFactory(agency=customer.agency, needs_form__customer=customer, **fields)


def test_home_shows_upcoming_and_past_orders_in_the_customers_words(signed_in, customer):
    order_for(customer, number="UP-1", status=OrderStatus.ASSIGNED)
    order_for(
        customer,
        number="PAST-1",
        status=OrderStatus.PAID,
        starts_at=timezone.now() - timedelta(days=10),
    )
    page = signed_in.get(portal_url("home", customer)).content.decode()
    assert "UP-1" in page and "PAST-1" in page
    assert page.index("UP-1") < page.index("PAST-1")
    assert "Booked: staff assigned" in page and "Done and paid" in page
    assert "Assigned" not in page.replace("staff assigned", "")


def test_home_never_shows_another_customers_orders(signed_in, customer, other_customer, world):
    order_for(other_customer, number="THEIRS-1")
    theirs_elsewhere = CustomerFactory(agency=world.b.agency, phone=customer.phone)
    order_for(theirs_elsewhere, number="BRAVO-1")
    page = signed_in.get(portal_url("home", customer)).content.decode()
    assert "THEIRS-1" not in page and "BRAVO-1" not in page


def test_the_to_do_list_links_to_the_existing_signed_link_pages(signed_in, customer):
    quoted = order_for(customer, number="Q-1", status=OrderStatus.QUOTED)
    Quote.objects.create(
        agency=customer.agency,
        order=quoted,
        description="保洁",
        unit="hour",
        unit_price=Decimal(50),
        quantity=Decimal(3),
        total=Decimal(150),
        currency="CNY",
    )
    staffed = order_for(customer, number="S-1", status=OrderStatus.CONFIRMED)
    AssignmentFactory(agency=customer.agency, order=staffed, status=AssignmentStatus.PROPOSED)
    inspected = order_for(customer, number="A-1", status=OrderStatus.INSPECTION)
    AcceptanceRoundFactory(agency=customer.agency, order=inspected, next_stage=Stage.CUSTOMER)
    line = InvoiceLineFactory(
        agency=customer.agency,
        invoice__customer=customer,
        invoice__status=InvoiceStatus.ISSUED,
        invoice__number="INV-9",
        invoice__issued_at=timezone.now(),
        order__needs_form__customer=customer,
    )
    response = signed_in.get(portal_url("home", customer))
    todos = response.context["todos"]
    assert [(t.kind, t.reference) for t in todos] == [
        ("quote", "Q-1"),
        ("staff", "S-1"),
        ("acceptance", "A-1"),
        ("invoice", "INV-9"),
    ]
    # Each link opens the page the office's link would (the signing rules stay there); an
    # invoice opens the portal's own invoice page, where it is paid online or by card.
    assert todos[-1].url == portal_url("invoice", customer, pk=line.invoice.pk)
    for todo in todos:
        assert todo.url.startswith("/c/")
        assert signed_in.get(todo.url).status_code == 200, todo
    assert line.invoice.number in response.content.decode()


def test_the_order_shows_its_staff_cards_without_a_phone(signed_in, customer):
    order = order_for(customer, status=OrderStatus.ASSIGNED)
    member = StaffMemberFactory(agency=customer.agency, name="张阿姨", phone="15912340000")
    AssignmentFactory(
        agency=customer.agency, order=order, staff=member, status=AssignmentStatus.CONFIRMED
    )
    page = signed_in.get(portal_url("order", customer, pk=order.pk)).content.decode()
    assert "张阿姨" in page
    assert "15912340000" not in page and "1591234" not in page


def test_invoices_list_their_pdfs_and_receipts(signed_in, customer):
    invoice = InvoiceFactory(
        agency=customer.agency,
        customer=customer,
        status=InvoiceStatus.ISSUED,
        number="INV-7",
        issued_at=timezone.now(),
    )
    InvoiceFactory(agency=customer.agency, customer=customer)  # a draft: not the customer's yet
    page = signed_in.get(portal_url("invoices", customer)).content.decode()
    assert "INV-7" in page
    assert portal_url("invoice_pdf", customer, pk=invoice.pk) in page
    pdf = signed_in.get(portal_url("invoice_pdf", customer, pk=invoice.pk))
    assert pdf.status_code in (200, 202)


def test_complaints_show_their_progress_in_plain_words(signed_in, customer, other_customer):
    ComplaintFactory(agency=customer.agency, customer=customer, number="C-1", status="responding")
    ComplaintFactory(agency=customer.agency, customer=other_customer, number="C-2")
    page = signed_in.get(portal_url("complaints", customer)).content.decode()
    assert "C-1" in page and "Being handled" in page and "C-2" not in page


def test_a_customer_of_two_agencies_sees_each_separately(client, world, customer):
    bravo = CustomerFactory(agency=world.b.agency, phone=customer.phone, name="王芳B")
    order_for(customer, number="ALPHA-1")
    order_for(bravo, number="BRAVO-1")
    sign_in_as(client, customer)
    sign_in_as(client, bravo)
    alpha_home = client.get(portal_url("home", customer)).content.decode()
    bravo_home = client.get(portal_url("home", bravo)).content.decode()
    assert "ALPHA-1" in alpha_home and "BRAVO-1" not in alpha_home
    assert "BRAVO-1" in bravo_home and "ALPHA-1" not in bravo_home
    # Signing out of one leaves the other.
    client.post(portal_url("sign_out", customer))
    assert client.get(portal_url("home", customer)).status_code == 302
    assert client.get(portal_url("home", bravo)).status_code == 200


def test_the_session_lasts_the_agencys_days(client, customer, sms_outbox):
    customer.agency.portal_session_days = 2
    customer.agency.save()
    client.post(portal_url("sign_in", customer), {"phone": customer.phone})
    client.post(portal_url("sign_in_code", customer), {"code": texted_code(sms_outbox)})
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=23)):
        assert client.get(portal_url("home", customer)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        assert client.get(portal_url("home", customer)).status_code == 302


def test_pages_speak_the_customers_language_and_the_switch_wins(signed_in, customer):
    customer.preferred_language = "zh-hans"
    customer.save()
    page = signed_in.get(portal_url("home", customer)).content.decode()
    assert "退出登录" in page and '<html lang="zh-hans">' in page
    signed_in.post(portal_url("language", customer), {"language": "en"})
    assert "Sign out" in signed_in.get(portal_url("home", customer)).content.decode()


@pytest.mark.parametrize("past", [1, 30])
def test_home_costs_the_same_queries_however_many_orders(
    signed_in, customer, past, django_assert_num_queries
):
    for n in range(past):
        order_for(
            customer, status=OrderStatus.PAID, starts_at=timezone.now() - timedelta(days=n + 1)
        )
    order_for(customer, status=OrderStatus.ASSIGNED)
    # session, agency, customer, upcoming, past (10), quotes to sign, staff to confirm,
    # acceptances to sign, invoices to pay, the
    # prepaid cards with their balances.
    with django_assert_num_queries(10):
        assert signed_in.get(portal_url("home", customer)).status_code == 200


def test_the_sign_in_is_in_the_audit_log_as_the_customer(client, customer, sms_outbox):
    client.post(portal_url("sign_in", customer), {"phone": customer.phone})
    client.post(portal_url("sign_in_code", customer), {"code": texted_code(sms_outbox)})
    entry = AuditLog.objects.get(action="portal.sign_in")
    assert (entry.customer_id, entry.object_id) == (customer.pk, str(customer.pk))


def test_a_service_done_before_its_booked_end_is_past(signed_in, customer):
    order_for(
        customer,
        number="DONE-1",
        status=OrderStatus.PAID,
        starts_at=timezone.now() - timedelta(hours=1),
    )
    response = signed_in.get(portal_url("home", customer))
    assert [o.number for o in response.context["past"]] == ["DONE-1"]
    assert response.context["upcoming"] == []


def test_feedback_given_is_listed_with_its_service(signed_in, customer, other_customer):
    FeedbackResponseFactory(
        agency=customer.agency,
        request__order=order_for(customer, number="FB-1"),
        comment="阿姨很细心",
    )
    FeedbackResponseFactory(
        agency=customer.agency, request__order=order_for(other_customer, number="FB-2")
    )
    page = signed_in.get(portal_url("feedback", customer)).content.decode()
    assert "FB-1" in page and "阿姨很细心" in page and "Home cleaning" in page
    assert "FB-2" not in page


@pytest.mark.parametrize("count", [1, 15])
def test_lists_cost_the_same_queries_however_long(
    signed_in, customer, count, django_assert_num_queries
):
    for n in range(count):
        order = order_for(customer)
        ComplaintFactory(agency=customer.agency, customer=customer, order=order)
        FeedbackResponseFactory(agency=customer.agency, request__order=order)
        InvoiceFactory(
            agency=customer.agency,
            customer=customer,
            status=InvoiceStatus.ISSUED,
            number=f"L-{n}",
            issued_at=timezone.now(),
        )
    # session, agency, customer, count, the page (+ the invoices' payments)
    for name, queries in (("orders", 5), ("complaints", 5), ("feedback", 5), ("invoices", 6)):
        with django_assert_num_queries(queries):
            assert signed_in.get(portal_url(name, customer)).status_code == 200
