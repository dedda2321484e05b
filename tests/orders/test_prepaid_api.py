"""The prepaid API: products, selling (Idempotency-Key), cards with balances, the ledger,
paying an invoice from a card (Idempotency-Key), refunds; another agency's card is a 404."""

import uuid
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from agency.models import Role
from orders.models import InvoiceStatus, PaymentMethod, PrepaidCard
from tests.conftest import login
from tests.factories import CustomerFactory, PrepaidCardFactory, PrepaidProductFactory
from tests.orders.test_billing import issued_invoice

JSON = "application/json"


def client_as(world, role: Role) -> Client:
    return login(Client(HTTP_ACCEPT_LANGUAGE="en"), world.a.user(role))


def test_a_sale_with_a_repeated_key_sells_one_card(world):
    customer = CustomerFactory(agency=world.a.agency)
    product = PrepaidProductFactory(agency=world.a.agency)
    client = client_as(world, Role.DISPATCHER)
    body = {"customer": customer.pk, "product": product.pk, "method": PaymentMethod.CASH}
    key = str(uuid.uuid4())
    first = client.post(
        reverse("prepaid-card-list"), body, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key
    )
    again = client.post(
        reverse("prepaid-card-list"), body, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["balance_amount"] == "2200.00"
    assert PrepaidCard.objects.count() == 1


def test_another_agencys_customer_or_product_is_refused(world):
    client = client_as(world, Role.DISPATCHER)
    body = {
        "customer": CustomerFactory(agency=world.b.agency).pk,
        "product": PrepaidProductFactory(agency=world.b.agency).pk,
        "method": PaymentMethod.CASH,
    }
    response = client.post(reverse("prepaid-card-list"), body, content_type=JSON)
    assert response.status_code == 400
    assert {"customer", "product"} <= response.json().keys()


def test_finance_pays_an_invoice_from_a_card_and_reads_the_ledger(world):
    card = PrepaidCardFactory(agency=world.a.agency)
    invoice = issued_invoice(world.a, customer=card.customer)
    client = client_as(world, Role.FINANCE)
    pay = reverse("prepaid-card-pay", kwargs={"pk": card.pk})
    response = client.post(pay, {"invoice": invoice.pk, "amount": "100.00"}, content_type=JSON)
    assert response.status_code == 201, response.content
    assert response.json()["method"] == "prepaid"
    detail = client.get(reverse("prepaid-card-detail", kwargs={"pk": card.pk})).json()
    assert detail["balance_amount"] == "2100.00"
    ledger = client.get(reverse("prepaid-card-ledger", kwargs={"pk": card.pk})).json()
    assert [e["kind"] for e in ledger] == ["top_up", "use"]
    assert ledger[1]["receipt_number"] == response.json()["receipt_number"]
    too_much = client.post(pay, {"invoice": invoice.pk, "amount": "60.00"}, content_type=JSON)
    assert too_much.status_code == 400
    rest = client.post(pay, {"invoice": invoice.pk}, content_type=JSON)
    assert rest.status_code == 201
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_the_desk_may_not_spend_a_balance(world):
    card = PrepaidCardFactory(agency=world.a.agency)
    invoice = issued_invoice(world.a, customer=card.customer)
    response = client_as(world, Role.DISPATCHER).post(
        reverse("prepaid-card-pay", kwargs={"pk": card.pk}),
        {"invoice": invoice.pk},
        content_type=JSON,
    )
    assert response.status_code == 403


def test_a_card_of_another_customer_is_a_conflict(world):
    card = PrepaidCardFactory(agency=world.a.agency)
    response = client_as(world, Role.FINANCE).post(
        reverse("prepaid-card-pay", kwargs={"pk": card.pk}),
        {"invoice": issued_invoice(world.a).pk},
        content_type=JSON,
    )
    assert response.status_code == 409


def test_another_agencys_card_is_a_404(world):
    theirs = PrepaidCardFactory(agency=world.b.agency)
    client = client_as(world, Role.FINANCE)
    assert client.get(reverse("prepaid-card-detail", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("prepaid-card-ledger", kwargs={"pk": theirs.pk})).status_code == 404


def test_refund_asked_approved_and_paid_back(world):
    card = PrepaidCardFactory(agency=world.a.agency)
    asked = client_as(world, Role.DISPATCHER).post(
        reverse("prepaid-card-refund", kwargs={"pk": card.pk}),
        {"reason": "搬家"},
        content_type=JSON,
    )
    assert asked.status_code == 201
    refund_id = asked.json()["id"]
    finance = client_as(world, Role.FINANCE)
    approve = reverse("prepaid-refund-approve", kwargs={"pk": refund_id})
    assert finance.post(approve).status_code == 403
    assert client_as(world, Role.MANAGER).post(approve).status_code == 200
    paid = finance.post(
        reverse("prepaid-refund-pay-back", kwargs={"pk": refund_id}),
        {"method": PaymentMethod.BANK_TRANSFER},
        content_type=JSON,
    )
    assert paid.json()["status"] == "paid_back"
    card.refresh_from_db()
    assert card.status == "refunded"


def test_the_cards_list_query_count_is_pinned(world, django_assert_num_queries):
    for _ in range(5):
        PrepaidCardFactory(agency=world.a.agency)
    client = client_as(world, Role.FINANCE)
    client.get(reverse("prepaid-card-list"))
    # 1 session, 2 user, 3 membership,
    # 4 the count, 5 the rows with their balances (customer and product joined).
    with django_assert_num_queries(5):
        response = client.get(reverse("prepaid-card-list"))
    assert len(response.json()["results"]) == 5
    assert Decimal(response.json()["results"][0]["balance_amount"]) == Decimal("2200.00")
