"""Which of the customer's actions an order offers (its page's buttons), without a query:
the services decide for good and say why when they refuse."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from orders.models import SERVED, Order, OrderStatus

register = template.Library()


@dataclass(frozen=True)
class OrderActions:
    #: Not begun, not done, not cancelled: it may be moved or cancelled.
    upcoming: bool
    #: Begun or over: it may be booked again.
    rebook: bool
    #: Served (accepted or later): feedback may be given, once.
    feedback: bool


@register.simple_tag
def order_actions(order: Order) -> OrderActions:
    served = order.status in SERVED
    over = order.status == OrderStatus.CANCELLED or served or order.starts_at <= timezone.now()
    return OrderActions(upcoming=not over, rebook=over, feedback=served)
