"""Change requests (变更) during the job: content or fee, only with the customer's approval.

DESIGN.md, "Service": service content and fees never change without the
customer's prior agreement, recorded as a change the customer approved. The
fee of a change follows the price list (DESIGN.md, "Billing"): more or less of
a priced service, never an amount typed in.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import User
from agency.permissions import Area, require
from messaging.rules import Event
from orders import links
from orders.lifecycle import order_lock
from orders.models import (
    AssignmentStatus,
    ChangeRequest,
    ChangeStatus,
    Order,
    OrderStatus,
    ServiceType,
    SignaturePurpose,
    SignedVia,
)
from orders.pricing import money, price_on
from orders.signatures import record_signature, signature_errors
from orders.staffing.notices import tell_staff
from orders.staffing.selectors import team
from orders.timeline import note

#: While these, a change may be asked for and answered: the job is on, not yet signed off.
CHANGEABLE = frozenset({OrderStatus.ASSIGNED, OrderStatus.IN_SERVICE, OrderStatus.INSPECTION})


class ChangeConflict(StateConflict):
    """Answered already, or the job is past changing (the API answers 409)."""


@transaction.atomic
def change_request_create(
    *,
    order: Order,
    actor: Actor,
    description: str,
    quantity: Decimal,
    service_type: ServiceType | None = None,
) -> ChangeRequest:
    """Ask the customer to approve more (or less) of a priced service, or other content.

    By the staff on the job or by the office; priced at the price list of the
    service's day.
    """
    order = order_lock(order)
    requester = _check_on_job_or_office(order, actor=actor)
    if order.status not in CHANGEABLE or _signed_off_started(order):
        raise ChangeConflict(_("The service can no longer be changed on this order."))
    service_type = service_type or order.service_type
    if service_type.agency_id != order.agency_id:
        raise ValidationError({"service_type": _("Choose a service of this agency.")})
    if not description.strip():
        raise ValidationError({"description": _("Say what changes.")})
    price = price_on(service_type, order.agency.local_date(order.starts_at))
    change = ChangeRequest(
        agency_id=order.agency_id,
        order=order,
        description=description.strip()[:500],
        service_type=service_type,
        quantity=quantity,
        unit=service_type.pricing_unit,
        unit_price=price.unit_price,
        amount=money(price.unit_price * quantity),
        currency=order.agency.currency,
        requested_by=requester,
    )
    # The database would round a quantity with more decimals than it keeps, so that the
    # stored quantity times the unit price would no longer be the amount: refuse it here.
    change.full_clean()
    change.save()
    note(
        order,
        actor=actor,
        text=_("Change requested: %(what)s (%(amount)s %(currency)s), awaiting the customer.")
        % {"what": change.description, "amount": change.amount, "currency": change.currency},
    )
    _audit(change, actor=actor, action="change.request")
    return change


@transaction.atomic
def change_request_send_link(*, change: ChangeRequest, actor: Actor, url: str) -> None:
    """Text the customer the link to approve or decline the change."""
    change, order = _awaiting(change)
    links.text_link(
        order=order,
        wording=gettext_lazy(
            "%(agency)s: a change to order %(number)s needs your approval: %(url)s"
        ),
        url=url,
    )
    _audit(change, actor=actor, action="change.link_sent")


@transaction.atomic
def change_request_approve(
    *,
    change: ChangeRequest,
    actor: Actor,
    via: str,
    signed_name: str,
    user_agent: str = "",
) -> ChangeRequest:
    """The customer approves, signing by link or on the staff member's device."""
    change, order = _awaiting(change)
    _check_customer_channel(order, actor=actor, via=via)
    errors = signature_errors(signed_name=signed_name, via=via, verification_reason="")
    if errors:
        raise ValidationError(errors)
    change.signature = record_signature(
        order,
        purpose=SignaturePurpose.APPROVE_CHANGE,
        via=via,
        signed_name=signed_name,
        actor=actor,
        user_agent=user_agent,
    )
    change = _decide(change, ChangeStatus.APPROVED, actor=actor)
    # The team works from the approved change: each confirmed member hears what changed.
    tell_staff(
        order,
        team(order),
        event=Event.JOB_CHANGED,
        key=f"change:{change.pk}:approved",
        extra={"change_summary": change.description},
    )
    return change


@transaction.atomic
def change_request_decline(
    *, change: ChangeRequest, actor: Actor, via: str, reason: str = ""
) -> ChangeRequest:
    """The customer declines: the service goes on as agreed. Nothing is signed."""
    change, order = _awaiting(change)
    _check_customer_channel(order, actor=actor, via=via)
    return _decide(change, ChangeStatus.DECLINED, actor=actor, note_text=reason)


@transaction.atomic
def change_request_withdraw(*, change: ChangeRequest, actor: Actor, reason: str) -> ChangeRequest:
    """Whoever may ask for a change may take it back while the customer has not answered."""
    change, order = _awaiting(change)
    _check_on_job_or_office(order, actor=actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the change is withdrawn.")})
    return _decide(change, ChangeStatus.WITHDRAWN, actor=actor, note_text=reason)


def _awaiting(change: ChangeRequest) -> tuple[ChangeRequest, Order]:
    """The change read again under its order's lock, still waiting for an answer."""
    order = Order.objects.select_for_update().get(pk=change.order_id, agency_id=change.agency_id)
    change = ChangeRequest.objects.get(pk=change.pk, agency_id=change.agency_id)
    if change.status != ChangeStatus.AWAITING_CUSTOMER:
        raise ChangeConflict(_("This change has been answered already."))
    if order.status not in CHANGEABLE or _signed_off_started(order):
        raise ChangeConflict(_("The service can no longer be changed on this order."))
    return change, order


def _decide(
    change: ChangeRequest, status: str, *, actor: Actor, note_text: str = ""
) -> ChangeRequest:
    change.status = status
    change.decided_at = timezone.now()
    change.decision_note = note_text.strip()[:500]
    change.save(update_fields=["status", "decided_at", "decision_note", "signature"])
    note(
        change.order,
        actor=actor,
        text=_("Change %(what)s: %(status)s.")
        % {"what": change.description, "status": ChangeStatus(status).label},
    )
    _audit(change, actor=actor, action=f"change.{status}")
    return change


def _signed_off_started(order: Order) -> bool:
    """Once the on-site lead has signed, the service under acceptance is what was done."""
    return order.acceptance_rounds.filter(signoffs__isnull=False).exists()


def _on_the_job(order: Order, actor: Actor) -> bool:
    return order.assignments.filter(
        status=AssignmentStatus.CONFIRMED, staff__user=actor.user
    ).exists()


def _check_on_job_or_office(order: Order, *, actor: Actor) -> User:
    """The person asking: on this job, or in the office."""
    if actor.user is not None and _on_the_job(order, actor):
        return actor.user
    return require(
        actor,
        Area.ORDERS,
        agency_id=order.agency_id,
        message=_("Staff on this job or the office ask for a change."),
    )


def _check_customer_channel(order: Order, *, actor: Actor, via: str) -> None:
    """Only the customer answers: by their link, or in person on the staff's device."""
    if via == SignedVia.LINK and actor.user is None:
        return
    if via == SignedVia.DEVICE and actor.user is not None and _on_the_job(order, actor):
        return
    raise PermissionDenied(
        _("The customer answers by their link or in person on the device of staff on this job.")
    )


def _audit(change: ChangeRequest, *, actor: Actor, action: str) -> None:
    audit_record(
        agency=change.order.agency,
        actor=actor,
        action=action,
        target=change,
        changes={"order": change.order.number, "amount": str(change.amount)},
    )
