"""Online payment: checkouts, the providers' notifications, refunds and reconciliation,
against the fake WeChat Pay and Alipay (orders.payments.fake_provider), no network.

Issue 18: a notification is verified (signature, amount, currency, merchant, invoice) and
idempotent; a refused one is kept for finance, never a payment.
"""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agency.audit import Actor
from agency.errors import StateConflict
from agency.models import AuditLog, Role
from orders.billing.services import refund_decide, refund_request
from orders.models import InvoiceStatus, Payment, RefundStatus
from orders.payments.fake_provider import Trade, _key
from orders.payments.models import (
    Checkout,
    CheckoutStatus,
    DifferenceKind,
    OnlineRefundStatus,
    ReconciliationDifference,
    RefusedNotification,
)
from orders.payments.reconciliation import reconcile_due
from orders.payments.refunds import online_refund_send
from orders.payments.services import checkout_start
from tests.concurrency import race
from tests.orders.payments_setup import configure, issued_invoice


def finance(world) -> Actor:
    return Actor(user=world.a.user(Role.FINANCE))


def notify(client, checkout, headers, body):
    url = reverse(
        "payment_notify",
        kwargs={"provider": checkout.provider, "agency_slug": checkout.agency.slug},
    )
    content_type = headers.pop("Content-Type", "application/json")
    return client.post(url, body, content_type=content_type, headers=headers)


def notification(fake, checkout, **changes):
    if checkout.provider == "wechat":
        return fake.wechat_notification(checkout.out_trade_no, **changes)
    return fake.alipay_notification(checkout.out_trade_no, **changes)


def test_a_wechat_notification_pays_the_invoice_once_with_a_receipt(client, world, fake, accounts):
    invoice = issued_invoice(world.a)
    checkout = checkout_start(
        invoice=invoice, provider="wechat", channel="native", actor=finance(world)
    )
    assert checkout.code_url.startswith("weixin://wxpay/bizpayurl?pr=")
    headers, body = fake.wechat_notification(checkout.out_trade_no)

    answer = notify(client, checkout, dict(headers), body)
    replay = notify(client, checkout, dict(headers), body)

    assert (answer.status_code, replay.status_code) == (204, 204)
    payment = Payment.objects.get()
    invoice.refresh_from_db()
    checkout.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert (payment.amount, payment.method, payment.taken_by) == (
        Decimal("150.00"),
        "wechat_pay",
        None,
    )
    assert (
        payment.reference
        == checkout.transaction_id
        == fake.trades[checkout.out_trade_no].transaction_id
    )
    assert (checkout.status, checkout.payment) == (CheckoutStatus.PAID, payment)
    entry = AuditLog.objects.get(action="payment.record")
    assert (entry.actor, entry.customer_id) == (None, invoice.customer_id)
    assert not RefusedNotification.objects.exists()


def test_an_alipay_phone_checkout_is_a_signed_link_and_its_notification_pays(
    client, world, fake, accounts
):
    invoice = issued_invoice(world.a, total="88.50")
    checkout = checkout_start(
        invoice=invoice,
        provider="alipay",
        channel="phone",
        actor=Actor.customer(invoice.customer_id),
        return_url="https://example.com/back",
    )
    assert checkout.pay_url.startswith(fake.alipay_gateway + "?")
    assert "alipay.trade.wap.pay" in checkout.pay_url and "sign=" in checkout.pay_url
    fake.trades.setdefault(
        checkout.out_trade_no,
        Trade("alipay", checkout.out_trade_no, checkout.amount),
    )
    headers, body = fake.alipay_notification(checkout.out_trade_no)

    answer = notify(client, checkout, headers, body)

    assert (answer.status_code, answer.content) == (200, b"success")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid) == (InvoiceStatus.PAID, Decimal("88.50"))
    assert Payment.objects.get().method == "alipay"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_copies_of_a_notification_at_once_record_one_payment(world, fake, accounts):
    from orders.payments.services import notification_receive

    invoice = issued_invoice(world.a)
    checkout = checkout_start(
        invoice=invoice, provider="wechat", channel="native", actor=finance(world)
    )
    headers, body = fake.wechat_notification(checkout.out_trade_no)

    def receive():
        return notification_receive(
            agency_slug=world.a.agency.slug, provider="wechat", headers=headers, body=body
        ).status

    assert race(receive, receive) == [204, 204]
    assert Payment.objects.count() == 1
    assert not RefusedNotification.objects.exists()


