"""The finance office's writes: issue, adjust, payments with receipts, credit notes and
refunds (the drafts come from `orders.billing.invoicing`).

DESIGN.md, "Billing": lines come from the confirmed quote and the changes the
customer approved — never typed freely; a manual adjustment needs a manager
and a reason and shows as such. Numbers (invoices, credit notes, receipts) are
given from a counter row locked in the issuing transaction, so they are
sequential per agency and year without gaps. Money is Decimal, rounded half
up to the cent once (orders.pricing.money).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.idempotency import refuse_repeat
from agency.models import Agency, Branch, User
from agency.numbering import next_number
from agency.permissions import Area, require
from agency.queueing import enqueue_on_commit
from messaging.rules import Event
from orders import announcements
from orders.billing.selectors import link_order
from orders.lifecycle import order_transition
from orders.models import (
    CUSTOMER_METHODS,
    ONLINE_METHODS,
    Cancellation,
    Customer,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Order,
    OrderStatus,
    Payment,
    PaymentMethod,
    Refund,
    RefundStatus,
)
from orders.pricing import money


class BillingConflict(StateConflict):
    """Issued already, not issued yet, paid, not approved… (the API answers 409)."""


@transaction.atomic
def invoice_adjust(*, invoice: Invoice, actor: Actor, amount: Decimal, reason: str) -> Invoice:
    """A manager's manual adjustment of a draft, with the reason, shown on the invoice."""
    invoice = _locked(invoice)
    _require_manager(actor, invoice.agency_id, _("Only a manager adjusts an invoice."))
    if invoice.status != InvoiceStatus.DRAFT:
        raise BillingConflict(_("An issued invoice is never edited; issue a credit note."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the invoice is adjusted.")})
    amount = money(Decimal(amount))
    if amount == 0:
        raise ValidationError({"amount": _("An adjustment is not zero.")})
    if invoice.subtotal + amount < 0:
        raise ValidationError({"amount": _("The invoice would be below zero.")})
    # The customer reads it: their language, not the manager's.
    with translation.override(invoice.language):
        description = _("Adjustment: %(reason)s") % {"reason": reason.strip()[:250]}
    InvoiceLine.objects.create(
        agency_id=invoice.agency_id,
        invoice=invoice,
        kind=LineKind.ADJUSTMENT,
        description=description,
        quantity=Decimal(1),
        unit_price=amount,
        amount=amount,
        reason=reason.strip()[:300],
        approved_by=actor.user,
    )
    invoice_total(invoice)
    invoice_audit(
        invoice, actor, "invoice.adjust", {"amount": str(amount), "reason": reason.strip()}
    )
    return invoice


@transaction.atomic
def invoice_issue(*, invoice: Invoice, actor: Actor) -> Invoice:
    """Issue a draft: its number (gapless), its date and due date; its orders are invoiced."""
    invoice = _locked(invoice)
    _require_finance(actor, invoice)
    if invoice.status != InvoiceStatus.DRAFT:
        raise BillingConflict(_("This invoice is issued already."))
    if not invoice.lines.exists():
        raise ValidationError({"lines": _("An invoice without lines is not issued.")})
    agency = invoice.agency
    now = timezone.now()
    invoice.number = _number(agency, "invoice", now)
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = now
    invoice.issued_by = actor.user
    invoice.due_on = agency.local_date(now) + timedelta(days=agency.payment_terms_days)
    invoice.save(update_fields=["number", "status", "issued_at", "issued_by", "due_on"])
    for order in _orders_of(invoice, status=OrderStatus.ACCEPTED):
        order_transition(
            order=order,
            to=OrderStatus.INVOICED,
            actor=actor,
            reason=_("Invoice %(number)s issued.") % {"number": invoice.number},
        )
    if invoice.open_amount == 0:
        # Adjusted to nothing (a goodwill visit): no payment or credit note could ever settle
        # it, so it is settled now, and its orders are paid, instead of staying open for ever.
        invoice.status = InvoiceStatus.PAID
        invoice.save(update_fields=["status"])
        _orders_paid(invoice, actor=actor)
    announcements.invoice_issued(invoice)
    invoice_audit(
        invoice, actor, "invoice.issue", {"number": invoice.number, "total": str(invoice.total)}
    )
    return invoice


@transaction.atomic
def payment_record(
    *,
    invoice: Invoice,
    actor: Actor,
    amount: Decimal,
    method: str,
    received_at: datetime | None = None,
    reference: str = "",
    submission_key: uuid.UUID | None = None,
) -> Payment:
    """A payment against an issued invoice (recorded, not processed) and its receipt (收据).

    Never more than is still open; the invoice, and its orders, are paid once settled.
    A `submission_key` seen before (a double click) records nothing and names the
    receipt already made; the invoice lock makes a racing twin wait and see it.
    """
    invoice = _locked(invoice)
    _require_finance(actor, invoice)
    refuse_repeat(
        Payment.objects.filter(agency_id=invoice.agency_id),
        submission_key,
        lambda earlier: (
            _("This payment was recorded already: receipt %(receipt)s.")
            % {"receipt": earlier.receipt_number}
        ),
    )
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Choose how the money was paid.")})
    if method == PaymentMethod.PREPAID:
        raise ValidationError({"method": _("A prepaid balance is used through its card.")})
    return _settle(
        invoice,
        actor=actor,
        amount=amount,
        method=method,
        received_at=received_at,
        reference=reference,
        submission_key=submission_key,
    )


@transaction.atomic
def payment_accept(
    *,
    invoice: Invoice,
    actor: Actor,
    amount: Decimal,
    method: str,
    reference: str,
    received_at: datetime | None = None,
) -> Payment:
    """A payment the customer made themselves (online, or from a prepaid balance), with its
    receipt: recorded from the provider's word or the balance's ledger, never typed.

    The caller has verified the money (the provider's signed notification, the balance's
    ledger) and who may spend it; the same rules as an office payment hold: an issued
    invoice, at most what is open, whole cents. `actor` is the customer, the system (a
    provider's notification) or the member who applied a balance at the customer's word.
    """
    if method not in CUSTOMER_METHODS:
        raise ValidationError({"method": _("Not a method a customer pays by themselves.")})
    return _settle(
        _locked(invoice),
        actor=actor,
        amount=amount,
        method=method,
        received_at=received_at,
        reference=reference,
        submission_key=None,
    )


def _settle(
    invoice: Invoice,
    *,
    actor: Actor,
    amount: Decimal,
    method: str,
    received_at: datetime | None,
    reference: str,
    submission_key: uuid.UUID | None,
) -> Payment:
    """Record a payment on the locked `invoice`, issue its receipt, settle the invoice."""
    if invoice.kind != InvoiceKind.INVOICE or invoice.status == InvoiceStatus.DRAFT:
        raise BillingConflict(_("Payments are recorded against an issued invoice."))
    if invoice.status == InvoiceStatus.PAID:
        raise BillingConflict(_("This invoice is paid already."))
    amount = Decimal(amount)
    errors = {}
    if amount <= 0:
        errors["amount"] = _("A payment is more than zero.")
    elif money(amount) != amount:
        errors["amount"] = _("Amounts are in whole cents.")
    elif amount > invoice.open_amount:
        errors["amount"] = _("At most %(open)s %(currency)s is still open.") % {
            "open": invoice.open_amount,
            "currency": invoice.currency,
        }
    now = timezone.now()
    if received_at is not None and received_at > now:
        errors["received_at"] = _("A payment cannot be received in the future.")
    if errors:
        raise ValidationError(errors)
    # The receipt's number is taken last: its counter stays locked until the transaction
    # ends, and every payment of the agency waits for it.
    # Read once for the orders to settle and the order the receipt's link names.
    lines = list(invoice.lines.select_related("order"))
    invoice.paid += amount
    fields = ["paid"]
    if invoice.open_amount == 0:
        invoice.status = InvoiceStatus.PAID
        fields.append("status")
        _orders_paid(invoice, actor=actor, lines=lines)
    invoice.save(update_fields=fields)
    payment = Payment(
        agency_id=invoice.agency_id,
        invoice=invoice,
        amount=amount,
        method=method,
        received_at=received_at or now,
        reference=reference.strip()[:100],
        taken_by=actor.user,
        receipt_number=_number(invoice.agency, "receipt", now),
        submission_key=submission_key,
    )
    # Every field is the service's own or checked above: no validation queries per payment.
    payment.save()
    announcements.payment_received(payment, order=link_order(lines))
    invoice_audit(
        invoice,
        actor,
        "payment.record",
        {"amount": str(amount), "method": method, "receipt": payment.receipt_number},
    )
    return payment


@transaction.atomic
def credit_note_issue(
    *,
    invoice: Invoice,
    actor: Actor,
    reason: str,
    amount: Decimal | None = None,
    submission_key: uuid.UUID | None = None,
) -> Invoice:
    """Correct an issued invoice by a credit note (红字发票): all of it, or an amount.

    A `submission_key` seen before issues nothing and names the credit note already made.
    """
    invoice = _locked(invoice)
    _require_finance(actor, invoice)
    refuse_repeat(
        Invoice.objects.filter(agency_id=invoice.agency_id, kind=InvoiceKind.CREDIT_NOTE),
        submission_key,
        lambda earlier: (
            _("This credit note was issued already: %(number)s.") % {"number": earlier.number}
        ),
    )
    if invoice.kind != InvoiceKind.INVOICE or invoice.status == InvoiceStatus.DRAFT:
        raise BillingConflict(_("A credit note corrects an issued invoice."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the invoice is corrected.")})
    creditable = invoice.total - invoice.credited
    amount = creditable if amount is None else money(Decimal(amount))
    if amount <= 0 or amount > creditable:
        raise ValidationError(
            {
                "amount": _("A credit note is for more than zero and at most %(left)s.")
                % {"left": creditable}
            }
        )
    note = _credit(
        invoice, actor=actor, amount=amount, reason=reason, submission_key=submission_key
    )
    invoice_audit(
        invoice, actor, "invoice.credit", {"credit_note": note.number, "amount": str(amount)}
    )
    return note


@transaction.atomic
def refund_request(
    *,
    invoice: Invoice,
    actor: Actor,
    amount: Decimal,
    reason: str,
    cancellation: Cancellation | None = None,
    submission_key: uuid.UUID | None = None,
) -> Refund:
    """Finance asks to pay money back; a manager approves before it is paid back.

    A `submission_key` seen before asks nothing again and names the refund already asked for.
    """
    invoice = _locked(invoice)
    requester = _require_finance(actor, invoice)
    refuse_repeat(
        Refund.objects.filter(agency_id=invoice.agency_id),
        submission_key,
        lambda earlier: (
            _("This refund of %(amount)s was asked for already.") % {"amount": earlier.amount}
        ),
    )
    amount = Decimal(amount)
    refundable = invoice.paid - _refunds_pending(invoice)
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why money is paid back.")
    if amount <= 0 or money(amount) != amount:
        errors["amount"] = _("A refund is more than zero, in whole cents.")
    elif amount > refundable:
        errors["amount"] = _("At most %(left)s was paid and not refunded.") % {"left": refundable}
    if cancellation is not None and cancellation.agency_id != invoice.agency_id:
        errors["cancellation"] = _("Choose one of this agency.")
    if errors:
        raise ValidationError(errors)
    refund = Refund.objects.create(
        agency_id=invoice.agency_id,
        invoice=invoice,
        cancellation=cancellation,
        amount=amount,
        reason=reason.strip()[:300],
        requested_by=requester,
        submission_key=submission_key,
    )
    invoice_audit(invoice, actor, "refund.request", {"refund": refund.pk, "amount": str(amount)})
    return refund


@transaction.atomic
def refund_decide(*, refund: Refund, actor: Actor, approve: bool) -> Refund:
    """A manager approves (or rejects) a refund before finance pays it back."""
    refund = Refund.objects.select_for_update().get(pk=refund.pk, agency_id=refund.agency_id)
    _require_manager(actor, refund.agency_id, _("Only a manager approves a refund."))
    if refund.status != RefundStatus.REQUESTED:
        raise BillingConflict(_("This refund is decided already."))
    refund.status = RefundStatus.APPROVED if approve else RefundStatus.REJECTED
    refund.decided_by = actor.user
    refund.decided_at = timezone.now()
    refund.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        announcements.refund_told(refund, event=Event.REFUND_APPROVED)
        if refund.invoice.payments.filter(method__in=ONLINE_METHODS).exists():
            # Paid online, it goes back the same way: the payments wing sends it to the
            # provider after commit (orders.payments.refunds); finance pays back the rest.
            enqueue_on_commit("orders.tasks.send_online_refund", args=[refund.pk])
    invoice_audit(refund.invoice, actor, f"refund.{refund.status}", {"refund": refund.pk})
    return refund


@transaction.atomic
def refund_pay_back(*, refund: Refund, actor: Actor, method: str, reference: str = "") -> Refund:
    """Finance records the money paid back, once a manager approved it; or the system does,
    on the word of the provider that took the payment online and refunded it (orders.payments).
    """
    refund = Refund.objects.select_for_update().get(pk=refund.pk, agency_id=refund.agency_id)
    invoice = _locked(refund.invoice)
    if not (actor.user is None and actor.customer_id is None and method in ONLINE_METHODS):
        _require_finance(actor, invoice)
    if refund.status != RefundStatus.APPROVED:
        raise BillingConflict(_("A refund is paid back only once a manager approved it."))
    refund.status = RefundStatus.PAID_BACK
    refund.method = method
    refund.reference = reference.strip()[:100]
    refund.paid_back_by = actor.user
    refund.paid_back_at = timezone.now()
    refund.full_clean()
    refund.save()
    # Money paid back beyond an overpayment is money the customer no longer owes: a credit
    # note says so, or the invoice would show the refund as a new debt.
    overpaid = max(invoice.paid + invoice.credited - invoice.total, Decimal(0))
    not_owed = refund.amount - min(refund.amount, overpaid)
    if not_owed > 0:
        _credit(
            invoice,
            actor=actor,
            amount=not_owed,
            reason=_("Refund: %(reason)s") % {"reason": refund.reason},
        )
    invoice.paid -= refund.amount
    invoice.save(update_fields=["paid"])
    announcements.refund_told(refund, event=Event.REFUND_PAID)
    invoice_audit(
        invoice, actor, "refund.paid_back", {"refund": refund.pk, "amount": str(refund.amount)}
    )
    return refund


def _credit(
    invoice: Invoice,
    *,
    actor: Actor,
    amount: Decimal,
    reason: str,
    submission_key: uuid.UUID | None = None,
) -> Invoice:
    """A credit note for `amount` (tax included) on a locked, issued invoice, numbered now.

    The credited amount is split into net and tax at the invoice's rate, so the
    credit note reads like the invoice it corrects.
    """
    now = timezone.now()
    net = money(amount * 100 / (100 + invoice.tax_rate_percent))
    note = Invoice.objects.create(
        agency_id=invoice.agency_id,
        kind=InvoiceKind.CREDIT_NOTE,
        credits=invoice,
        customer=invoice.customer,
        branch=invoice.branch,
        currency=invoice.currency,
        tax_rate_percent=invoice.tax_rate_percent,
        language=invoice.language,
        note=reason.strip()[:500],
        number=_number(invoice.agency, "credit_note", now),
        status=InvoiceStatus.ISSUED,
        issued_at=now,
        issued_by=actor.user,
        subtotal=-net,
        tax=-(amount - net),
        total=-amount,
        submission_key=submission_key,
    )
    with translation.override(invoice.language):
        description = _("Credit on invoice %(number)s: %(reason)s") % {
            "number": invoice.number,
            "reason": reason.strip()[:200],
        }
    InvoiceLine.objects.create(
        agency_id=invoice.agency_id,
        invoice=note,
        kind=LineKind.CREDIT,
        description=description,
        quantity=Decimal(1),
        unit_price=-net,
        amount=-net,
        reason=reason.strip()[:300],
    )
    invoice.credited += amount
    fields = ["credited"]
    if invoice.status == InvoiceStatus.ISSUED and invoice.open_amount <= 0:
        invoice.status = InvoiceStatus.PAID
        fields.append("status")
        # Settled by payments and this credit: its orders are paid, as when a payment settles it.
        _orders_paid(invoice, actor=actor)
    invoice.save(update_fields=fields)
    return note


def invoice_total(invoice: Invoice) -> None:
    """Subtotal from the lines, tax at the invoice's rate (rounded once), total."""
    subtotal = invoice.lines.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    invoice.subtotal = subtotal
    invoice.tax = money(subtotal * invoice.tax_rate_percent / 100)
    invoice.total = invoice.subtotal + invoice.tax
    invoice.save(update_fields=["subtotal", "tax", "total"])


def _number(agency: Agency, kind: str, now: datetime) -> str:
    year = agency.local_date(now).year
    prefix = {"invoice": "", "credit_note": "C", "receipt": "R"}[kind]
    return f"{year}-{prefix}{next_number(agency=agency, kind=kind, year=year):06d}"


def _orders_of(
    invoice: Invoice, *, status: str, lines: list[InvoiceLine] | None = None
) -> list[Order]:
    """The invoice's orders in this status, locked. Its `lines`, read with their orders,
    spare the lock's statement when none of them is in that status."""
    locked = Order.objects.select_for_update().filter(status=status)
    if lines is None:
        ids = invoice.lines.filter(kind=LineKind.SERVICE).values_list("order_id", flat=True)
        return list(locked.filter(pk__in=ids))
    known = [
        line.order.pk
        for line in lines
        if line.kind == LineKind.SERVICE and line.order is not None
        if line.order.status == status
    ]
    return list(locked.filter(pk__in=known)) if known else []


def _orders_paid(invoice: Invoice, *, actor: Actor, lines: list[InvoiceLine] | None = None) -> None:
    """The settled invoice's orders become paid (DESIGN.md: paid when the invoice is settled)."""
    for order in _orders_of(invoice, status=OrderStatus.INVOICED, lines=lines):
        order_transition(
            order=order,
            to=OrderStatus.PAID,
            actor=actor,
            reason=_("Invoice %(number)s settled.") % {"number": invoice.number},
        )


def _refunds_pending(invoice: Invoice) -> Decimal:
    """Refunds asked for or approved but not paid back yet (paid-back ones left `paid`)."""
    return invoice.refunds.filter(
        status__in=[RefundStatus.REQUESTED, RefundStatus.APPROVED]
    ).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _locked(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("agency", "customer")
        .get(pk=invoice.pk, agency_id=invoice.agency_id)
    )


def _require_finance(actor: Actor, invoice: Invoice) -> User:
    """The acting member, if finance (or a manager) in the invoice's agency."""
    return require(
        actor,
        Area.BILLING,
        agency_id=invoice.agency_id,
        message=_("Finance handles invoices and payments."),
    )


def _require_manager(actor: Actor, agency_id: int, message: str) -> User:
    """The acting member, if a manager of the agency: an adjustment or a refund is a manager's
    decision, which finance then carries out (DESIGN.md, "Who uses it")."""
    return require(actor, Area.BILLING_DECISIONS, agency_id=agency_id, message=message)


def invoice_audit(invoice: Invoice, actor: Actor, action: str, changes: dict[str, object]) -> None:
    audit_record(agency=invoice.agency, actor=actor, action=action, target=invoice, changes=changes)


@dataclass(frozen=True)
class ScheduledLine:
    """A line a contract fixed beforehand (a placement's deposit, month, wage): its price
    is the contract's, never typed at billing time."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    unit: str = ""


@transaction.atomic
def invoice_scheduled(
    *, customer: Customer, branch: Branch, lines: Sequence[ScheduledLine], note: str = ""
) -> Invoice:
    """Issue, as the system, an invoice whose lines a signed contract scheduled (issue 20:
    placement billing). Numbered from the same gapless counter as every invoice; finance
    settles, credits and refunds it as any other."""
    if not lines:
        raise ValidationError({"lines": _("An invoice without lines is not issued.")})
    agency = customer.agency
    now = timezone.now()
    invoice = Invoice.objects.create(
        agency=agency,
        customer=customer,
        branch=branch,
        currency=agency.currency,
        tax_rate_percent=agency.tax_rate_percent,
        language=customer.preferred_language or agency.default_language,
        note=note[:500],
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            agency=agency,
            invoice=invoice,
            kind=LineKind.SERVICE,
            description=line.description[:300],
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for line in lines
    )
    invoice_total(invoice)
    invoice.number = _number(agency, "invoice", now)
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = now
    invoice.due_on = agency.local_date(now) + timedelta(days=agency.payment_terms_days)
    invoice.save(update_fields=["number", "status", "issued_at", "due_on"])
    announcements.invoice_issued(invoice)
    invoice_audit(
        invoice,
        Actor.system(),
        "invoice.issue",
        {"number": invoice.number, "total": str(invoice.total)},
    )
    return invoice
