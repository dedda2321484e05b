"""A submission sent twice writes once: double clicks on the billing
pages and the needs form, API retries with one Idempotency-Key, and racing requests."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from agency.models import IdempotencyKey, Role
from agency.tasks import prune_idempotency_keys
from orders.models import (
    Cancellation,
    Customer,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Order,
    Payment,
    PaymentMethod,
    Refund,
)
from tests.concurrency import race
from tests.conftest import login
from tests.orders.test_api import intake_payload
from tests.orders.test_billing_pages import issued, paid
from tests.orders.test_pages import _intake_post

pytestmark = pytest.mark.django_db
JSON = "application/json"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    """Bookings are built from today; pin it (threads share the travel)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _english_agencies(world):
    """The pages speak the agency's language; these tests read English."""
    for tenant in (world.a, world.b):
        tenant.agency.default_language = "en"
        tenant.agency.save(update_fields=["default_language"])


def finance_client(world, tenant: str = "a") -> Client:
    return login(Client(HTTP_ACCEPT_LANGUAGE="en"), getattr(world, tenant).user(Role.FINANCE))


def at(name: str, pk: int) -> str:
    return reverse(name, kwargs={"pk": pk})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def keyed_post(client: Client, url: str, data: dict, key: str):
    return client.post(url, data, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key)


# --- pages: the hidden submission key ---------------------------------------------------


def test_double_submitted_part_payment_via_the_page_books_once(world):
    invoice = issued(world.a, amount="150.00")
    client = finance_client(world)
    form = client.get(at("invoice_detail", invoice.pk)).context["payment_form"]
    data = {
        "amount": "50.00",
        "method": PaymentMethod.CASH,
        "submission_key": form["submission_key"].value(),
    }

    first = client.post(at("invoice_payment", invoice.pk), data)
    again = client.post(at("invoice_payment", invoice.pk), data)

    payment = Payment.objects.get()
    assert (first.status_code, again.status_code) == (302, 302)
    assert again["Location"] == at("invoice_detail", invoice.pk)
    assert messages_of(again)[-1] == (
        f"This payment was recorded already: receipt {payment.receipt_number}."
    )
    invoice.refresh_from_db()
    assert (invoice.paid, invoice.status) == (Decimal("50.00"), InvoiceStatus.ISSUED)


def test_each_rendering_of_the_invoice_page_has_its_own_submission_key(world):
    invoice = issued(world.a)
    client = finance_client(world)
    keys = {
        client.get(at("invoice_detail", invoice.pk)).context[name]["submission_key"].value()
        for name in ("payment_form", "payment_form", "refund_form", "credit_form")
    }
    assert len(keys) == 4


def test_double_submitted_refund_and_credit_note_via_the_page_write_once(world):
    invoice = paid(world.a, amount="150.00")
    client = finance_client(world)
    refund = {"amount": "20.00", "reason": "少做一小时", "submission_key": str(uuid.uuid4())}
    credit = {"amount": "10.00", "reason": "优惠", "submission_key": str(uuid.uuid4())}

    for _twice in range(2):
        client.post(at("invoice_refund", invoice.pk), refund)
        repeated_credit = client.post(at("invoice_credit_note", invoice.pk), credit)

    assert Refund.objects.count() == 1
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert messages_of(repeated_credit)[-1] == (
        f"This credit note was issued already: {note.number}."
    )
    invoice.refresh_from_db()
    assert invoice.credited == Decimal("10.00")


def test_a_double_clicked_cancellation_is_recorded_once_without_a_key(world, book):
    """The order's lock and state guard it: the second click is refused with the reason."""
    order = book()
    client = login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER))
    data = {"reason": "行程有变", "signed_name": "王芳", "verification_reason": "电话中确认"}

    client.post(at("order_cancel", order.pk), data)
    again = client.post(at("order_cancel", order.pk), data)

    assert again["Location"] == at("order_detail", order.pk)
    assert "can no longer be cancelled" in messages_of(again)[-1]
    assert Cancellation.objects.count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_part_payment_submitted_twice_at_the_same_moment_books_once(world):
    invoice = issued(world.a, amount="150.00")
    data = {"amount": "75.00", "method": PaymentMethod.CASH, "submission_key": str(uuid.uuid4())}
    clients = [finance_client(world), finance_client(world)]

    outcomes = race(*(lambda c=c: c.post(at("invoice_payment", invoice.pk), data) for c in clients))

    assert [o.status_code for o in outcomes] == [302, 302]
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    assert (invoice.paid, invoice.status) == (Decimal("75.00"), InvoiceStatus.ISSUED)


