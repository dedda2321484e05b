"""The daily reconciliation: each provider's bill of yesterday against what Hearth recorded.

A day is the agency's local day (the providers bill by Beijing time, as the agencies work).
Differences are rows for finance: in the bill and not here (money taken, no payment recorded),
here and not in the bill, or amounts that differ. A day runs once per account (a
`ReconciliationRun` row, unique); a bill that cannot be fetched leaves no run, so the hourly
sweep tries again.
"""

import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction

from orders.payments.accounts import provider_for
from orders.payments.models import (
    Checkout,
    CheckoutStatus,
    DifferenceKind,
    OnlineRefund,
    OnlineRefundStatus,
    ProviderAccount,
    ReconciliationDifference,
    ReconciliationRun,
)
from orders.payments.providers import BillLine, ProviderError

logger = logging.getLogger(__name__)


def reconcile_due() -> int:
    """Every active account's yesterday, if not reconciled yet; how many days were."""
    done = 0
    for account in ProviderAccount.objects.filter(is_active=True).select_related("agency"):
        day = account.agency.today() - timedelta(days=1)
        if ReconciliationRun.objects.filter(
            agency_id=account.agency_id, provider=account.provider, bill_date=day
        ).exists():
            continue
        try:
            reconcile_day(account=account, day=day)
        except ProviderError as error:
            logger.warning("bill of %s %s not fetched: %s", account, day, error)
            continue
        done += 1
    return done


def reconcile_day(*, account: ProviderAccount, day: date) -> int:
    """Compare `account`'s bill of `day` with our records; store and count the differences."""
    bill = provider_for(account).bill(day=day)
    theirs = {(line.reference, line.is_refund): line.amount for line in _summed(bill)}
    ours = _recorded(account, day)
    differences = []
    for key in sorted(theirs.keys() | ours.keys()):
        mine, their = ours.get(key), theirs.get(key)
        if mine == their:
            continue
        kind = (
            DifferenceKind.MISSING_HERE
            if mine is None
            else DifferenceKind.MISSING_THERE
            if their is None
            else DifferenceKind.AMOUNT
        )
        differences.append(
            ReconciliationDifference(
                agency_id=account.agency_id,
                provider=account.provider,
                bill_date=day,
                kind=kind,
                reference=key[0],
                is_refund=key[1],
                ours=mine,
                theirs=their,
            )
        )
    try:
        with transaction.atomic():
            ReconciliationRun.objects.create(
                agency_id=account.agency_id,
                provider=account.provider,
                bill_date=day,
                differences=len(differences),
            )
            ReconciliationDifference.objects.bulk_create(differences)
    except IntegrityError:
        return 0  # a twin run recorded this day first
    return len(differences)


def _summed(bill: list[BillLine]) -> list[BillLine]:
    totals: dict[tuple[str, bool], Decimal] = {}
    for line in bill:
        key = (line.reference, line.is_refund)
        totals[key] = totals.get(key, Decimal(0)) + line.amount
    return [BillLine(reference=k[0], amount=v, is_refund=k[1]) for k, v in totals.items()]


def _recorded(account: ProviderAccount, day: date) -> dict[tuple[str, bool], Decimal]:
    zone = account.agency.zone
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = start + timedelta(days=1)
    payments = Checkout.objects.filter(
        agency_id=account.agency_id,
        provider=account.provider,
        status=CheckoutStatus.PAID,
        paid_at__gte=start,
        paid_at__lt=end,
    ).values_list("transaction_id", "amount")
    refunds = OnlineRefund.objects.filter(
        agency_id=account.agency_id,
        checkout__provider=account.provider,
        status=OnlineRefundStatus.DONE,
        finished_at__gte=start,
        finished_at__lt=end,
    ).values_list("out_refund_no", "refund__amount")
    return {
        **{(reference, False): amount for reference, amount in payments},
        **{(reference, True): amount for reference, amount in refunds},
    }
