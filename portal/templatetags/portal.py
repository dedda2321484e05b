"""The customer's words for statuses (portal.wording), one filter each, for every portal page."""

from django import template

from portal import wording

register = template.Library()


@register.filter
def customer_status(status: str) -> str:
    """An order's status as the customer is told it."""
    return wording.order_status(status)


@register.filter
def customer_complaint_status(status: str) -> str:
    return wording.complaint_status(status)


@register.filter
def customer_request_status(status: str) -> str:
    return wording.request_status(status)