# --- the API: Idempotency-Key -----------------------------------------------------------


def test_a_replayed_payment_answers_the_first_receipt_and_books_once(world):
    invoice = issued(world.a, amount="150.00")
    client = finance_client(world)
    key = str(uuid.uuid4())
    body = {"amount": "50.00", "method": PaymentMethod.WECHAT_PAY}

    first = keyed_post(client, at("invoice-payments", invoice.pk), body, key)
    again = keyed_post(client, at("invoice-payments", invoice.pk), body, key)

    assert first.status_code == 201, first.json()
    assert (again.status_code, again.content) == (201, first.content)
    assert again["Idempotent-Replayed"] == "true"
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    assert (invoice.paid, invoice.status) == (Decimal("50.00"), InvoiceStatus.ISSUED)


def test_the_same_key_with_another_body_is_a_conflict(world):
    invoice = issued(world.a, amount="150.00")
    client = finance_client(world)
    key = str(uuid.uuid4())
    url = at("invoice-payments", invoice.pk)

    keyed_post(client, url, {"amount": "50.00", "method": PaymentMethod.CASH}, key)
    other = keyed_post(client, url, {"amount": "60.00", "method": PaymentMethod.CASH}, key)

    assert other.status_code == 409
    assert "used for another request" in other.json()["detail"]
    assert Payment.objects.count() == 1


def test_the_same_key_from_another_person_is_a_conflict(world):
    invoice = issued(world.a, amount="150.00")
    key = str(uuid.uuid4())
    body = {"amount": "50.00", "method": PaymentMethod.CASH}
    keyed_post(finance_client(world), at("invoice-payments", invoice.pk), body, key)
    manager = login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.MANAGER))

    assert keyed_post(manager, at("invoice-payments", invoice.pk), body, key).status_code == 409
    assert Payment.objects.count() == 1


def test_a_refused_request_keeps_no_key_so_the_corrected_retry_books(world):
    invoice = issued(world.a, amount="150.00")
    client = finance_client(world)
    key = str(uuid.uuid4())
    url = at("invoice-payments", invoice.pk)

    refused = keyed_post(client, url, {"amount": "999.00", "method": PaymentMethod.CASH}, key)
    corrected = keyed_post(client, url, {"amount": "99.00", "method": PaymentMethod.CASH}, key)

    assert (refused.status_code, corrected.status_code) == (400, 201)
    assert [p.amount for p in Payment.objects.all()] == [Decimal("99.00")]


@pytest.mark.parametrize("key", ["not-a-uuid", "1" * 200, ""])
def test_a_key_that_is_not_a_uuid_is_refused_on_its_field(world, key):
    invoice = issued(world.a)
    response = keyed_post(
        finance_client(world),
        at("invoice-payments", invoice.pk),
        {"amount": "50.00", "method": PaymentMethod.CASH},
        key,
    )
    assert response.status_code == 400
    assert response.json()["idempotency_key"] == ["Idempotency-Key must be a UUID."]
    assert not Payment.objects.exists()


def test_one_key_in_two_agencies_is_two_keys(world):
    key = str(uuid.uuid4())
    body = {"amount": "50.00", "method": PaymentMethod.CASH}
    for tenant in ("a", "b"):
        invoice = issued(getattr(world, tenant))
        url = at("invoice-payments", invoice.pk)
        assert keyed_post(finance_client(world, tenant), url, body, key).status_code == 201
    assert Payment.objects.count() == 2
    assert IdempotencyKey.objects.count() == 2


