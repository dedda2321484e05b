"""The portal API's money endpoints: an invoice with its receipts, starting an online payment,
paying from a card under an Idempotency-Key, the cards and a card's ledger (issue 18)."""

import uuid
from decimal import Decimal

import pytest

from orders.models import CardEntry, InvoiceStatus, Payment
from orders.payments.models import Checkout
from tests.factories import PrepaidCardFactory
from tests.portal.conftest import sign_in_as
from tests.portal.money_setup import card_of, invoice_of, wechat_pays
from tests.portal.test_api import api


def test_an_invoice_started_online_and_paid_shows_its_receipt(
    world, signed_in, customer, fake, accounts
):
    invoice = invoice_of(world.a, customer)
    detail = signed_in.get(api("invoice-detail", customer, pk=invoice.pk)).json()
    assert detail["open_amount"] == "150.00" and detail["payable"] is True
    assert sorted(detail["providers"]) == ["alipay", "wechat"]

    started = signed_in.post(
        api("invoice-pay", customer, pk=invoice.pk),
        {"provider": "wechat"},
        content_type="application/json",
    )
    assert started.status_code == 201
    assert started.json()["pay_url"].startswith("https://wx.tenpay.com/")
    assert wechat_pays(fake, Checkout.objects.get()) in (200, 204)

    detail = signed_in.get(api("invoice-detail", customer, pk=invoice.pk)).json()
    payment = Payment.objects.get(invoice=invoice)
    assert detail["status"] == "paid" and detail["payable"] is False
    assert [r["receipt_number"] for r in detail["receipts"]] == [payment.receipt_number]


def test_a_qr_code_content_for_alipay(world, signed_in, customer, fake, accounts):
    invoice = invoice_of(world.a, customer)
    started = signed_in.post(
        api("invoice-pay", customer, pk=invoice.pk),
        {"provider": "alipay", "channel": "native"},
        content_type="application/json",
    )
    assert started.status_code == 201 and started.json()["code_url"]


def test_a_paid_invoice_is_a_409(world, signed_in, customer, fake, accounts):
    invoice = invoice_of(world.a, customer, status=InvoiceStatus.PAID, paid=Decimal("150.00"))
    card = card_of(customer)
    pay = signed_in.post(
        api("invoice-pay", customer, pk=invoice.pk),
        {"provider": "wechat"},
        content_type="application/json",
    )
    from_card = signed_in.post(
        api("invoice-card-pay", customer, pk=invoice.pk),
        {"card": card.pk},
        content_type="application/json",
    )
    assert (pay.status_code, from_card.status_code) == (409, 409)
    assert not Checkout.objects.exists() and not Payment.objects.exists()


def test_paying_from_a_card_with_a_key_pays_once(world, signed_in, customer):
    invoice = invoice_of(world.a, customer)
    card = card_of(customer)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    url = api("invoice-card-pay", customer, pk=invoice.pk)

    first = signed_in.post(url, {"card": card.pk}, content_type="application/json", headers=key)
    again = signed_in.post(url, {"card": card.pk}, content_type="application/json", headers=key)

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Payment.objects.get().receipt_number == first.json()["receipt_number"]
    [listed] = signed_in.get(api("card-list", customer)).json()
    assert listed["balance_amount"] == "2050.00"
    ledger = signed_in.get(api("card-ledger", customer, pk=card.pk)).json()
    assert [(e["kind"], e["amount"]) for e in ledger] == [
        ("top_up", "2200.00"),
        ("use", "-150.00"),
    ]
    assert ledger[1]["invoice_number"] == invoice.number


def test_another_customers_card_is_a_404_and_an_expired_one_a_409(
    world, signed_in, customer, other_customer
):
    invoice = invoice_of(world.a, customer)
    url = api("invoice-card-pay", customer, pk=invoice.pk)
    theirs = card_of(other_customer)
    expired = card_of(customer, expired=True)

    stranger = signed_in.post(url, {"card": theirs.pk}, content_type="application/json")
    old = signed_in.post(url, {"card": expired.pk}, content_type="application/json")

    assert (stranger.status_code, old.status_code) == (404, 409)
    assert "expired" in old.json()["detail"]
    assert not CardEntry.objects.filter(kind="use").exists()


@pytest.mark.parametrize("count", [1, 10])
def test_the_cards_list_costs_the_same_queries(
    signed_in, customer, count, django_assert_num_queries
):
    for _ in range(count):
        PrepaidCardFactory(agency=customer.agency, customer=customer)
    # session, agency, customer, the cards with their balances and products
    with django_assert_num_queries(4):
        assert len(signed_in.get(api("card-list", customer)).json()) == count


def test_a_key_is_the_customers_own(world, client, customer, other_customer):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    mine, theirs = invoice_of(world.a, customer), invoice_of(world.a, other_customer)
    first = sign_in_as(client, customer).post(
        api("invoice-card-pay", customer, pk=mine.pk),
        {"card": card_of(customer).pk},
        content_type="application/json",
        headers=key,
    )
    client.logout()
    second = sign_in_as(client, other_customer).post(
        api("invoice-card-pay", customer, pk=theirs.pk),
        {"card": card_of(other_customer).pk},
        content_type="application/json",
        headers=key,
    )
    assert (first.status_code, second.status_code) == (201, 409)
    assert Payment.objects.count() == 1
