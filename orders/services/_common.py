"""What the orders services share: locking an order, moving its status, checking roles."""

from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.models import Membership, Role
from orders.lifecycle import check_transition
from orders.models import AcceptanceRound, CustomerSignature, Order, OrderEvent, SignedVia


def lock(order: Order) -> Order:
    """The order's row, locked until the transaction ends: concurrent changes queue here."""
    return Order.objects.select_for_update().get(pk=order.pk, agency_id=order.agency_id)


def move(order: Order, to: str, *, actor: Actor, reason: str = "") -> None:
    """Change a locked order's status: check the lifecycle, write the timeline and audit log."""
    check_transition(order.status, to)
    before = order.status
    order.status = to
    order.save(update_fields=["status", "updated_at"])
    OrderEvent.objects.create(
        agency_id=order.agency_id,
        order=order,
        from_status=before,
        to_status=to,
        actor=actor.user,
        reason=reason[:500],
    )
    audit_record(
        agency=order.agency,
        actor=actor,
        action="order.status",
        target=order,
        changes={"status": [before, to]},
    )


def open_round(order: Order) -> AcceptanceRound:
    """A new acceptance round on a locked order, numbered after the last (验收, DESIGN.md)."""
    last = order.acceptance_rounds.aggregate(last=Max("number"))["last"] or 0
    return AcceptanceRound.objects.create(agency_id=order.agency_id, order=order, number=last + 1)


def note(order: Order, *, actor: Actor, text: str) -> None:
    """A timeline line that is not a status change."""
    OrderEvent.objects.create(
        agency_id=order.agency_id, order=order, actor=actor.user, reason=text[:500]
    )


def by_text(order: Order) -> str:
    """How a link reached the customer, as the timeline and the audit log say it."""
    return _("text message to %(phone)s") % {"phone": order.customer.masked_phone}


def has_role(actor: Actor, order: Order, *roles: str) -> bool:
    """Whether the actor is an active member of the order's agency in one of these roles."""
    return (
        actor.user is not None
        and Membership.objects.filter(
            agency_id=order.agency_id, user=actor.user, role__in=roles, is_active=True
        ).exists()
    )


def require_manager(actor: Actor, order: Order) -> None:
    """A rule of the agency, not only of the page: e.g. only a manager approves."""
    if not has_role(actor, order, Role.MANAGER):
        raise PermissionDenied(_("Only a manager may do this."))


SIGNED_NAME_LENGTH = cast(int, CustomerSignature._meta.get_field("signed_name").max_length)


def signature_errors(*, signed_name: str, via: str, verification_reason: str) -> dict[str, str]:
    """What is missing from a customer's signature (or the office's verification)."""
    errors = {}
    if not signed_name.strip():
        errors["signed_name"] = _("Type the customer's full name to sign.")
    elif len(signed_name.strip()) > SIGNED_NAME_LENGTH:
        errors["signed_name"] = _("A name is at most %(n)s characters.") % {"n": SIGNED_NAME_LENGTH}
    if via == SignedVia.OFFICE and not verification_reason.strip():
        errors["verification_reason"] = _("Say why the office signs for the customer.")
    return errors


def record_signature(
    order: Order,
    *,
    purpose: str,
    via: str,
    signed_name: str,
    actor: Actor,
    user_agent: str = "",
    verification_reason: str = "",
) -> CustomerSignature:
    """The customer's signature, or the office member who verified in their place (DESIGN.md)."""
    return CustomerSignature.objects.create(
        agency_id=order.agency_id,
        order=order,
        purpose=purpose,
        via=via,
        signed_name=signed_name.strip(),
        ip_address=actor.ip_address,
        user_agent=user_agent[:255],
        verified_by=actor.user if via == SignedVia.OFFICE else None,
        verification_reason=verification_reason.strip(),
        collected_by=actor.user if via == SignedVia.DEVICE else None,
    )