def test_refund_and_credit_note_requests_replay(world):
    invoice = paid(world.a, amount="150.00")
    client = finance_client(world)
    refund = {"amount": "20.00", "reason": "少做一小时"}
    credit = {"amount": "10.00", "reason": "优惠"}
    refund_key, credit_key = str(uuid.uuid4()), str(uuid.uuid4())

    answers = [
        (
            keyed_post(client, at("invoice-refunds", invoice.pk), refund, refund_key),
            keyed_post(client, at("invoice-credit-note", invoice.pk), credit, credit_key),
        )
        for _twice in range(2)
    ]

    (refund_first, credit_first), (refund_again, credit_again) = answers
    assert (refund_first.status_code, credit_first.status_code) == (201, 201)
    assert refund_again.json() == refund_first.json()
    assert credit_again.json() == credit_first.json()
    assert Refund.objects.count() == 1
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_a_resent_cancellation_request_answers_the_first(world, book):
    order = book()
    client = login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER))
    body = {"reason": "行程有变", "signed_name": "王芳", "verification_reason": "电话中确认"}
    key = str(uuid.uuid4())

    first = keyed_post(client, at("order-cancel", order.pk), body, key)
    again = keyed_post(client, at("order-cancel", order.pk), body, key)

    assert first.status_code == 201, first.json()
    assert (again.status_code, again.json()) == (201, first.json())
    assert Cancellation.objects.count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_racing_payments_with_one_key_book_once_and_answer_alike(world):
    invoice = issued(world.a, amount="150.00")
    key = str(uuid.uuid4())
    body = {"amount": "75.00", "method": PaymentMethod.CASH}
    clients = [finance_client(world), finance_client(world)]

    outcomes = race(
        *(lambda c=c: keyed_post(c, at("invoice-payments", invoice.pk), body, key) for c in clients)
    )

    assert [o.status_code for o in outcomes] == [201, 201]
    assert outcomes[0].json() == outcomes[1].json()
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.paid == Decimal("75.00")


def test_the_schema_documents_the_header_on_each_create_that_moves_money_or_sends(world):
    client = login(Client(), world.a.user(Role.MANAGER))
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    operations = {
        ("/api/orders/", "post"),
        ("/api/orders/{id}/cancel/", "post"),
        ("/api/invoices/{id}/payments/", "post"),
        ("/api/invoices/{id}/refunds/", "post"),
        ("/api/invoices/{id}/credit-note/", "post"),
        ("/api/complaints/", "post"),
    }
    for path, method in operations:
        names = {p["name"] for p in schema["paths"][path][method].get("parameters", [])}
        assert "Idempotency-Key" in names, path


# --- the needs form for a new customer (item 2) -------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_needs_form_for_a_new_customer_submitted_twice_at_once_books_once(world, cleaning):
    data = _intake_post(world, cleaning)
    clients = [
        login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER)) for _ in range(2)
    ]

    outcomes = race(*(lambda c=c: c.post(reverse("order_new"), data) for c in clients))

    order = Order.objects.get()
    assert Customer.objects.count() == 1
    assert [o.status_code for o in outcomes] == [302, 302]
    assert {o["Location"] for o in outcomes} == {at("order_detail", order.pk)}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_api_booking_for_a_new_customer_raced_with_one_key_answers_the_first(world, cleaning):
    payload = intake_payload(world, cleaning)
    key = str(uuid.uuid4())
    clients = [
        login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER)) for _ in range(2)
    ]

    outcomes = race(
        *(lambda c=c: keyed_post(c, reverse("order-list"), payload, key) for c in clients)
    )

    assert [o.status_code for o in outcomes] == [201, 201]
    assert outcomes[0].json() == outcomes[1].json()
    assert (Order.objects.count(), Customer.objects.count()) == (1, 1)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_bookings_for_one_new_customer_at_once_share_the_customer(world, cleaning):
    clients = [
        login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(Role.DISPATCHER)) for _ in range(2)
    ]
    # Two different bookings (two keys), one new phone number.
    posts = [_intake_post(world, cleaning) for _ in clients]

    outcomes = race(
        *(
            lambda c=c, d=d: c.post(reverse("order_new"), d)
            for c, d in zip(clients, posts, strict=True)
        )
    )

    assert [o.status_code for o in outcomes] == [302, 302]
    assert Customer.objects.count() == 1
    assert Order.objects.filter(customer=Customer.objects.get()).count() == 2


def test_a_key_answers_retries_for_a_week_and_is_then_forgotten(world):
    invoice = issued(world.a, amount="150.00")
    body = {"amount": "50.00", "method": PaymentMethod.CASH}
    keyed_post(finance_client(world), at("invoice-payments", invoice.pk), body, str(uuid.uuid4()))

    with time_machine.travel(NOW + timedelta(days=6, hours=23), tick=False):
        assert prune_idempotency_keys() == 0
    with time_machine.travel(NOW + timedelta(days=7, minutes=1), tick=False):
        assert prune_idempotency_keys() == 1
    assert not IdempotencyKey.objects.exists()
