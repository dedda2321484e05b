"""The customer's signed single-purpose link (no account): review, then sign.

Opened on a phone; in the customer's language; shows the needs form and the
quote but never a staff member's phone (DESIGN.md, "Who uses it").
"""

from typing import Any

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.views import View

from agency.audit import Actor
from agency.errors import StateConflict
from orders.forms import CustomerCancelForm, CustomerSignForm
from orders.lifecycle import ALLOWED
from orders.links import LinkInvalid, read_token
from orders.models import Order, OrderStatus, SignaturePurpose, SignedVia
from orders.services.cancellation import cancellation_terms, order_request_cancellation
from orders.services.intake import order_confirm

CONFIRMABLE = frozenset(s for s, nexts in ALLOWED.items() if OrderStatus.CONFIRMED in nexts)


class CustomerLinkView(View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            claim = read_token(kwargs["token"])
            self.order = (
                Order.objects.select_related(
                    "agency", "customer", "service_type", "needs_form__address"
                )
                .prefetch_related("quotes")
                .get(pk=claim.order_id, agency_id=claim.agency_id)
            )
        except (LinkInvalid, Order.DoesNotExist):
            return render(request, "orders/link_invalid.html", status=404)
        self.claim = claim
        language = self.order.customer.preferred_language or self.order.agency.default_language
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(request, form=self._form_class()())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self._form_class()(request.POST)
        if form.is_valid():
            actor = Actor(user=None, ip_address=get_client_ip_address(request))
            user_agent = request.headers.get("User-Agent", "")
            try:
                if self.claim.purpose == SignaturePurpose.CONFIRM_ORDER:
                    order_confirm(
                        order=self.order,
                        quote_id=self.claim.quote_id or 0,
                        signed_name=form.cleaned_data["signed_name"],
                        via=SignedVia.LINK,
                        actor=actor,
                        user_agent=user_agent,
                    )
                else:
                    order_request_cancellation(
                        order=self.order,
                        actor=actor,
                        reason=form.cleaned_data["reason"],
                        signed_name=form.cleaned_data["signed_name"],
                        via=SignedVia.LINK,
                        user_agent=user_agent,
                    )
            except (ValidationError, StateConflict) as error:
                messages = error.messages if isinstance(error, ValidationError) else [str(error)]
                return self._page(request, form=form, problem=" ".join(messages), status=409)
            self.order.refresh_from_db()
            return self._page(request, form=None, done=True)
        return self._page(request, form=form, status=400)

    def _form_class(self) -> type[CustomerSignForm]:
        return (
            CustomerSignForm
            if self.claim.purpose == SignaturePurpose.CONFIRM_ORDER
            else CustomerCancelForm
        )

    def _page(self, request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
        order = self.order
        quote = next((q for q in order.quotes.all() if q.pk == self.claim.quote_id), None)
        terms = (
            cancellation_terms(order)
            if self.claim.purpose == SignaturePurpose.CANCEL_ORDER
            else None
        )
        if terms is not None:
            can_sign = (
                terms.allowed
                and not order.cancellations.filter(status="awaiting_approval").exists()
            )
        else:
            can_sign = order.status in CONFIRMABLE
        return render(
            request,
            "orders/customer_link.html",
            {
                "order": order,
                "needs": order.needs_form,
                "quote": quote,
                "purpose": self.claim.purpose,
                "terms": terms,
                "can_sign": can_sign,
                **context,
            },
            status=status,
        )
