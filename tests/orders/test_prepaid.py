"""Prepaid cards and packages (issue 18): the ledger, the sale, paying an invoice from a
balance, the package's visit rule, refunds, expiry and the 30-day reminder."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from agency.audit import Actor
from agency.idempotency import RepeatedSubmission
from agency.models import OutboundMessage, Role
from orders.billing.documents import invoice_pdf, receipt_pdf
from orders.billing.invoicing import invoice_order
from orders.billing.services import invoice_issue
from orders.models import (
    CardEntry,
    CardEntryKind,
    CardRefundStatus,
    CardReminder,
    CardStatus,
    InvoiceStatus,
    OrderStatus,
    PaymentMethod,
    PrepaidCard,
    ProductKind,
)
from orders.prepaid.expiry import cards_expire_due, cards_remind_due
from orders.prepaid.ledger import balance_of
from orders.prepaid.refunds import card_refund_decide, card_refund_pay_back, card_refund_request
from orders.prepaid.selectors import cards_for_customer
from orders.prepaid.services import CardConflict, card_pay, card_sell
from orders.tasks import sweep_prepaid_cards
from tests.concurrency import race
from tests.factories import CustomerFactory, PrepaidProductFactory, ServiceTypeFactory
from tests.orders.test_billing import accepted_order, issued_invoice, pdf_text


def member(tenant, role: Role = Role.FINANCE) -> Actor:
    return Actor(user=tenant.user(role))


def sell(tenant, product=None, customer=None, **options) -> PrepaidCard:
    customer = customer or CustomerFactory(agency=tenant.agency, preferred_language="zh-hans")
    return card_sell(
        customer=customer,
        product=product or PrepaidProductFactory(agency=tenant.agency),
        actor=member(tenant, Role.DISPATCHER),
        method=PaymentMethod.WECHAT_PAY,
        reference="4200001234",
        **options,
    )


def package(tenant, *, visits=10, hours="3.0", fee="0"):
    return PrepaidProductFactory(
        agency=tenant.agency,
        kind=ProductKind.PACKAGE,
        credit=None,
        price=Decimal("1350.00"),
        service_type=ServiceTypeFactory(agency=tenant.agency),
        visits=visits,
        hours_per_visit=Decimal(hours),
        refund_fee_percent=Decimal(fee),
    )


# --- the sale and the ledger ------------------------------------------------------------


def test_a_sale_numbers_the_card_and_tops_up_the_ledger(world):
    card = sell(world.a)
    second = sell(world.a)
    assert (card.number, second.number) == ("2026-P000001", "2026-P000002")
    assert balance_of(card).amount == Decimal("2200.00")
    [entry] = card.entries.all()
    assert (entry.kind, entry.amount) == (CardEntryKind.TOP_UP, Decimal("2200.00"))
    assert card.price_paid == Decimal("2000.00")
    assert card.valid_until == world.a.agency.today() + timedelta(days=365)


def test_a_double_submitted_sale_sells_one_card(world):
    customer = CustomerFactory(agency=world.a.agency)
    product = PrepaidProductFactory(agency=world.a.agency)
    key = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    first = sell(world.a, product=product, customer=customer, submission_key=key)
    with pytest.raises(RepeatedSubmission) as repeat:
        sell(world.a, product=product, customer=customer, submission_key=key)
    assert repeat.value.earlier == first
    assert PrepaidCard.objects.count() == 1


def test_finance_and_the_desk_sell_but_staff_do_not(world):
    customer = CustomerFactory(agency=world.a.agency)
    product = PrepaidProductFactory(agency=world.a.agency)
    with pytest.raises(PermissionDenied):
        card_sell(
            customer=customer,
            product=product,
            actor=member(world.a, Role.STAFF),
            method=PaymentMethod.CASH,
        )
    card_sell(customer=customer, product=product, actor=member(world.a), method=PaymentMethod.CASH)


def test_a_card_is_not_bought_with_a_balance_nor_from_another_agencys_products(world):
    customer = CustomerFactory(agency=world.a.agency)
    with pytest.raises(ValidationError) as error:
        card_sell(
            customer=customer,
            product=PrepaidProductFactory(agency=world.b.agency),
            actor=member(world.a),
            method=PaymentMethod.CASH,
        )
    assert "product" in error.value.error_dict
    with pytest.raises(ValidationError):
        card_sell(
            customer=customer,
            product=PrepaidProductFactory(agency=world.a.agency),
            actor=member(world.a),
            method=PaymentMethod.PREPAID,
        )


def test_a_ledger_entry_never_adds_except_a_top_up(world):
    card = sell(world.a)
    with pytest.raises(IntegrityError), transaction.atomic():
        CardEntry.objects.create(agency=world.a.agency, card=card, kind="use", amount=5)


# --- paying an invoice ------------------------------------------------------------------


def test_a_balance_settles_an_invoice_with_a_receipt(world):
    card = sell(world.a)
    invoice = issued_invoice(world.a, customer=card.customer)  # 3 h × 50 = 150
    payment = card_pay(card=card, invoice=invoice, actor=member(world.a))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert (payment.method, payment.reference, payment.amount) == (
        PaymentMethod.PREPAID,
        card.number,
        Decimal("150.00"),
    )
    assert payment.receipt_number.startswith("2026-R")
    assert balance_of(card).amount == Decimal("2050.00")
    use = card.entries.get(kind=CardEntryKind.USE)
    assert (use.amount, use.payment, use.invoice) == (Decimal("-150.00"), payment, invoice)
    order = invoice.lines.get().order
    assert order.status == OrderStatus.PAID


def test_a_part_payment_leaves_the_rest_open(world):
    card = sell(world.a)
    invoice = issued_invoice(world.a, customer=card.customer)
    card_pay(card=card, invoice=invoice, actor=member(world.a), amount=Decimal("100"))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.open_amount) == (InvoiceStatus.ISSUED, Decimal("50.00"))


def test_a_card_pays_no_more_than_it_holds_nor_another_customers_invoice(world):
    card = sell(
        world.a,
        product=PrepaidProductFactory(
            agency=world.a.agency, price=Decimal("100"), credit=Decimal("100")
        ),
    )
    invoice = issued_invoice(world.a, customer=card.customer)
    with pytest.raises(ValidationError):
        card_pay(card=card, invoice=invoice, actor=member(world.a), amount=Decimal("150"))
    with pytest.raises(CardConflict):
        card_pay(card=card, invoice=issued_invoice(world.a), actor=member(world.a))
    payment = card_pay(card=card, invoice=invoice, actor=member(world.a))
    assert payment.amount == Decimal("100.00")
    with pytest.raises(ValidationError):
        card_pay(card=card, invoice=invoice, actor=member(world.a))


def test_a_payment_confirmed_against_another_balance_pays_nothing(world):
    card = sell(world.a)
    invoice = issued_invoice(world.a, customer=card.customer)
    customer = Actor.customer(card.customer_id)
    card_pay(card=card, invoice=invoice, actor=customer, amount=Decimal("10"))
    # The page showed 2,200 before that payment: a second click confirms a stale balance.
    with pytest.raises(CardConflict):
        card_pay(card=card, invoice=invoice, actor=customer, seen_balance=Decimal("2200.00"))
    payment = card_pay(card=card, invoice=invoice, actor=customer, seen_balance=Decimal("2190.00"))
    assert payment.amount == Decimal("140.00")


def test_the_customer_spends_their_own_card_and_no_one_elses(world):
    card = sell(world.a)
    invoice = issued_invoice(world.a, customer=card.customer)
    other = CustomerFactory(agency=world.a.agency)
    with pytest.raises(PermissionDenied):
        card_pay(card=card, invoice=invoice, actor=Actor.customer(other.pk))
    with pytest.raises(PermissionDenied):
        card_pay(card=card, invoice=invoice, actor=member(world.a, Role.DISPATCHER))
    payment = card_pay(card=card, invoice=invoice, actor=Actor.customer(card.customer_id))
    assert payment.taken_by is None


def test_an_expired_card_pays_nothing(world):
    card = sell(world.a)
    invoice = issued_invoice(world.a, customer=card.customer)
    with time_machine.travel(card.expires_at - timedelta(minutes=1)):
        # The last valid day, before the sweep ran: still good.
        card_pay(card=card, invoice=invoice, actor=member(world.a), amount=Decimal("10"))
    with time_machine.travel(card.expires_at + timedelta(minutes=1)), pytest.raises(CardConflict):
        card_pay(card=card, invoice=invoice, actor=member(world.a), amount=Decimal("10"))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_uses_at_once_never_overspend(world):
    card = sell(
        world.a,
        product=PrepaidProductFactory(
            agency=world.a.agency, price=Decimal("200"), credit=Decimal("200")
        ),
    )
    invoices = [issued_invoice(world.a, customer=card.customer) for _ in range(2)]  # 150 each
    outcomes = race(
        *[
            lambda invoice=invoice: card_pay(card=card, invoice=invoice, actor=member(world.a))
            for invoice in invoices
        ]
    )
    spent = [o for o in outcomes if not isinstance(o, Exception)]
    assert sum(p.amount for p in spent) == Decimal("200.00")
    assert balance_of(card).amount == 0
    assert CardEntry.objects.filter(card=card, kind="use").count() == len(spent)


# --- packages ---------------------------------------------------------------------------


def test_a_package_pays_one_visit_of_its_service_up_to_its_hours(world):
    product = package(world.a, hours="3.0")
    card = sell(world.a, product=product)
    order = accepted_order(world.a, customer=card.customer, quantity="4.00")  # 4 h × 50
    order.service_type = product.service_type
    order.save(update_fields=["service_type"])
    invoice = invoice_issue(invoice=invoice_order(order=order), actor=member(world.a))
    payment = card_pay(card=card, invoice=invoice, actor=member(world.a))
    assert payment.amount == Decimal("150.00")  # 3 of the 4 hours
    assert balance_of(card).visits == 9
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("50.00")
    # One visit per order: the same order's hour left is paid another way.
    with pytest.raises(CardConflict):
        card_pay(card=card, invoice=invoice, actor=member(world.a))
    with pytest.raises(ValidationError):
        card_pay(card=card, invoice=invoice, actor=member(world.a), amount=Decimal("50"))


def test_a_package_does_not_pay_another_service(world):
    card = sell(world.a, product=package(world.a))
    invoice = issued_invoice(world.a, customer=card.customer)
    with pytest.raises(CardConflict):
        card_pay(card=card, invoice=invoice, actor=member(world.a))
    assert balance_of(card).visits == 10


# --- refunds ----------------------------------------------------------------------------


def test_a_stored_value_refund_pays_back_what_was_paid_less_what_was_used(world):
    product = PrepaidProductFactory(agency=world.a.agency, refund_fee_percent=Decimal("5"))
    card = sell(world.a, product=product)
    card_pay(
        card=card, invoice=issued_invoice(world.a, customer=card.customer), actor=member(world.a)
    )
    refund = card_refund_request(card=card, actor=member(world.a, Role.DISPATCHER), reason="搬家")
    # 2,000 paid − 150 used = 1,850 (the 200 bonus is forfeited), 5% fee kept.
    assert (refund.refundable, refund.fee, refund.amount) == (
        Decimal("1850.00"),
        Decimal("92.50"),
        Decimal("1757.50"),
    )
    card.refresh_from_db()
    assert card.status == CardStatus.REFUNDING
    with pytest.raises(CardConflict):
        card_pay(
            card=card,
            invoice=issued_invoice(world.a, customer=card.customer),
            actor=member(world.a),
        )
    with pytest.raises(PermissionDenied):
        card_refund_decide(refund=refund, actor=member(world.a), approve=True)
    with pytest.raises(CardConflict):
        card_refund_pay_back(refund=refund, actor=member(world.a), method=PaymentMethod.CASH)
    card_refund_decide(refund=refund, actor=member(world.a, Role.MANAGER), approve=True)
    card_refund_pay_back(refund=refund, actor=member(world.a), method=PaymentMethod.CASH)
    refund.refresh_from_db()
    card.refresh_from_db()
    assert (refund.status, card.status) == (CardRefundStatus.PAID_BACK, CardStatus.REFUNDED)
    assert balance_of(card).amount == 0
    assert card.entries.get(kind=CardEntryKind.REFUND).amount == Decimal("-2050.00")


def test_a_package_refund_charges_used_visits_at_the_packages_price(world):
    card = sell(world.a, product=package(world.a, visits=10))  # 1,350: 135 a visit
    CardEntry.objects.create(agency=world.a.agency, card=card, kind="use", visits=-3)
    refund = card_refund_request(card=card, actor=member(world.a), reason="不需要了")
    assert refund.amount == Decimal("945.00")


def test_a_rejected_refund_gives_the_card_back(world):
    card = sell(world.a)
    refund = card_refund_request(card=card, actor=member(world.a), reason="想退")
    card_refund_decide(refund=refund, actor=member(world.a, Role.MANAGER), approve=False)
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE
    assert card_refund_request(card=card, actor=member(world.a), reason="再退").amount


def test_a_used_up_card_has_nothing_to_refund(world):
    card = sell(
        world.a,
        product=PrepaidProductFactory(
            agency=world.a.agency, price=Decimal("100"), credit=Decimal("150")
        ),
    )
    card_pay(
        card=card, invoice=issued_invoice(world.a, customer=card.customer), actor=member(world.a)
    )
    with pytest.raises(CardConflict):
        card_refund_request(card=card, actor=member(world.a), reason="想退")


# --- expiry and its reminder ------------------------------------------------------------


def test_the_reminder_goes_30_days_before_once(world, sms_outbox):
    card = sell(world.a)
    assert card.remind_at == card.expires_at - timedelta(days=30)
    with time_machine.travel(card.remind_at - timedelta(minutes=1)):
        assert cards_remind_due() == 0
    with time_machine.travel(card.remind_at + timedelta(minutes=1)):
        assert cards_remind_due() == 1
        assert cards_remind_due() == 0
    assert CardReminder.objects.filter(card=card).count() == 1
    [message] = OutboundMessage.objects.filter(rule="prepaid.expiring:customer")
    assert card.number in message.body and "2,200.00" in message.body


def test_a_card_expires_once_after_its_last_day_and_its_balance_leaves(world):
    card = sell(world.a)
    with time_machine.travel(card.expires_at - timedelta(minutes=1)):
        assert cards_expire_due() == 0
    with time_machine.travel(card.expires_at + timedelta(minutes=1)):
        assert cards_expire_due() == 1
        assert cards_expire_due() == 0
    card.refresh_from_db()
    assert card.status == CardStatus.EXPIRED
    assert card.remind_at is None
    assert card.entries.get(kind=CardEntryKind.EXPIRY).amount == Decimal("-2200.00")
    assert balance_of(card).amount == 0


def test_a_refund_pending_holds_off_the_reminder_until_it_is_rejected(world, sms_outbox):
    card = sell(world.a)
    refund = card_refund_request(card=card, actor=member(world.a), reason="想退")
    with time_machine.travel(card.remind_at + timedelta(minutes=1)):
        assert cards_remind_due() == 0
        card_refund_decide(refund=refund, actor=member(world.a, Role.MANAGER), approve=False)
        assert cards_remind_due() == 1


def test_a_refund_pending_holds_off_the_expiry(world):
    card = sell(world.a)
    card_refund_request(card=card, actor=member(world.a), reason="想退")
    with time_machine.travel(card.expires_at + timedelta(days=1)):
        assert cards_expire_due() == 0


# --- reads ------------------------------------------------------------------------------


def test_a_customers_cards_and_balances_in_one_query(world, django_assert_num_queries):
    customer = CustomerFactory(agency=world.a.agency)
    for _ in range(3):
        card = sell(world.a, customer=customer)
    card_pay(card=card, invoice=issued_invoice(world.a, customer=customer), actor=member(world.a))
    sell(world.b)
    with django_assert_num_queries(1):
        cards = cards_for_customer(agency=world.a.agency, customer=customer)
        balances = sorted(c.balance_amount for c in cards)
    assert balances == [Decimal("2050.00"), Decimal("2200.00"), Decimal("2200.00")]


# --- the documents ----------------------------------------------------------------------


def test_the_invoice_and_receipt_show_what_the_card_held_after_paying(world):
    card = sell(world.a)
    invoice = issued_invoice(world.a, customer=card.customer)
    payment = card_pay(card=card, invoice=invoice, actor=member(world.a))
    # A later use does not change what these documents say.
    card_pay(
        card=card, invoice=issued_invoice(world.a, customer=card.customer), actor=member(world.a)
    )
    receipt = pdf_text(receipt_pdf(payment))
    assert "2,050.00 CNY" in receipt and "储值卡余额" in receipt
    assert card.number in pdf_text(invoice_pdf(invoice))


def test_the_beat_runs_the_prepaid_sweep_which_ends_a_card_before_reminding_it(world, settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["prepaid-cards"]
    assert schedule["task"] == sweep_prepaid_cards.name
    card = sell(world.a)
    # Both are due: the card expires, and an ended card is not reminded.
    with time_machine.travel(card.expires_at + timedelta(minutes=1)):
        assert sweep_prepaid_cards() == 1
    assert not CardReminder.objects.exists()
