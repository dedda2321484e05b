"""The prepaid writes: products (a manager's), selling a card, paying an invoice from it.

Issue 18, "Prepaid cards and packages": a balance is a ledger (top-up, use, refund,
expiry), never a mutable number; using it on an invoice is a payment method. Every write
to a card's ledger locks the card first (`ledger.locked`), so its balance cannot be spent
twice. Refunds are in `orders.prepaid.refunds`, expiry in `orders.prepaid.expiry`.
"""

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency
from agency.numbering import next_number
from agency.permissions import Area, require
from orders.billing.services import payment_accept
from orders.models import (
    CardEntry,
    CardEntryKind,
    CardStatus,
    Customer,
    Invoice,
    InvoiceLine,
    LineKind,
    Payment,
    PaymentMethod,
    PrepaidCard,
    PrepaidProduct,
    PricingUnit,
    ProductKind,
)
from orders.prepaid.ledger import balance_of, locked
from orders.pricing import money

#: The expiry reminder goes this long before the card's last day (issue 18).
REMIND_BEFORE = timedelta(days=30)


class CardConflict(StateConflict):
    """Refunded, expired, a refund pending, not the invoice's customer… (the API answers 409)."""


@transaction.atomic
def product_save(*, product: PrepaidProduct, actor: Actor) -> PrepaidProduct:
    """A manager sets up or changes a product (prices are the manager's: DESIGN.md, "Who uses
    it"). Cards sold before keep their own terms."""
    require(actor, Area.PRICES, agency_id=product.agency_id, message=_("Managers set up products."))
    if product.kind == ProductKind.STORED_VALUE:
        product.service_type = product.visits = product.hours_per_visit = None
    else:
        product.credit = None
    product.full_clean()
    created = product.pk is None
    product.save()
    audit_record(
        agency=product.agency,
        actor=actor,
        action="prepaid_product.create" if created else "prepaid_product.update",
        target=product,
        changes={"price": str(product.price), "is_active": product.is_active},
    )
    return product


@transaction.atomic
def card_sell(
    *,
    customer: Customer,
    product: PrepaidProduct,
    actor: Actor,
    method: str,
    reference: str = "",
    submission_key: uuid.UUID | None = None,
) -> PrepaidCard:
    """Sell a product to a customer: the money in (recorded like a payment, never
    processed), the card numbered without gaps, its top-up, valid `validity_days` from today.

    A `submission_key` seen before (a double click) sells nothing and names the card sold.
    """
    seller = require(
        actor, Area.PREPAID, agency_id=customer.agency_id, message=_("The office sells cards.")
    )
    cards = PrepaidCard.objects.filter(agency_id=customer.agency_id)

    def repeat(earlier: PrepaidCard) -> str:
        return _("This card was sold already: %(number)s.") % {"number": earlier.number}

    refuse_repeat(cards, submission_key, repeat)
    if product.agency_id != customer.agency_id or not product.is_active:
        raise ValidationError({"product": _("Choose a product on sale.")})
    if method == PaymentMethod.PREPAID:
        raise ValidationError({"method": _("A card is not bought with another card's balance.")})
    agency: Agency = customer.agency
    now = timezone.now()
    valid_until = agency.today() + timedelta(days=product.validity_days)
    expires_at = _start_of_day_after(valid_until, agency)
    year = agency.local_date(now).year
    card = PrepaidCard(
        agency_id=customer.agency_id,
        number=f"{year}-P{next_number(agency=agency, kind='prepaid_card', year=year):06d}",
        product=product,
        customer=customer,
        kind=product.kind,
        price_paid=product.price,
        credit=product.credit,
        service_type=product.service_type,
        visits=product.visits,
        hours_per_visit=product.hours_per_visit,
        refund_fee_percent=product.refund_fee_percent,
        valid_until=valid_until,
        method=method,
        reference=reference.strip()[:100],
        sold_by=seller,
        sold_at=now,
        expires_at=expires_at,
        remind_at=expires_at - REMIND_BEFORE if expires_at - REMIND_BEFORE > now else None,
        submission_key=submission_key,
    )
    card.full_clean(exclude=["submission_key"])
    save_once(card, cards, repeat)
    CardEntry.objects.create(
        agency_id=card.agency_id,
        card=card,
        kind=CardEntryKind.TOP_UP,
        amount=product.credit or Decimal(0),
        visits=product.visits or 0,
        note=_("Sold for %(price)s (%(method)s)")
        % {"price": product.price, "method": card.get_method_display()},
        created_by=seller,
    )
    card_audit(
        card,
        actor,
        "prepaid_card.sell",
        {"product": product.pk, "price": str(product.price), "method": method},
    )
    return card