@pytest.mark.parametrize("provider", ["wechat", "alipay"])
@pytest.mark.parametrize(
    ("reason", "change"),
    [
        ("signature", lambda fake, provider: {"signing_key": _other_key()}),
        ("amount", lambda fake, provider: {"amount": Decimal("1.00")}),
        ("currency", lambda fake, provider: {"currency": "USD"}),
        (
            "merchant",
            lambda fake, provider: (
                {"mchid": "1900000999"} if provider == "wechat" else {"app_id": "2021000000000999"}
            ),
        ),
    ],
)
def test_a_notification_that_does_not_hold_is_refused_and_kept_for_finance(
    client, world, fake, accounts, provider, reason, change
):
    invoice = issued_invoice(world.a)
    checkout = checkout_start(
        invoice=invoice, provider=provider, channel="native", actor=finance(world)
    )
    headers, body = notification(fake, checkout, **change(fake, provider))

    answer = notify(client, checkout, dict(headers), body)

    if provider == "wechat":
        assert answer.status_code == 400 and answer.json()["code"] == "FAIL"
    else:
        assert answer.content == b"fail"
    assert not Payment.objects.exists()
    refused = RefusedNotification.objects.get()
    assert (refused.agency, refused.provider, refused.reason) == (world.a.agency, provider, reason)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED


_OTHER_KEY = []


def _other_key():
    if not _OTHER_KEY:
        _OTHER_KEY.append(_key())
    return _OTHER_KEY[0]


def test_a_notification_of_an_unknown_checkout_is_refused(client, world, fake, accounts):
    checkout = Checkout(agency=world.a.agency, provider="wechat", out_trade_no="f" * 32)
    headers, body = fake.wechat_notification(checkout.out_trade_no, amount=Decimal("150.00"))

    assert notify(client, checkout, dict(headers), body).status_code == 400

    assert RefusedNotification.objects.get().reason == "unknown"
    assert not Payment.objects.exists()


def test_a_notification_for_another_agency_is_not_its_payment(client, world, fake, accounts):
    configure(fake, world.b)
    invoice = issued_invoice(world.a)
    checkout = checkout_start(
        invoice=invoice, provider="wechat", channel="native", actor=finance(world)
    )
    headers, body = fake.wechat_notification(checkout.out_trade_no)
    checkout.agency = world.b.agency  # posted to agency b's address

    assert notify(client, checkout, dict(headers), body).status_code == 400

    assert RefusedNotification.objects.get().agency == world.b.agency
    assert not Payment.objects.exists()


def test_a_checkout_is_refused_for_a_draft_a_paid_invoice_or_an_unconfigured_provider(
    world, fake, accounts
):
    with pytest.raises(StateConflict):
        checkout_start(
            invoice=issued_invoice(world.a, status=InvoiceStatus.DRAFT, number=""),
            provider="wechat",
            channel="native",
            actor=finance(world),
        )
    with pytest.raises(StateConflict):
        checkout_start(
            invoice=issued_invoice(world.a, paid=Decimal("150.00"), status=InvoiceStatus.PAID),
            provider="wechat",
            channel="native",
            actor=finance(world),
        )
    configure(fake, world.b)
    from orders.payments.models import ProviderAccount

    ProviderAccount.objects.filter(agency=world.b.agency, provider="alipay").update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        checkout_start(
            invoice=issued_invoice(world.b),
            provider="alipay",
            channel="native",
            actor=Actor(user=world.b.user(Role.FINANCE)),
        )
    assert "provider" in refused.value.message_dict
    assert not Checkout.objects.exclude(agency=world.a.agency).exists()


def test_a_reloaded_payment_page_shows_the_same_checkout(world, fake, accounts):
    invoice = issued_invoice(world.a)
    first = checkout_start(
        invoice=invoice, provider="wechat", channel="native", actor=finance(world)
    )
    again = checkout_start(
        invoice=invoice, provider="wechat", channel="native", actor=finance(world)
    )
    assert first == again
    assert sum("/native" in request for request in fake.requests) == 1


def paid_online(client, world, fake, provider="wechat", total="150.00"):
    invoice = issued_invoice(world.a, total=total)
    checkout = checkout_start(
        invoice=invoice, provider=provider, channel="native", actor=finance(world)
    )
    headers, body = notification(fake, checkout)
    notify(client, checkout, dict(headers), body)
    checkout.refresh_from_db()
    assert checkout.status == CheckoutStatus.PAID
    return invoice, checkout


