"""The placement page's billing panel: what it reads, asked once from the template."""

from typing import Any

from django import template

from placements.billing_forms import TerminateForm
from placements.billing_selectors import charges_of, settlement_of

register = template.Library()


@register.simple_tag(takes_context=True)
def placement_billing(context: template.Context, placement: Any) -> dict[str, Any]:
    """The schedule, the settlement, and the termination form (bound when it came back
    with errors)."""
    return {
        "charges": list(charges_of(placement)),
        "settlement": settlement_of(placement),
        "terminate_form": context.get("terminate_form") or TerminateForm(),
    }
