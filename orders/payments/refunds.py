"""A refund approved in billing for an invoice paid online goes back the way it came.

`refund_decide` hands the refund's id to the task after commit; the task calls
`online_refund_send`, which may run twice (a redelivered task, the sweep): the refund's one
`OnlineRefund` row keeps its `out_refund_no`, so the provider sees the same request again,
and only the claim sending → done records the money paid back (`refund_pay_back`, as the
system). A refusal is kept on the row for finance, who then pays back another way.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agency.audit import Actor
from orders.billing.services import refund_pay_back
from orders.models import Refund, RefundStatus
from orders.payments.accounts import provider_for
from orders.payments.models import (
    Checkout,
    CheckoutStatus,
    OnlineRefund,
    OnlineRefundStatus,
    ProviderAccount,
)
from orders.payments.services import METHODS

logger = logging.getLogger(__name__)


#: A refund being sent for longer than this was dropped (broker down, worker lost): resent.
STALE_AFTER = timedelta(minutes=10)


def online_refunds_due() -> int:
    """The sweep behind the after-commit task: approved refunds of invoices paid online that
    were never sent, or whose sending stalled, are sent now (each idempotent). Reads only
    approved refunds, which are few: each is paid back or refused within minutes."""
    stalled = Q(online__status=OnlineRefundStatus.SENDING) & Q(
        online__created_at__lt=timezone.now() - STALE_AFTER
    )
    due = (
        Refund.objects.filter(status=RefundStatus.APPROVED)
        .filter(Q(online__isnull=True) | stalled)
        .filter(invoice__checkouts__status=CheckoutStatus.PAID)
        .values_list("pk", flat=True)
        .distinct()
    )
    sent = 0
    for refund_id in list(due):
        if online_refund_send(refund_id=refund_id) is not None:
            sent += 1
    return sent


def online_refund_send(*, refund_id: int) -> OnlineRefund | None:
    """Send an approved refund to the provider of the invoice's online payment; record the
    answer. None when there is nothing to send (not approved, not paid online)."""
    refund = Refund.objects.select_related("invoice").filter(pk=refund_id).first()
    if refund is None:
        return None
    online = OnlineRefund.objects.filter(refund=refund).select_related("checkout").first()
    if online is None:
        if refund.status != RefundStatus.APPROVED:
            return None
        checkout = (
            Checkout.objects.filter(
                agency_id=refund.agency_id,
                invoice_id=refund.invoice_id,
                status=CheckoutStatus.PAID,
                amount__gte=refund.amount,
            )
            .order_by("-paid_at")
            .first()
        )
        if checkout is None:
            return None  # not paid online (or not in one payment this large): finance's
        online, _created = OnlineRefund.objects.get_or_create(
            refund=refund,
            defaults={
                "agency_id": refund.agency_id,
                "checkout": checkout,
                "out_refund_no": f"HR{refund.pk:010d}",
            },
        )
    if online.status != OnlineRefundStatus.SENDING:
        return online
    checkout = online.checkout
    account = ProviderAccount.objects.get(agency_id=refund.agency_id, provider=checkout.provider)
    answer = provider_for(account).refund(
        out_trade_no=checkout.out_trade_no,
        transaction_id=checkout.transaction_id,
        out_refund_no=online.out_refund_no,
        amount=refund.amount,
        total=checkout.amount,
        currency=checkout.currency,
        reason=refund.reason,
    )
    if not answer.accepted:
        logger.warning("online refund %s refused: %s", online.out_refund_no, answer.error)
        OnlineRefund.objects.filter(pk=online.pk, status=OnlineRefundStatus.SENDING).update(
            status=OnlineRefundStatus.FAILED, error=answer.error[:300], finished_at=timezone.now()
        )
    else:
        _record_done(online, refund, answer.provider_refund_id)
    online.refresh_from_db()
    return online


@transaction.atomic
def _record_done(online: OnlineRefund, refund: Refund, provider_refund_id: str) -> None:
    claimed = OnlineRefund.objects.filter(pk=online.pk, status=OnlineRefundStatus.SENDING).update(
        status=OnlineRefundStatus.DONE,
        provider_refund_id=provider_refund_id[:64],
        finished_at=timezone.now(),
    )
    if claimed:
        refund_pay_back(
            refund=refund,
            actor=Actor.system(),
            method=METHODS[online.checkout.provider],  # type: ignore[index]
            reference=provider_refund_id or online.out_refund_no,
        )