@pytest.mark.parametrize("provider", ["wechat", "alipay"])
def test_an_approved_refund_of_an_online_payment_goes_back_through_the_provider(
    client, world, fake, accounts, provider, django_capture_on_commit_callbacks
):
    invoice, _checkout = paid_online(client, world, fake, provider)
    refund = refund_request(
        invoice=invoice, actor=finance(world), amount=Decimal("50.00"), reason="少做一小时"
    )
    from config.celery import app

    with (
        mock.patch.object(app, "send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        refund_decide(refund=refund, actor=Actor(user=world.a.user(Role.MANAGER)), approve=True)
    assert mock.call("orders.tasks.send_online_refund", args=[refund.pk]) in send_task.mock_calls

    online = online_refund_send(refund_id=refund.pk)
    again = online_refund_send(refund_id=refund.pk)

    refund.refresh_from_db()
    invoice.refresh_from_db()
    assert online == again and online.status == OnlineRefundStatus.DONE
    assert (refund.status, refund.method, refund.paid_back_by) == (
        RefundStatus.PAID_BACK,
        {"wechat": "wechat_pay", "alipay": "alipay"}[provider],
        None,
    )
    assert refund.reference
    assert invoice.paid == Decimal("100.00")
    assert list(fake.refunds) == [online.out_refund_no]
    assert sum("refund" in request for request in fake.requests) == 1


def test_a_refund_the_provider_refuses_is_left_for_finance(client, world, fake, accounts):
    invoice, _checkout = paid_online(client, world, fake)
    refund = refund_request(
        invoice=invoice, actor=finance(world), amount=Decimal("50.00"), reason="x"
    )
    refund_decide(refund=refund, actor=Actor(user=world.a.user(Role.MANAGER)), approve=True)
    fake.refuse_refunds = "NOT_ENOUGH"

    online = online_refund_send(refund_id=refund.pk)

    refund.refresh_from_db()
    assert online.status == OnlineRefundStatus.FAILED and "NOT_ENOUGH" in online.error
    assert refund.status == RefundStatus.APPROVED


def test_a_refund_of_a_cash_payment_is_not_sent_anywhere(world, fake, accounts):
    from orders.billing.services import payment_record

    invoice = issued_invoice(world.a)
    payment_record(invoice=invoice, actor=finance(world), amount=Decimal("150.00"), method="cash")
    refund = refund_request(
        invoice=invoice, actor=finance(world), amount=Decimal("50.00"), reason="x"
    )
    refund_decide(refund=refund, actor=Actor(user=world.a.user(Role.MANAGER)), approve=True)

    assert online_refund_send(refund_id=refund.pk) is None
    assert not fake.requests


def test_reconciliation_lists_what_the_bills_and_the_records_disagree_on(
    client, world, fake, accounts
):
    _, matched = paid_online(client, world, fake, "wechat")
    _, ours_only = paid_online(client, world, fake, "wechat")
    _, differs = paid_online(client, world, fake, "alipay", total="66.00")
    del fake.trades[ours_only.out_trade_no]
    fake.trades[differs.out_trade_no].amount = Decimal("60.00")
    stranger = fake.trades.setdefault(
        "x" * 32,
        Trade("wechat", "x" * 32, Decimal("20.00")),
    )
    fake.pay(stranger.out_trade_no)

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert reconcile_due() == 2
        assert reconcile_due() == 0  # each day once

    differences = {
        (d.provider, d.kind, d.reference, d.ours, d.theirs)
        for d in ReconciliationDifference.objects.all()
    }
    assert differences == {
        ("wechat", DifferenceKind.MISSING_THERE, ours_only.transaction_id, Decimal("150.00"), None),
        ("wechat", DifferenceKind.MISSING_HERE, stranger.transaction_id, None, Decimal("20.00")),
        (
            "alipay",
            DifferenceKind.AMOUNT,
            differs.transaction_id,
            Decimal("66.00"),
            Decimal("60.00"),
        ),
    }
    assert matched.transaction_id not in {d[2] for d in differences}


def test_the_sweep_sends_an_approved_refund_whose_task_was_lost(client, world, fake, accounts):
    from orders.payments.refunds import online_refunds_due

    invoice, _checkout = paid_online(client, world, fake)
    refund = refund_request(
        invoice=invoice, actor=finance(world), amount=Decimal("150.00"), reason="取消服务"
    )
    with mock.patch("agency.queueing.current_app"):  # the broker lost the task
        refund_decide(refund=refund, actor=Actor(user=world.a.user(Role.MANAGER)), approve=True)

    assert online_refunds_due() == 1
    assert online_refunds_due() == 0

    refund.refresh_from_db()
    assert refund.status == RefundStatus.PAID_BACK
    assert len(fake.refunds) == 1


def test_reconciliation_finds_a_refund_the_bill_does_not_have(client, world, fake, accounts):
    invoice, _checkout = paid_online(client, world, fake, "alipay")
    refund = refund_request(
        invoice=invoice, actor=finance(world), amount=Decimal("30.00"), reason="x"
    )
    refund_decide(refund=refund, actor=Actor(user=world.a.user(Role.MANAGER)), approve=True)
    online = online_refund_send(refund_id=refund.pk)
    fake.refunds.clear()  # the provider's bill lost it

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        reconcile_due()

    difference = ReconciliationDifference.objects.get(agency=world.a.agency, provider="alipay")
    assert (difference.kind, difference.reference, difference.is_refund, difference.ours) == (
        DifferenceKind.MISSING_THERE,
        online.out_refund_no,
        True,
        Decimal("30.00"),
    )