@transaction.atomic
def card_pay(
    *,
    card: PrepaidCard,
    invoice: Invoice,
    actor: Actor,
    amount: Decimal | None = None,
    seen_balance: Decimal | None = None,
) -> Payment:
    """Pay an issued invoice from a card: the ledger's use and the payment with its receipt
    (`payment_accept`, method prepaid, the card's number as reference), in one transaction.

    The card must be the invoice's customer's, active and unexpired. An office member needs
    the billing area; a customer (the portal, `Actor.customer`) only their own card.

    A stored-value card pays `amount` (by default all it can: the open amount or the
    balance, the smaller).

    A package pays one visit of one order: the invoice's first service line whose order is of
    the package's service type and not yet paid by a package. It covers the line up to the
    package's hours per visit — a line priced by the hour pays min(hours, hours per visit)
    of its hours, pro rata of its amount; a line priced per visit pays the visit — with the
    invoice's tax on it, at most what is open; hours beyond are paid some other way. Lines priced
    by the day or the area are not visits, and a package does not pay them. `amount` is
    not taken: the visit decides it.

    `seen_balance` is the balance (money, or visits of a package) the customer confirmed:
    when the card holds another (a second click, another payment meanwhile) nothing is paid.
    """
    card = locked(card)
    _require_spender(actor, card)
    # What is open now, not what the caller's copy said (the amount defaults to it).
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk, agency_id=invoice.agency_id)
    if invoice.agency_id != card.agency_id or invoice.customer_id != card.customer_id:
        raise CardConflict(_("This card is not the invoice customer's."))
    _require_usable(card)
    balance = balance_of(card)
    held = Decimal(balance.visits) if card.is_package else balance.amount
    if seen_balance is not None and held != seen_balance:
        raise CardConflict(_("Your card's balance changed; nothing was paid. Check again."))
    order_id = None
    if card.is_package:
        if amount is not None:
            raise ValidationError({"amount": _("A package pays a visit, not an amount.")})
        if balance.visits <= 0:
            raise CardConflict(_("No visit is left on this package."))
        line = _visit_line(card, invoice)
        order_id = line.order_id
        amount = min(_visit_amount(card, line, invoice), invoice.open_amount)
    else:
        # Whole cents are `payment_accept`'s rule, refused there before the ledger moves.
        amount = min(balance.amount, invoice.open_amount) if amount is None else Decimal(amount)
        if amount > balance.amount:
            raise ValidationError(
                {"amount": _("The card holds %(balance)s.") % {"balance": balance.amount}}
            )
    if amount <= 0:
        raise ValidationError({"amount": _("Nothing to pay from this card.")})
    payment = payment_accept(
        invoice=invoice,
        actor=actor,
        amount=amount,
        method=PaymentMethod.PREPAID,
        reference=card.number,
    )
    CardEntry.objects.create(
        agency_id=card.agency_id,
        card=card,
        kind=CardEntryKind.USE,
        amount=0 if card.is_package else -amount,
        visits=-1 if card.is_package else 0,
        invoice=invoice,
        payment=payment,
        order_id=order_id,
        note=_("Invoice %(number)s, receipt %(receipt)s")
        % {"number": invoice.number, "receipt": payment.receipt_number},
        created_by=actor.user,
    )
    card_audit(
        card,
        actor,
        "prepaid_card.use",
        {"invoice": invoice.number, "amount": str(amount), "receipt": payment.receipt_number},
    )
    return payment


def _require_spender(actor: Actor, card: PrepaidCard) -> None:
    """The customer spends their own card; in the office, whoever handles billing."""
    if actor.is_customer:
        if actor.customer_id != card.customer_id:
            raise PermissionDenied(_("Only the card's holder spends it."))
        return
    require(
        actor,
        Area.BILLING,
        agency_id=card.agency_id,
        message=_("Finance applies a balance to an invoice."),
    )


def _require_usable(card: PrepaidCard) -> None:
    if card.status != CardStatus.ACTIVE:
        raise CardConflict(
            _("This card is %(status)s: it pays nothing.") % {"status": card.get_status_display()}
        )
    if card.agency.today() > card.valid_until:
        raise CardConflict(_("This card expired on %(date)s.") % {"date": card.valid_until})


def _visit_line(card: PrepaidCard, invoice: Invoice) -> InvoiceLine:
    """The package's line on the invoice (see `card_pay`), or a refusal saying why not."""
    lines = (
        InvoiceLine.objects.filter(
            invoice=invoice,
            kind=LineKind.SERVICE,
            order__service_type_id=card.service_type_id,
            unit__in=[PricingUnit.HOUR, PricingUnit.VISIT],
        )
        .exclude(
            order__in=CardEntry.objects.filter(
                agency_id=card.agency_id, kind=CardEntryKind.USE, order__isnull=False
            ).values("order")
        )
        .order_by("id")
    )
    line = lines.first()
    if line is None:
        raise CardConflict(
            _("This invoice has no visit of %(service)s that a package can pay.")
            % {"service": card.service_type}
        )
    return line


def _visit_amount(card: PrepaidCard, line: InvoiceLine, invoice: Invoice) -> Decimal:
    net = line.amount
    hours = card.hours_per_visit or Decimal(0)
    if line.unit == PricingUnit.HOUR and line.quantity > hours:
        # The line's own amount, pro rata: it is what the customer agreed to per hour.
        net = line.amount * hours / line.quantity
    return money(net * (100 + invoice.tax_rate_percent) / 100)


def _start_of_day_after(day: date, agency: Agency) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=agency.zone)


def card_audit(card: PrepaidCard, actor: Actor, action: str, changes: dict[str, object]) -> None:
    audit_record(agency=card.agency, actor=actor, action=action, target=card, changes=changes)
