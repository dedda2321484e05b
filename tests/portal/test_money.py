"""The customer pays an invoice on the portal: online through WeChat Pay, or from a prepaid
card with the balance before and after shown; "My cards" with their ledgers (issue 18)."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from agency.models import AuditLog
from orders.billing.invoicing import invoice_order
from orders.billing.services import invoice_issue
from orders.models import CardEntry, InvoiceStatus, Payment, PaymentMethod
from orders.payments.models import Checkout
from tests.factories import PrepaidCardFactory
from tests.orders.test_billing import accepted_order
from tests.orders.test_prepaid import member, package, sell
from tests.portal.conftest import portal_url
from tests.portal.money_setup import card_of, invoice_of, wechat_pays


def test_the_customer_pays_through_wechat_pay_once_and_sees_the_receipt(
    world, signed_in, customer, fake, accounts
):
    invoice = invoice_of(world.a, customer)
    page = signed_in.get(portal_url("invoice", customer, pk=invoice.pk)).content.decode()
    assert "150.00" in page and portal_url("invoice_pay", customer, pk=invoice.pk) in page
    choose = signed_in.get(portal_url("invoice_pay", customer, pk=invoice.pk))
    # The browser may follow the form to the provider's page (CSP form-action).
    assert "form-action 'self' https://wx.tenpay.com" in choose["Content-Security-Policy"]

    sent = signed_in.post(
        portal_url("invoice_pay", customer, pk=invoice.pk), {"provider": "wechat"}
    )
    assert sent.status_code == 302 and sent["Location"].startswith("https://wx.tenpay.com/")
    checkout = Checkout.objects.get()
    assert (checkout.channel, checkout.amount) == ("phone", Decimal("150.00"))

    assert wechat_pays(fake, checkout) in (200, 204)
    assert wechat_pays(fake, checkout) in (200, 204)  # a replay adds nothing

    payment = Payment.objects.get(invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    page = signed_in.get(portal_url("invoice", customer, pk=invoice.pk)).content.decode()
    assert "Paid in full" in page and payment.receipt_number in page
    assert portal_url("invoice_pay", customer, pk=invoice.pk) not in page
    receipt = signed_in.get(portal_url("receipt_pdf", customer, pk=payment.pk))
    assert receipt.status_code != 404


def test_the_invoice_list_shows_what_is_open_and_the_way_to_pay(world, signed_in, customer):
    invoice = invoice_of(world.a, customer, total="320.00")
    page = signed_in.get(portal_url("invoices", customer)).content.decode()
    assert "320.00" in page and portal_url("invoice", customer, pk=invoice.pk) in page


def test_paying_from_a_card_shows_the_balance_before_and_after_then_pays_once(
    world, signed_in, customer
):
    invoice = invoice_of(world.a, customer)
    card = card_of(customer)
    page = signed_in.get(portal_url("invoice", customer, pk=invoice.pk)).content.decode()
    confirm_url = portal_url("invoice_card_pay", customer, pk=invoice.pk)
    assert f"{confirm_url}?card={card.pk}" in page and "2200.00" in page

    confirm = signed_in.get(confirm_url, {"card": card.pk}).content.decode()
    assert "2200.00" in confirm and "2050.00" in confirm

    form = {"card": card.pk, "seen": "2200.00"}
    paid = signed_in.post(confirm_url, form, follow=True).content.decode()
    again = signed_in.post(confirm_url, form, follow=True).content.decode()

    payment = Payment.objects.get(invoice=invoice)
    assert payment.method == PaymentMethod.PREPAID and payment.amount == Decimal("150.00")
    assert payment.receipt_number in paid and "Paid in full" in paid
    assert "paid already" in again
    use = CardEntry.objects.get(card=card, kind="use")
    assert (use.amount, use.invoice_id, use.payment_id) == (
        Decimal("-150.00"),
        invoice.pk,
        payment.pk,
    )
    entry = AuditLog.objects.get(action="prepaid_card.use")
    assert entry.customer_id == customer.pk

    cards = signed_in.get(portal_url("cards", customer)).content.decode()
    assert "2050.00" in cards and invoice.number in cards and card.number in cards


def test_a_second_click_on_a_part_payment_spends_nothing_more(world, signed_in, customer):
    invoice = invoice_of(world.a, customer, total="3000.00")
    card = card_of(customer)
    url = portal_url("invoice_card_pay", customer, pk=invoice.pk)
    form = {"card": card.pk, "seen": "2200.00"}

    signed_in.post(url, form)
    again = signed_in.post(url, form, follow=True).content.decode()

    assert CardEntry.objects.filter(card=card, kind="use").count() == 1
    assert "balance changed; nothing was paid" in again
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("800.00")


def test_another_customers_card_is_a_404(world, signed_in, customer, other_customer):
    invoice = invoice_of(world.a, customer)
    theirs = card_of(other_customer)
    url = portal_url("invoice_card_pay", customer, pk=invoice.pk)
    assert signed_in.get(url, {"card": theirs.pk}).status_code == 404
    assert signed_in.post(url, {"card": theirs.pk, "seen": "2200.00"}).status_code == 404
    assert not Payment.objects.exists()


def test_a_paid_invoice_is_not_paid_again(world, signed_in, customer):
    invoice = invoice_of(world.a, customer)
    invoice.status = InvoiceStatus.PAID
    invoice.paid = invoice.total
    invoice.save()
    card = card_of(customer)
    url = portal_url("invoice_card_pay", customer, pk=invoice.pk)

    shown = signed_in.get(url, {"card": card.pk}, follow=True).content.decode()
    tried = signed_in.post(url, {"card": card.pk, "seen": "2200.00"}, follow=True).content.decode()

    assert "paid already" in shown and "paid already" in tried
    assert not Payment.objects.exists()


def test_an_expired_card_is_not_offered_and_pays_nothing(world, signed_in, customer):
    invoice = invoice_of(world.a, customer)
    card = card_of(customer, expired=True)
    page = signed_in.get(portal_url("invoice", customer, pk=invoice.pk)).content.decode()
    assert "?card=" not in page

    url = portal_url("invoice_card_pay", customer, pk=invoice.pk)
    tried = signed_in.post(url, {"card": card.pk, "seen": "2200.00"}, follow=True)

    assert "expired" in tried.content.decode()
    assert not Payment.objects.exists()


def test_the_home_page_shows_the_cards_balance(world, signed_in, customer):
    card_of(customer)
    page = signed_in.get(portal_url("home", customer)).content.decode()
    assert "2200.00" in page and portal_url("cards", customer) in page


def test_my_cards_says_to_ask_the_office_to_buy_one(world, signed_in, customer):
    page = signed_in.get(portal_url("cards", customer)).content.decode()
    assert "You hold no prepaid card" in page and "ask us" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_cards_and_the_invoice_page_take_as_many_queries_for_many_cards(
    world, signed_in, customer
):
    invoice = invoice_of(world.a, customer)
    card_of(customer)
    cards_url = portal_url("cards", customer)
    invoice_url = portal_url("invoice", customer, pk=invoice.pk)
    home_url = portal_url("home", customer)
    one = [_queries(signed_in, url) for url in (cards_url, invoice_url, home_url)]
    for _ in range(3):
        PrepaidCardFactory(agency=customer.agency, customer=customer)
    assert [_queries(signed_in, url) for url in (cards_url, invoice_url, home_url)] == one


def test_a_package_shows_the_visits_before_and_after_and_pays_one_visit(world, signed_in, customer):
    product = package(world.a, hours="3.0")
    card = sell(world.a, product=product, customer=customer)
    order = accepted_order(world.a, customer=customer, quantity="3.00")
    order.service_type = product.service_type
    order.save(update_fields=["service_type"])
    invoice = invoice_issue(invoice=invoice_order(order=order), actor=member(world.a))
    url = portal_url("invoice_card_pay", customer, pk=invoice.pk)

    confirm = signed_in.get(url, {"card": card.pk}).content.decode()
    signed_in.post(url, {"card": card.pk, "seen": "10"})

    assert '<dd class="balance-before">10</dd>' in confirm
    assert '<dd class="balance-after">9</dd>' in confirm
    use = CardEntry.objects.get(card=card, kind="use")
    assert (use.visits, use.payment.amount) == (-1, Decimal("150.00"))
