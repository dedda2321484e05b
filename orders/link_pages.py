"""What every page behind a customer's signed link shares: the order, in their language."""

from typing import Any

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.views import View

from agency.audit import Actor
from agency.errors import StateConflict
from orders.links import LinkClaim
from orders.models import Order


class CustomerLinkBase(View):
    """`claim` comes from the router (orders.customer_link.customer_link)."""

    claim: LinkClaim
    order: Order

    def get_queryset(self) -> QuerySet[Order]:
        return Order.objects.select_related(
            "agency", "customer", "service_type", "needs_form__address"
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.claim = kwargs["claim"]
        try:
            self.order = self.get_queryset().get(
                pk=self.claim.order_id, agency_id=self.claim.agency_id
            )
        except Order.DoesNotExist:
            return render(request, "orders/link_invalid.html", status=404)
        language = self.order.customer.preferred_language or self.order.agency.default_language
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return super().dispatch(request, *args, **kwargs)

    def customer(self) -> Actor:
        """The customer has no account: the actor is the order's customer, from their address."""
        return Actor.customer(
            self.order.customer_id, ip_address=get_client_ip_address(self.request)
        )


def refusal(error: ValidationError | StateConflict) -> str:
    """A service's refusal as one line for the customer."""
    return " ".join(error.messages if isinstance(error, ValidationError) else [str(error)])
