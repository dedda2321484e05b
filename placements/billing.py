"""Placement billing (issue 20): the schedule of charges a placement's terms make, the sweep
that invoices what is due, and the settlement when a placement ends or is terminated.

Every invoice, credit note and refund goes through `orders.billing.services` (gapless
numbers, credit notes on issued invoices, refunds a manager approves); a charge row
names the invoice it went onto, once (a unique row per placement, kind and period).
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.permissions import Area, require
from orders.billing.services import (
    ScheduledLine,
    credit_note_issue,
    invoice_scheduled,
    refund_request,
)
from orders.models import Invoice, Refund, RefundStatus
from orders.pricing import money
from orders.schedule.services import order_window_set
from placements.lifecycle import placement_lock, placement_transition
from placements.models import (
    ChargeKind,
    ChargeState,
    Placement,
    PlacementCharge,
    PlacementStatus,
    PricePeriod,
    Settlement,
    SettlementKind,
    TrialDecision,
    WagePayer,
)
from placements.models.placements import RUNNING
from placements.terms import service_window

#: Charges for days, credited pro rata for the days not served.
PERIODIC = (ChargeKind.SERVICE, ChargeKind.WAGE)
REASON_MAX_LENGTH = 300


class ChargesClaimed(StateConflict):
    """Another run invoiced these charges first (the placement's lock makes it rare)."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    #: The days of a whole month from `start`: a part month is charged pro rata against it.
    full_days: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_months(starts_on: date, ends_on: date) -> list[Period]:
    """The term in months from the first day; the last one cut at the last day."""
    periods = []
    month = 0
    while (start := add_months(starts_on, month)) <= ends_on:
        next_start = add_months(starts_on, month + 1)
        end = min(next_start - timedelta(days=1), ends_on)
        periods.append(Period(start, end, (next_start - start).days))
        month += 1
    return periods


def pro_rata(amount: Decimal, days: int, full_days: int) -> Decimal:
    return amount if days >= full_days else money(amount * days / full_days)


def placement_schedule(placement: Placement) -> list[PlacementCharge]:
    """The charges the terms make (not saved): the deposit and the service fee on the first
    day; the price each month (pro rata for a part month, by days) or once for the term;
    the wage each month when the agency pays it."""
    start, end = placement.starts_on, placement.ends_on
    months = contract_months(start, end)
    rows: list[tuple[str, date, date, Decimal | None]] = [
        (ChargeKind.DEPOSIT, start, end, placement.deposit),
        (ChargeKind.FEE, start, end, placement.service_fee),
    ]
    if placement.price is not None and placement.price_period == PricePeriod.TERM:
        rows.append((ChargeKind.SERVICE, start, end, placement.price))
    elif placement.price is not None:
        rows += [
            (ChargeKind.SERVICE, m.start, m.end, pro_rata(placement.price, m.days, m.full_days))
            for m in months
        ]
    if placement.wage is not None and placement.wage_paid_by == WagePayer.AGENCY:
        rows += [
            (ChargeKind.WAGE, m.start, m.end, pro_rata(placement.wage, m.days, m.full_days))
            for m in months
        ]
    return [
        PlacementCharge(
            agency_id=placement.agency_id,
            placement=placement,
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            due_on=period_start,
            amount=amount,
        )
        for kind, period_start, period_end, amount in rows
        if amount
    ]


def placement_schedule_save(placement: Placement) -> None:
    """Save the schedule's rows once (a row already there is kept as it is)."""
    PlacementCharge.objects.bulk_create(placement_schedule(placement), ignore_conflicts=True)


@transaction.atomic
def placement_schedule_rebuild(placement: Placement, *, actor: Actor) -> None:
    """A signed amendment's new terms for every charge not invoiced yet. What was invoiced
    stands: a period partly invoiced is charged for its remaining days, the deposit and
    the fee once; invoiced days past a new, earlier last day are credited (once: the
    charge is cut at the last day)."""
    placement = placement_lock(placement)
    charges = PlacementCharge.objects.filter(placement=placement)
    charges.filter(state=ChargeState.PLANNED).exclude(kind=ChargeKind.REPLACEMENT).delete()
    invoiced = charges.filter(state=ChargeState.INVOICED)
    covered = dict(
        invoiced.values("kind").annotate(until=Max("period_end")).values_list("kind", "until")
    )
    rows = []
    for charge in placement_schedule(placement):
        until = covered.get(charge.kind)
        if until is not None and (charge.kind not in PERIODIC or charge.period_end <= until):
            continue
        if until is not None and charge.period_start <= until:
            _start_after(charge, until)
        rows.append(charge)
    PlacementCharge.objects.bulk_create(rows, ignore_conflicts=True)
    _credit_unserved(placement, actor=actor, last_day=placement.ends_on)
    for charge in invoiced.filter(kind__in=PERIODIC, period_end__gt=placement.ends_on):
        _cut_at(charge, placement.ends_on)


def _start_after(charge: PlacementCharge, until: date) -> None:
    """A new charge over a period invoiced until `until`: only the days after, pro rata."""
    days = (charge.period_end - charge.period_start).days + 1
    remaining = (charge.period_end - until).days
    charge.amount = money(charge.amount * remaining / days)
    charge.period_start = charge.due_on = until + timedelta(days=1)


def replacement_fee_charge_add(decision: TrialDecision) -> None:
    """The fee of a replacement beyond the free ones, due on the day the customer asked,
    for the sweep to invoice; once per answer (the charge's period starts on that day)."""
    if not decision.fee:
        return
    placement = decision.placement
    day = timezone.localdate(decision.answered_at, timezone=placement.agency.zone)
    placement_schedule_save(placement)  # an unscheduled placement is scheduled by charges
    PlacementCharge.objects.bulk_create(
        [
            PlacementCharge(
                agency_id=placement.agency_id,
                placement=placement,
                kind=ChargeKind.REPLACEMENT,
                period_start=day,
                period_end=day,
                due_on=day,
                amount=decision.fee,
            )
        ],
        ignore_conflicts=True,
    )


def placement_charges_bill_due(*, limit: int = 200) -> int:
    """The sweep: invoice the charges due on running placements; how many invoices.

    A running placement gets its schedule the first time; a charge is due on its day in
    the agency's zone, a deposit as soon as the placement is signed. Each placement's
    due charges are claimed under its lock by a conditional update, so a second run, or
    two at once, bill nothing twice.
    """
    unscheduled = Placement.objects.filter(status__in=RUNNING).filter(
        ~Exists(PlacementCharge.objects.filter(placement=OuterRef("pk")))
    )
    for placement in unscheduled[:limit]:
        placement_schedule_save(placement)
    # The latest "today" anywhere; each row is checked against its agency's own day below.
    horizon = timezone.now().date() + timedelta(days=1)
    due = (
        PlacementCharge.objects.filter(state=ChargeState.PLANNED, placement__status__in=RUNNING)
        .filter(Q(due_on__lte=horizon) | Q(kind=ChargeKind.DEPOSIT))
        .select_related("placement__agency")
        .order_by("placement_id", "due_on", "id")[:limit]
    )
    by_placement: dict[int, list[PlacementCharge]] = defaultdict(list)
    for charge in due:
        today = charge.placement.agency.today()
        if charge.kind == ChargeKind.DEPOSIT or charge.due_on <= today:
            by_placement[charge.placement_id].append(charge)
    issued = 0
    for charges in by_placement.values():
        issued += len(_bill(charges[0].placement, [c.pk for c in charges]))
    return issued


@transaction.atomic
def placement_bill_deposit(placement: Placement) -> Invoice | None:
    """Invoice the deposit when the placement is signed (or starts); None when there is
    none to bill, or it was billed already."""
    placement = placement_lock(placement)
    if placement.status not in RUNNING:
        return None
    placement_schedule_save(placement)
    deposit = PlacementCharge.objects.filter(
        placement=placement, kind=ChargeKind.DEPOSIT, state=ChargeState.PLANNED
    ).values_list("pk", flat=True)
    invoices = _bill(placement, list(deposit))
    return invoices[0] if invoices else None


@transaction.atomic
def _bill(placement: Placement, charge_ids: list[int]) -> list[Invoice]:
    """Invoice these planned charges of the placement: the deposit on its own invoice (it
    is paid back at the end), the rest together."""
    placement = placement_lock(placement)
    charges = list(
        PlacementCharge.objects.filter(pk__in=charge_ids, state=ChargeState.PLANNED).order_by(
            "due_on", "kind", "id"
        )
    )
    groups = [
        [c for c in charges if c.kind == ChargeKind.DEPOSIT],
        [c for c in charges if c.kind != ChargeKind.DEPOSIT],
    ]
    invoices = []
    for group in groups:
        if not group:
            continue
        order = placement.order
        # The customer reads the lines: their language, not the sweep's.
        language = order.customer.preferred_language or placement.agency.default_language
        with translation.override(language):
            lines = [_line(placement, charge) for charge in group]
        invoice = invoice_scheduled(customer=order.customer, branch=order.branch, lines=lines)
        claimed = PlacementCharge.objects.filter(
            pk__in=[c.pk for c in group], state=ChargeState.PLANNED
        ).update(state=ChargeState.INVOICED, invoice=invoice)
        if claimed != len(group):  # another run took some: undo this invoice, number and all
            raise ChargesClaimed(_("These charges were invoiced already."))
        invoices.append(invoice)
    return invoices


def _line(placement: Placement, charge: PlacementCharge) -> ScheduledLine:
    number = placement.order.number
    texts = {
        ChargeKind.DEPOSIT: _("%(number)s deposit"),
        ChargeKind.FEE: _("%(number)s agency's service fee"),
        ChargeKind.SERVICE: _("%(number)s service %(start)s to %(end)s"),
        ChargeKind.WAGE: _("%(number)s staff wage collected %(start)s to %(end)s"),
        ChargeKind.REPLACEMENT: _("%(number)s replacement of the staff member (%(start)s)"),
    }
    description = texts[ChargeKind(charge.kind)] % {
        "number": number,
        "start": charge.period_start.isoformat(),
        "end": charge.period_end.isoformat(),
    }
    return ScheduledLine(
        description=description,
        quantity=Decimal(1),
        unit_price=charge.amount,
        amount=charge.amount,
    )


def _require_manager(actor: Actor, agency_id: int) -> None:
    require(
        actor,
        Area.CONTRACTS,
        agency_id=agency_id,
        message=_("A manager ends a placement and settles it."),
    )


@transaction.atomic
def placement_terminate(
    *,
    placement: Placement,
    actor: Actor,
    reason: str,
    last_day: date,
    deductions: Decimal,
    deduction_reason: str = "",
) -> Settlement:
    """End a signed or running placement early: the order's window ends on the last day,
    the unserved prepaid days are credited, the deposit less the agreed deductions is
    proposed for refund (a manager approves it), the unbilled charges are cancelled."""
    _require_manager(actor, placement.agency_id)
    placement = placement_lock(placement)
    errors = _input_errors(
        placement, last_day=last_day, deductions=deductions, deduction_reason=deduction_reason
    )
    if not reason.strip():
        errors["reason"] = _("Say why the placement ends early.")
    elif len(reason.strip()) > REASON_MAX_LENGTH:
        errors["reason"] = _("At most %(max)s characters.") % {"max": REASON_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    placement_transition(placement, PlacementStatus.TERMINATED, allowed_from=RUNNING)
    placement.ended_on = last_day
    placement.save(update_fields=["ended_on", "updated_at"])
    order = placement.order
    starts_at, ends_at = service_window(order, placement.starts_on, last_day)
    order_window_set(order=order, starts_at=starts_at, ends_at=ends_at, actor=actor)
    return _settle(
        placement,
        actor=actor,
        kind=SettlementKind.TERMINATED,
        reason=reason.strip(),
        last_day=last_day,
        deductions=deductions,
        deduction_reason=deduction_reason.strip(),
    )


@transaction.atomic
def placement_end(
    *,
    placement: Placement,
    actor: Actor,
    deductions: Decimal = Decimal(0),
    deduction_reason: str = "",
) -> Settlement:
    """End a running placement on its last day: what is left of the schedule is billed and
    the deposit (less any agreed deductions) proposed for refund."""
    _require_manager(actor, placement.agency_id)
    placement = placement_lock(placement)
    if placement.agency.today() < placement.ends_on:
        raise ValidationError(
            _("The placement runs until %(day)s: terminate it to end it earlier.")
            % {"day": placement.ends_on.isoformat()}
        )
    errors = _input_errors(
        placement,
        last_day=placement.ends_on,
        deductions=deductions,
        deduction_reason=deduction_reason,
    )
    if errors:
        raise ValidationError(errors)
    placement_transition(placement, PlacementStatus.ENDED, allowed_from=[PlacementStatus.ACTIVE])
    placement.ended_on = placement.ends_on
    placement.save(update_fields=["ended_on", "updated_at"])
    return _settle(
        placement,
        actor=actor,
        kind=SettlementKind.ENDED,
        reason="",
        last_day=placement.ends_on,
        deductions=deductions,
        deduction_reason=deduction_reason.strip(),
    )


def _input_errors(
    placement: Placement, *, last_day: date, deductions: Decimal, deduction_reason: str
) -> dict[str, str]:
    """What is wrong with a settlement's input, by field."""
    errors = {}
    if not placement.starts_on <= last_day <= placement.ends_on:
        errors["last_day"] = _("The last day is within the term, %(start)s to %(end)s.") % {
            "start": placement.starts_on.isoformat(),
            "end": placement.ends_on.isoformat(),
        }
    deposit = placement.deposit or Decimal(0)
    if deductions < 0 or money(deductions) != deductions:
        errors["deductions"] = _("Deductions are zero or more, in whole cents.")
    elif deductions > deposit:
        errors["deductions"] = _("At most the deposit, %(deposit)s.") % {"deposit": deposit}
    elif deductions and not deduction_reason.strip():
        errors["deduction_reason"] = _("Say what the deductions are for.")
    if len(deduction_reason.strip()) > REASON_MAX_LENGTH:
        errors["deduction_reason"] = _("At most %(max)s characters.") % {"max": REASON_MAX_LENGTH}
    return errors


def _settle(
    placement: Placement,
    *,
    actor: Actor,
    kind: SettlementKind,
    reason: str,
    last_day: date,
    deductions: Decimal,
    deduction_reason: str,
) -> Settlement:
    """Bill the served days still unbilled, credit the unserved ones invoiced, cancel the
    rest, and propose the deposit's return: the figures in a `Settlement` row."""
    placement_schedule_save(placement)
    planned = PlacementCharge.objects.filter(placement=placement, state=ChargeState.PLANNED)
    served_unbilled = list(planned.filter(period_start__lte=last_day).exclude(kind="deposit"))
    for charge in served_unbilled:
        _cut_at(charge, last_day)
    if served_unbilled:
        _bill(placement, [c.pk for c in served_unbilled])
    cancelled = planned.update(state=ChargeState.CANCELLED)
    credited = _credit_unserved(placement, actor=actor, last_day=last_day)
    deposit_charge = PlacementCharge.objects.filter(
        placement=placement, kind=ChargeKind.DEPOSIT, state=ChargeState.INVOICED
    ).first()
    held = deposit_charge.amount if deposit_charge else Decimal(0)
    returned = max(held - deductions, Decimal(0))
    refund = None
    if returned and deposit_charge is not None and deposit_charge.invoice is not None:
        refund = _return_deposit(deposit_charge.invoice, actor=actor, amount=returned)
    settlement = Settlement.objects.create(
        agency_id=placement.agency_id,
        placement=placement,
        kind=kind,
        last_day=last_day,
        reason=reason,
        days_served=(last_day - placement.starts_on).days + 1,
        credited=credited,
        deposit=held,
        deductions=deductions,
        deduction_reason=deduction_reason,
        deposit_returned=returned,
        refund=refund,
        cancelled_charges=cancelled,
        created_by=actor.user,
    )
    audit_record(
        agency=placement.agency,
        actor=actor,
        action=f"placement.{kind}",
        target=placement,
        changes={
            "last_day": last_day.isoformat(),
            "reason": reason,
            "credited": str(credited),
            "deposit_returned": str(returned),
            "deductions": str(deductions),
        },
    )
    return settlement


def _cut_at(charge: PlacementCharge, last_day: date) -> None:
    """A charge whose period runs past the last day: only the days served, pro rata."""
    if charge.period_end <= last_day or charge.kind not in PERIODIC:
        return
    days = (charge.period_end - charge.period_start).days + 1
    served = (last_day - charge.period_start).days + 1
    charge.amount = money(charge.amount * served / days)
    charge.period_end = last_day
    charge.save(update_fields=["amount", "period_end"])


def _credit_unserved(placement: Placement, *, actor: Actor, last_day: date) -> Decimal:
    """A credit note on each invoice for the days after the last day it charged (tax
    included, as the credit-note service takes it); the total credited."""
    unserved_net: dict[int, Decimal] = defaultdict(Decimal)
    invoices: dict[int, Invoice] = {}
    charges = PlacementCharge.objects.filter(
        placement=placement,
        state=ChargeState.INVOICED,
        kind__in=PERIODIC,
        period_end__gt=last_day,
        invoice__isnull=False,
    ).select_related("invoice")
    for charge in charges:
        days = (charge.period_end - charge.period_start).days + 1
        unserved = (charge.period_end - max(charge.period_start, last_day + timedelta(1))).days + 1
        invoice = cast(Invoice, charge.invoice)  # an invoiced charge names its invoice
        invoices[invoice.pk] = invoice
        unserved_net[invoice.pk] += charge.amount * unserved / days
    total = Decimal(0)
    for pk, net in unserved_net.items():
        invoice = invoices[pk]
        gross = money(net * (100 + invoice.tax_rate_percent) / 100)
        amount = min(gross, invoice.total - invoice.credited)
        if amount <= 0:
            continue
        credit_note_issue(
            invoice=invoice,
            actor=actor,
            amount=amount,
            reason=_("Placement %(number)s ended on %(day)s: days not served.")
            % {"number": placement.order.number, "day": last_day.isoformat()},
        )
        total += amount
    return total


def _return_deposit(invoice: Invoice, *, actor: Actor, amount: Decimal) -> Refund | None:
    """Pay back what was paid of the deposit (a refund a manager approves); credit what was
    not paid yet, so it is not owed any more."""
    invoice.refresh_from_db()
    refundable = invoice.paid - _pending_refunds(invoice)
    refund_amount = min(amount, max(refundable, Decimal(0)))
    reason = _("Deposit returned at the end of the placement.")
    refund = None
    if refund_amount > 0:
        refund = refund_request(invoice=invoice, actor=actor, amount=refund_amount, reason=reason)
        invoice.refresh_from_db()
    unpaid = min(amount - refund_amount, invoice.total - invoice.credited)
    if unpaid > 0:
        credit_note_issue(invoice=invoice, actor=actor, amount=unpaid, reason=reason)
    return refund


def _pending_refunds(invoice: Invoice) -> Decimal:
    """Refunds asked for or approved, not paid back yet (those left `paid` already)."""
    pending = invoice.refunds.filter(status__in=[RefundStatus.REQUESTED, RefundStatus.APPROVED])
    return sum((r.amount for r in pending), Decimal(0))
