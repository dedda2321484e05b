"""A card's balance: the sum of its ledger, read under the card's lock when it is spent."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from orders.models import CardEntry, PrepaidCard


@dataclass(frozen=True)
class Balance:
    """What a card still holds: money (stored value) and visits (package)."""

    amount: Decimal
    visits: int

    @property
    def is_empty(self) -> bool:
        return self.amount <= 0 and self.visits <= 0


def balance_of(card: PrepaidCard) -> Balance:
    """The sum of the card's entries (one query). Spend it only from a `locked` card."""
    sums = CardEntry.objects.filter(card_id=card.pk).aggregate(a=Sum("amount"), v=Sum("visits"))
    return Balance(amount=sums["a"] or Decimal(0), visits=sums["v"] or 0)


def locked(card: PrepaidCard) -> PrepaidCard:
    """The card again, its row locked until the transaction ends: every write to a ledger
    takes this first, so two uses at once queue and the second sees what the first left."""
    return (
        PrepaidCard.objects.select_for_update(of=("self",))
        .select_related("agency", "customer", "service_type")
        .get(pk=card.pk, agency_id=card.agency_id)
    )


def used(card: PrepaidCard) -> Balance:
    """What the card paid for so far (its use entries, as positive numbers)."""
    sums = CardEntry.objects.filter(card_id=card.pk, kind="use").aggregate(
        a=Sum("amount"), v=Sum("visits")
    )
    return Balance(amount=-(sums["a"] or Decimal(0)), visits=-(sums["v"] or 0))
