"""Lines on an order's timeline that are not status changes (those are `orders.lifecycle`'s)."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.models import Channel, OutboundMessage
from orders.models import Order, OrderEvent


def note(order: Order, *, actor: Actor, text: str) -> None:
    """A timeline line that is not a status change."""
    OrderEvent.objects.create(
        agency_id=order.agency_id,
        order=order,
        actor=actor.user,
        by_customer=actor.is_customer,
        reason=text[:500],
    )


def by_message(order: Order, messages: Sequence[OutboundMessage]) -> str:
    """How an announced link reached the customer: by their chosen channel, or not at all."""
    if not messages:
        return _("not sent: no mobile number or email reaches the customer")
    if messages[0].channel == Channel.EMAIL:
        return _("email to %(email)s") % {"email": messages[0].recipient}
    return by_text(order)


def by_text(order: Order) -> str:
    """How a link reached the customer, as the timeline and the audit log say it."""
    return _("text message to %(phone)s") % {"phone": order.customer.masked_phone}


def link_sent(order: Order, *, actor: Actor, text: str, action: str, channel: str) -> None:
    """A link that reached the customer: a line on the timeline and an audit entry (`action`),
    both naming the channel, so the office can tell the customer where to look."""
    note(order, actor=actor, text=text)
    audit_record(
        agency=order.agency,
        actor=actor,
        action=action,
        target=order,
        changes={"channel": channel},
    )
