"""The prepaid timers (DESIGN.md "Timers"): a card ends the day after its last valid day,
and its holder is reminded 30 days before.

Both sweeps read only due rows through partial indexes (`prepaidcard_expiry_due` on
active cards, `prepaidcard_reminder_due` on cards still to remind), claim each with a
conditional update, and record the act in a row with a unique constraint (the ledger's one
expiry entry, the one `CardReminder`): a retried or doubled sweep does nothing twice.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.audit import Actor
from messaging.rules import Event
from messaging.services import announce
from orders.billing.documents import format_money
from orders.messages import customer_recipient
from orders.models import CardEntry, CardEntryKind, CardReminder, CardStatus, PrepaidCard
from orders.prepaid.ledger import balance_of
from orders.prepaid.services import card_audit


def cards_expire_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """End every active card past its last day: what was left leaves by an expiry entry."""
    now = now or timezone.now()
    actor = Actor.system()
    expired = 0
    with transaction.atomic():
        due = list(
            PrepaidCard.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=CardStatus.ACTIVE, expires_at__lte=now)
            .select_related("agency")
            .order_by("expires_at")[:limit]
        )
        for card in due:
            claimed = PrepaidCard.objects.filter(pk=card.pk, status=CardStatus.ACTIVE).update(
                status=CardStatus.EXPIRED, remind_at=None
            )
            if not claimed:
                continue
            left = balance_of(card)
            CardEntry.objects.create(
                agency_id=card.agency_id,
                card=card,
                kind=CardEntryKind.EXPIRY,
                amount=-left.amount,
                visits=-left.visits,
                note=_("Expired after %(date)s") % {"date": card.valid_until},
            )
            card_audit(
                card,
                actor,
                "prepaid_card.expire",
                {"amount": str(left.amount), "visits": left.visits},
            )
            expired += 1
    return expired


def cards_remind_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Tell each holder of an active card, once, that it ends in 30 days; how many."""
    now = now or timezone.now()
    told = 0
    with transaction.atomic():
        due = list(
            PrepaidCard.objects.select_for_update(skip_locked=True, of=("self",))
            # A card with a refund pending waits: reminded if the refund is rejected.
            .filter(remind_at__lte=now, status=CardStatus.ACTIVE)
            .select_related("agency", "customer__agency", "product")
            .order_by("remind_at")[:limit]
        )
        PrepaidCard.objects.filter(pk__in=[card.pk for card in due]).update(remind_at=None)
        for card in due:
            try:
                with transaction.atomic():
                    CardReminder.objects.create(agency_id=card.agency_id, card=card)
            except IntegrityError:
                continue
            _tell_expiring(card)
            told += 1
    return told


def _tell_expiring(card: PrepaidCard) -> None:
    left = balance_of(card)
    product = card.product

    def context(language: str) -> dict[str, str]:
        with translation.override(language):
            if card.is_package:
                held = _("%(visits)s visits") % {"visits": left.visits}
            else:
                held = format_money(left.amount, card.agency.currency)
            return {
                "card_number": card.number,
                "card_name": product.name_zh if language.startswith("zh") else product.name_en,
                "balance": held,
                "valid_until": date_format(card.valid_until, "DATE_FORMAT"),
            }

    announce(
        agency=card.agency,
        event=Event.CARD_EXPIRING,
        key=f"prepaid_card:{card.pk}:expiring",
        context=context,
        customer=customer_recipient(card.customer),
        topics=[f"customer:{card.customer_id}", f"prepaid_card:{card.pk}"],
    )
