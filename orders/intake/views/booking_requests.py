"""The dispatcher's side of the customers' booking requests: the waiting list (oldest first),
one request with its photos, and its decline. Quoting one is the needs form, prefilled
(`needs_form.IntakeView` with `?request=<id>`)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from agency.action_views import QuickActionMixin
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from orders.intake import selectors
from orders.intake.forms import DeclineRequestForm
from orders.intake.services.booking_requests import booking_request_decline
from orders.models import BookingRequest


class BookingRequestListView(TenantMixin, ListView):
    area = Area.ORDERS
    template_name = "orders/booking_requests.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[BookingRequest]:
        return selectors.booking_requests_waiting(agency=self.agency)


class BookingRequestDetailView(TenantObjectMixin, DetailView):
    """One request as the customer wrote it, with their photos: quote it or decline it."""

    area = Area.ORDERS
    model = BookingRequest
    template_name = "orders/booking_request.html"
    context_object_name = "booking_request"

    def get_queryset(self) -> QuerySet[BookingRequest]:
        return selectors.booking_requests_for(agency=self.agency).prefetch_related("photos")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(decline_form=DeclineRequestForm(), **kwargs)


class BookingRequestDeclineView(QuickActionMixin, TenantObjectMixin, View):
    """Declined with a reason the customer is told; back to the waiting list."""

    area = Area.ORDERS
    model = BookingRequest
    form_class = DeclineRequestForm
    page_name = "booking_request_detail"
    invalid_message = gettext_lazy("Say why the request is declined.")

    def get_queryset(self) -> QuerySet[BookingRequest]:
        return selectors.booking_requests_for(agency=self.agency)

    def succeeded(self) -> HttpResponse:
        return redirect("booking_request_list")

    def act(self, booking_request: BookingRequest, form: DeclineRequestForm) -> str:
        booking_request_decline(
            booking_request=booking_request, actor=self.actor, reason=form.cleaned_data["reason"]
        )
        return _("The request of %(customer)s is declined; the customer is told.") % {
            "customer": booking_request.customer
        }
