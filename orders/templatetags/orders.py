"""One way to show an order's status everywhere (CONVENTIONS.md, "Pages")."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from orders.models import Order, OrderStatus

register = template.Library()

_TONE = {
    OrderStatus.INTAKE: "muted",
    OrderStatus.QUOTED: "warn",
    OrderStatus.CONFIRMED: "ok",
    OrderStatus.ASSIGNED: "ok",
    OrderStatus.IN_SERVICE: "warn",
    OrderStatus.INSPECTION: "warn",
    OrderStatus.REWORK: "danger",
    OrderStatus.ACCEPTED: "ok",
    OrderStatus.INVOICED: "ok",
    OrderStatus.PAID: "ok",
    OrderStatus.CLOSED: "muted",
    OrderStatus.CANCELLED: "muted",
}


@register.simple_tag
def order_status(order: Order) -> SafeString:
    status = OrderStatus(order.status)
    return format_html(
        '<span class="badge badge-{} status-{}">{}</span>',
        _TONE[status],
        status.value,
        status.label,
    )
