"""Reads of the prepaid wing, scoped to an agency: cards with their balances in one query
(the ledger summed per card in the database), products, refunds to decide or pay back."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from agency.models import Agency
from orders.models import (
    CardEntry,
    CardRefund,
    CardRefundStatus,
    Customer,
    PrepaidCard,
    PrepaidProduct,
)


def _ledger_sum(field: str, output: DecimalField | IntegerField) -> Coalesce:
    total = (
        CardEntry.objects.filter(card=OuterRef("pk"))
        .order_by()
        .values("card")
        .annotate(s=Sum(field))
        .values("s")
    )
    return Coalesce(Subquery(total, output_field=output), Value(0), output_field=output)


def with_balance(cards: QuerySet[PrepaidCard]) -> QuerySet[PrepaidCard]:
    """`balance_amount` and `balance_visits` on each card: the sums of its ledger."""
    return cards.annotate(
        balance_amount=_ledger_sum("amount", DecimalField(max_digits=12, decimal_places=2)),
        balance_visits=_ledger_sum("visits", IntegerField()),
    )


def cards_for(*, agency: Agency) -> QuerySet[PrepaidCard]:
    """The agency's cards with their balances, holder, product and service (one query)."""
    return with_balance(
        PrepaidCard.objects.filter(agency=agency).select_related(
            "customer", "product", "service_type"
        )
    )


def cards_for_customer(*, agency: Agency, customer: Customer) -> list[PrepaidCard]:
    """A customer's cards, newest first, with their balances (one query, whatever the count):
    the customer's page, the invoice page's "Pay from balance", and the portal."""
    return list(cards_for(agency=agency).filter(customer_id=customer.pk))


def card_ledger(card: PrepaidCard) -> QuerySet[CardEntry]:
    return card.entries.select_related("invoice", "payment", "created_by").order_by(
        "created_at", "id"
    )


def balance_after(entries: list[CardEntry], *, package: bool) -> list[tuple[CardEntry, Decimal]]:
    """Each entry with the balance it left (money, or visits for a package)."""
    running = Decimal(0)
    rows = []
    for entry in entries:
        running += entry.visits if package else entry.amount
        rows.append((entry, running))
    return rows


def products_for(*, agency: Agency) -> QuerySet[PrepaidProduct]:
    return PrepaidProduct.objects.filter(agency=agency).select_related("service_type")


def refunds_for(*, agency: Agency) -> QuerySet[CardRefund]:
    return CardRefund.objects.filter(agency=agency).select_related(
        "card__customer", "card__product", "requested_by", "decided_by", "paid_back_by"
    )


def refunds_open(*, agency: Agency) -> QuerySet[CardRefund]:
    """Refunds waiting for a manager or for finance, the oldest first."""
    return (
        refunds_for(agency=agency)
        .filter(status__in=[CardRefundStatus.REQUESTED, CardRefundStatus.APPROVED])
        .order_by("requested_at", "id")
    )


@dataclass(frozen=True)
class CardUse:
    """A payment made from a card, and what the card held right after it (for the documents:
    that balance never changes later, so the invoice and the receipt read the same for ever)."""

    card_number: str
    is_package: bool
    amount_left: Decimal
    visits_left: int


def card_uses(payment_ids: Iterable[int]) -> dict[int, CardUse]:
    """By payment id, the prepaid payments among `payment_ids` (one query)."""
    ids = list(payment_ids)
    if not ids:
        return {}
    upto = CardEntry.objects.filter(card=OuterRef("card"), id__lte=OuterRef("id")).order_by()
    entries = (
        CardEntry.objects.filter(payment_id__in=ids)
        .select_related("card")
        .annotate(
            amount_left=Subquery(
                upto.values("card").annotate(s=Sum("amount")).values("s"),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
            visits_left=Subquery(
                upto.values("card").annotate(s=Sum("visits")).values("s"),
                output_field=IntegerField(),
            ),
        )
    )
    return {
        entry.payment_id: CardUse(
            card_number=entry.card.number,
            is_package=entry.card.is_package,
            amount_left=entry.amount_left,
            visits_left=entry.visits_left,
        )
        for entry in entries
        if entry.payment_id is not None
    }
