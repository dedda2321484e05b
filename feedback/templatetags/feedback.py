"""The customer's feedback and revisits on the customer page.

The orders app must not import feedback (DESIGN.md, "Architecture": dependencies
point downwards), so its customer page loads this tag instead of its view
passing the history.
"""

from typing import Any

from django import template

from feedback.selectors import customer_history
from orders.models import Customer

register = template.Library()

#: How many answers and revisits the customer page shows (the newest).
SHOWN = 20


@register.inclusion_tag("feedback/_customer_history.html", takes_context=True)
def customer_feedback_history(context: template.Context, customer: Customer) -> dict[str, Any]:
    """Two queries: the customer's answers with their orders, their revisits."""
    membership = getattr(context.get("request"), "membership", None)
    agency = membership.agency if membership is not None else customer.agency
    history = customer_history(agency=agency, customer_id=customer.pk)
    return {
        "customer": customer,
        "feedback": list(history["feedback"][:SHOWN]),
        "revisits": list(history["revisits"][:SHOWN]),
    }
