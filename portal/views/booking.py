"""Booking from the portal: ask for a service, rebook a past order, follow one's requests.

A booking lands on the dispatcher's intake as a request to quote, never in the schedule
(`orders.intake.services.booking_requests`); the customer then sees it waiting, being
quoted, or declined with the office's reason.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from agency.idempotency import RepeatedSubmission
from orders.intake.services.booking_requests import (
    booking_request_from_order,
    booking_request_submit,
)
from orders.models import Order
from portal import selectors
from portal.forms_actions import BookingForm, booking_initial, show_refusal
from portal.views.base import PortalCustomerMixin


class BookView(PortalCustomerMixin, FormView):
    """The booking form: a service the agency offers, days, hours, where, needs, photos."""

    template_name = "portal/actions/book.html"
    form_class = BookingForm
    #: The past order this booking repeats (set by `RebookView`).
    rebooked_from: Order | None = None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency, "customer": self.customer}

    def form_valid(self, form: BookingForm) -> HttpResponse:
        try:
            booking_request_submit(
                customer=self.customer,
                actor=self.actor,
                wish=form.wish(rebooked_from=self.rebooked_from),
                photos=form.cleaned_data["photos"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except RepeatedSubmission:
            # A double tap: the first request went through; show it, once.
            return redirect(self.portal_url("booking_requests"))
        except ValidationError as error:
            show_refusal(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            self.request,
            _("Your request is sent. We will call you with a price; nothing is booked until then."),
        )
        return redirect(self.portal_url("booking_requests"))

    def form_invalid(self, form: BookingForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RebookView(BookView):
    """Book again in two taps: the booking form filled in from a past order."""

    model = Order
    rebooked_from: Order

    def enter(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.customer is not None:
            self.rebooked_from = get_object_or_404(
                selectors.orders_for(agency=self.agency, customer=self.customer).select_related(
                    "agency", "needs_form__address"
                ),
                pk=kwargs["pk"],
            )
        return super().enter(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return booking_initial(booking_request_from_order(order=self.rebooked_from))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(rebooked_from=self.rebooked_from, **kwargs)


class BookingRequestListView(PortalCustomerMixin, ListView):
    """The customer's requests with where each stands, in plain words."""

    template_name = "portal/actions/booking_requests.html"
    context_object_name = "booking_requests"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.booking_requests_for(agency=self.agency, customer=self.customer)
