"""Cancellation (退单) under the agency's policy (DESIGN.md, "Billing").

Free within the agency's window after ordering (48 h by default), and never after
the job has started (`free_cancellation_until`); afterwards a
fee of at least 10% of the price, approved by a manager; special (custom)
service types cannot be cancelled. The customer's signature is required.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.permissions import Area, require
from messaging.rules import Event
from orders.lifecycle import CANCELLABLE, OrderStateConflict, order_lock, order_transition
from orders.models import (
    Cancellation,
    CancellationStatus,
    Order,
    OrderStatus,
    SignaturePurpose,
)
from orders.pricing import money
from orders.signatures import record_signature, signature_errors
from orders.staffing.notices import tell_staff
from orders.staffing.services import assignments_release_all
from orders.timeline import note


@dataclass(frozen=True)
class CancellationTerms:
    allowed: bool
    refusal: str
    price: Decimal
    free_until: datetime
    fee_percent: Decimal
    fee: Decimal

    @property
    def needs_approval(self) -> bool:
        return self.fee > 0


def free_cancellation_until(order: Order) -> datetime:
    """The end of free cancellation: the agency's window after booking, but no later than
    the job's start (a job that has begun is not cancelled free because it was booked
    late). The one rule the order page, the API and `order_request_cancellation` apply."""
    booked_window = order.created_at + timedelta(hours=order.agency.free_cancellation_hours)
    return min(booked_window, order.starts_at)


def cancellation_terms(order: Order, *, at: datetime | None = None) -> CancellationTerms:
    """What cancelling now would cost; no writes, so pages can show it before anyone signs."""
    at = at or timezone.now()
    agency = order.agency
    quote = order.confirmed_quote or order.latest_quote()
    price = quote.total if quote else Decimal("0.00")
    free_until = free_cancellation_until(order)
    free = at <= free_until
    percent = Decimal(0) if free else agency.late_cancellation_fee_percent
    refusal = ""
    if order.service_type.is_special:
        refusal = _("Special (custom) services cannot be cancelled.")
    elif order.status not in CANCELLABLE:
        refusal = _("An order that is %(status)s can no longer be cancelled.") % {
            "status": OrderStatus(order.status).label
        }
    return CancellationTerms(
        allowed=not refusal,
        refusal=refusal,
        price=price,
        free_until=free_until,
        fee_percent=percent,
        fee=money(price * percent / 100),
    )


@transaction.atomic
def order_request_cancellation(
    *,
    order: Order,
    actor: Actor,
    reason: str,
    signed_name: str,
    via: str,
    user_agent: str = "",
    verification_reason: str = "",
) -> Cancellation:
    """Record the customer's signed request; free ones cancel at once, others wait for a manager."""
    order = order_lock(order)
    terms = cancellation_terms(order)
    if not terms.allowed:
        raise OrderStateConflict(terms.refusal)
    if order.cancellations.filter(status=CancellationStatus.AWAITING_APPROVAL).exists():
        raise OrderStateConflict(_("A cancellation of this order already waits for a manager."))
    errors = signature_errors(
        signed_name=signed_name, via=via, verification_reason=verification_reason
    )
    if not reason.strip():
        errors["reason"] = _("Give the reason for the cancellation.")
    if errors:
        raise ValidationError(errors)
    signature = record_signature(
        order,
        purpose=SignaturePurpose.CANCEL_ORDER,
        via=via,
        signed_name=signed_name,
        actor=actor,
        user_agent=user_agent,
        verification_reason=verification_reason,
    )
    cancellation = Cancellation.objects.create(
        agency_id=order.agency_id,
        order=order,
        reason=reason.strip(),
        signature=signature,
        price=terms.price,
        fee_percent=terms.fee_percent,
        fee=terms.fee,
        # No payment can be recorded before billing exists, so nothing is owed back yet.
        refund_due=Decimal("0.00"),
        status=CancellationStatus.AWAITING_APPROVAL
        if terms.needs_approval
        else CancellationStatus.APPROVED,
        requested_by=actor.user,
        decided_at=None if terms.needs_approval else timezone.now(),
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="order.cancellation_requested",
        target=order,
        changes={"reason": cancellation.reason, "fee": str(cancellation.fee)},
    )
    if terms.needs_approval:
        note(
            order,
            actor=actor,
            text=_("Cancellation requested (fee %(fee)s); waits for a manager.")
            % {"fee": terms.fee},
        )
    else:
        _cancel(
            order,
            actor=actor,
            reason=_("Cancelled free of charge: %(reason)s") % {"reason": cancellation.reason},
        )
    return cancellation


@transaction.atomic
def cancellation_approve(
    *, cancellation: Cancellation, actor: Actor, note_text: str = ""
) -> Cancellation:
    """A manager approves a late cancellation; the order is cancelled, the fee kept for billing."""
    order = _locked_for_manager(cancellation, actor)
    cancellation = _pending(cancellation)
    _cancel(
        order,
        actor=actor,
        reason=_("Cancellation approved, fee %(fee)s: %(reason)s")
        % {"fee": cancellation.fee, "reason": cancellation.reason},
    )
    return _decide(cancellation, CancellationStatus.APPROVED, actor=actor, note_text=note_text)


@transaction.atomic
def cancellation_reject(
    *, cancellation: Cancellation, actor: Actor, note_text: str
) -> Cancellation:
    order = _locked_for_manager(cancellation, actor)
    if not note_text.strip():
        raise ValidationError({"note": _("Say why the cancellation is rejected.")})
    cancellation = _pending(cancellation)
    note(order, actor=actor, text=_("Cancellation rejected: %(note)s") % {"note": note_text})
    return _decide(cancellation, CancellationStatus.REJECTED, actor=actor, note_text=note_text)


def _cancel(order: Order, *, actor: Actor, reason: str) -> None:
    """Cancel the order and free the staff it was holding (they may take other jobs)."""
    order_transition(order=order, to=OrderStatus.CANCELLED, actor=actor, reason=reason)
    released = assignments_release_all(order=order, actor=actor, reason=reason)
    # Everyone who held the job hears it is off; the reason (and any fee) is the customer's.
    tell_staff(
        order,
        released,
        event=Event.JOB_CANCELLED,
        key=f"order:{order.pk}:cancelled",
        on_job_page=False,
    )


def _locked_for_manager(cancellation: Cancellation, actor: Actor) -> Order:
    """The order, locked, once the actor may decide: a manager approves or rejects a late
    cancellation (DESIGN.md, "Billing")."""
    order = order_lock(cancellation.order)
    require(
        actor, Area.APPROVALS, agency_id=order.agency_id, message=_("Only a manager may do this.")
    )
    return order


def _pending(cancellation: Cancellation) -> Cancellation:
    current = Cancellation.objects.select_for_update().get(pk=cancellation.pk)
    if current.status != CancellationStatus.AWAITING_APPROVAL:
        raise OrderStateConflict(_("This cancellation was already decided."))
    return current


def _decide(
    cancellation: Cancellation, status: str, *, actor: Actor, note_text: str
) -> Cancellation:
    cancellation.status = status
    cancellation.decided_by = actor.user
    cancellation.decided_at = timezone.now()
    cancellation.decision_note = note_text.strip()
    cancellation.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        agency=cancellation.order.agency,
        actor=actor,
        action=f"order.cancellation_{status}",
        target=cancellation.order,
        changes={"fee": str(cancellation.fee), "note": cancellation.decision_note},
    )
    return cancellation
