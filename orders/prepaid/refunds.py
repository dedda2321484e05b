"""Paying back a card's unused balance: the office asks, a manager approves, finance pays.

The agency's rule (issue 18; decided here, printed with the product):
- a stored-value card pays back what the customer paid less what they used
  (`price_paid − used`, never below zero): the bonus is a gift for spending, forfeited
  when the card is cashed in;
- a package pays back its price less the visits used at the package's own price per visit
  (`price_paid − used visits × price_paid / visits`);
- from either, the product's refund fee (a percent, 0 by default) is kept.
The amounts are fixed when asked (the card is frozen meanwhile: it pays nothing); the
ledger's refund entry empties the card when finance pays back, and the card ends.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor
from agency.idempotency import refuse_repeat, save_once
from agency.permissions import Area, require
from orders.models import (
    CardEntry,
    CardEntryKind,
    CardRefund,
    CardRefundStatus,
    CardStatus,
    PaymentMethod,
    PrepaidCard,
)
from orders.prepaid.ledger import balance_of, locked, used
from orders.prepaid.services import CardConflict, card_audit
from orders.pricing import money


@dataclass(frozen=True)
class RefundTerms:
    refundable: Decimal
    fee: Decimal

    @property
    def amount(self) -> Decimal:
        return self.refundable - self.fee


def refund_terms(card: PrepaidCard) -> RefundTerms:
    """What the card's unused balance is worth paid back, by the rule above."""
    spent = used(card)
    if card.is_package:
        worth = card.price_paid - money(spent.visits * card.visit_price)
    else:
        worth = card.price_paid - spent.amount
    refundable = max(money(worth), Decimal(0))
    return RefundTerms(refundable=refundable, fee=money(refundable * card.refund_fee_percent / 100))


@transaction.atomic
def card_refund_request(
    *, card: PrepaidCard, actor: Actor, reason: str, submission_key: uuid.UUID | None = None
) -> CardRefund:
    """The office asks to pay back the card's unused balance; the card pays nothing while
    a manager decides. A `submission_key` seen before asks nothing again."""
    card = locked(card)
    requester = require(
        actor, Area.PREPAID, agency_id=card.agency_id, message=_("The office asks for refunds.")
    )
    refunds = CardRefund.objects.filter(agency_id=card.agency_id)

    def repeat(earlier: CardRefund) -> str:
        return _("This refund was asked for already.")

    refuse_repeat(refunds, submission_key, repeat)
    if card.status != CardStatus.ACTIVE:
        raise CardConflict(
            _("This card is %(status)s: nothing to refund.") % {"status": card.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why money is paid back.")})
    terms = refund_terms(card)
    if terms.refundable <= 0:
        raise CardConflict(_("Nothing paid for is left unused on this card."))
    refund = CardRefund(
        agency_id=card.agency_id,
        card=card,
        refundable=terms.refundable,
        fee=terms.fee,
        amount=terms.amount,
        reason=reason.strip()[:300],
        requested_by=requester,
        submission_key=submission_key,
    )
    save_once(refund, refunds, repeat)
    PrepaidCard.objects.filter(pk=card.pk).update(status=CardStatus.REFUNDING)
    card_audit(card, actor, "prepaid_card.refund_request", {"amount": str(refund.amount)})
    return refund


@transaction.atomic
def card_refund_decide(*, refund: CardRefund, actor: Actor, approve: bool) -> CardRefund:
    """A manager approves (or rejects) paying back a card (DESIGN.md: refunds are the
    manager's). Rejected, the card is active again (and expires if its day has passed)."""
    refund = _locked_refund(refund)
    require(
        actor,
        Area.BILLING_DECISIONS,
        agency_id=refund.agency_id,
        message=_("Only a manager approves a refund."),
    )
    if refund.status != CardRefundStatus.REQUESTED:
        raise CardConflict(_("This refund is decided already."))
    refund.status = CardRefundStatus.APPROVED if approve else CardRefundStatus.REJECTED
    refund.decided_by = actor.user
    refund.decided_at = timezone.now()
    refund.save(update_fields=["status", "decided_by", "decided_at"])
    if not approve:
        PrepaidCard.objects.filter(pk=refund.card_id).update(status=CardStatus.ACTIVE)
    card_audit(refund.card, actor, f"prepaid_card.refund_{refund.status}", {"refund": refund.pk})
    return refund


@transaction.atomic
def card_refund_pay_back(
    *, refund: CardRefund, actor: Actor, method: str, reference: str = ""
) -> CardRefund:
    """Finance records the money paid back; the ledger's refund entry empties the card and
    the card ends (refunded)."""
    refund = _locked_refund(refund)
    card = locked(refund.card)
    payer = require(
        actor, Area.BILLING, agency_id=refund.agency_id, message=_("Finance pays money back.")
    )
    if refund.status != CardRefundStatus.APPROVED:
        raise CardConflict(_("A refund is paid back only once a manager approved it."))
    if method == PaymentMethod.PREPAID:
        raise ValidationError({"method": _("Pay it back in money.")})
    refund.status = CardRefundStatus.PAID_BACK
    refund.method = method
    refund.reference = reference.strip()[:100]
    refund.paid_back_by = payer
    refund.paid_back_at = timezone.now()
    refund.full_clean(exclude=["submission_key"])
    refund.save()
    left = balance_of(card)
    CardEntry.objects.create(
        agency_id=card.agency_id,
        card=card,
        kind=CardEntryKind.REFUND,
        amount=-left.amount,
        visits=-left.visits,
        note=_("%(amount)s paid back (fee %(fee)s)") % {"amount": refund.amount, "fee": refund.fee},
        created_by=payer,
    )
    PrepaidCard.objects.filter(pk=card.pk).update(status=CardStatus.REFUNDED, remind_at=None)
    card_audit(card, actor, "prepaid_card.refund_paid_back", {"amount": str(refund.amount)})
    return refund


def _locked_refund(refund: CardRefund) -> CardRefund:
    return (
        CardRefund.objects.select_for_update(of=("self",))
        .select_related("card__agency")
        .get(pk=refund.pk, agency_id=refund.agency_id)
    )
