"""What the portal's money pages and API read: one invoice with its payments, the customer's
prepaid cards with their balances and ledgers, and what paying from a card would leave.

Every read is scoped to (agency, customer) like `portal.selectors`: another customer's
invoice or card is not found (a 404), whoever asks.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from agency.models import Agency
from orders.models import CardEntry, CardStatus, Customer, Invoice, InvoiceStatus, PrepaidCard
from orders.prepaid import selectors as prepaid
from portal import selectors


def invoices_of(*, agency: Agency, customer: Customer) -> QuerySet[Invoice]:
    """The customer's issued invoices with their payments (receipts) and agency."""
    return selectors.invoices_for(agency=agency, customer=customer).select_related("agency")


def is_payable(invoice: Invoice) -> bool:
    """Issued and something still open (a paid invoice is never paid twice)."""
    return invoice.status == InvoiceStatus.ISSUED and invoice.open_amount > 0


def cards_of(*, agency: Agency, customer: Customer) -> QuerySet[PrepaidCard]:
    """The customer's cards, newest first, with balances (one query)."""
    return prepaid.cards_for(agency=agency).filter(customer_id=customer.pk)


def cards_with_ledger(*, agency: Agency, customer: Customer) -> list[PrepaidCard]:
    """The cards with `ledger`: (entry, balance after it) oldest first. Two queries in all,
    whatever the number of cards or entries."""
    entries = CardEntry.objects.select_related("invoice", "payment").order_by("created_at", "id")
    cards: list[PrepaidCard] = list(
        cards_of(agency=agency, customer=customer).prefetch_related(
            Prefetch("entries", queryset=entries, to_attr="ordered_entries")
        )
    )
    for card in cards:
        card.ledger = prepaid.balance_after(  # type: ignore[attr-defined]
            card.ordered_entries,  # type: ignore[attr-defined]
            package=card.is_package,
        )
    return cards


def is_usable(card: PrepaidCard) -> bool:
    """Active, not past its date and something left: what `card_pay` would take (it checks
    again, under lock; this only decides what a page offers)."""
    left = card.balance_visits if card.is_package else card.balance_amount  # type: ignore[attr-defined]
    return card.status == CardStatus.ACTIVE and card.agency.today() <= card.valid_until and left > 0


def usable_cards(*, agency: Agency, customer: Customer) -> list[PrepaidCard]:
    cards = cards_of(agency=agency, customer=customer).select_related("agency")
    return [card for card in cards if is_usable(card)]


@dataclass(frozen=True)
class CardPreview:
    """What paying `invoice` from `card` takes and leaves, shown before the customer confirms.

    A package pays one visit: its money amount is the visit's (decided by `card_pay` from
    the invoice's line), so only visits are previewed.
    """

    card: PrepaidCard
    invoice: Invoice
    amount: Decimal | None
    before: Decimal
    after: Decimal


def preview(card: PrepaidCard, invoice: Invoice) -> CardPreview:
    if card.is_package:
        visits = Decimal(card.balance_visits)  # type: ignore[attr-defined]
        return CardPreview(card, invoice, None, visits, visits - 1)
    before = card.balance_amount  # type: ignore[attr-defined]
    amount = min(before, invoice.open_amount)
    return CardPreview(card, invoice, amount, before, before - amount)
