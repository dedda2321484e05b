from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from agency import selectors as agency_selectors
from agency.errors import StateConflict
from agency.idempotency import RepeatedSubmission
from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin
from orders.intake import selectors
from orders.intake.forms import IntakeForm
from orders.intake.services.booking import CustomerInput, NeedsInput, order_intake
from orders.intake.services.booking_requests import booking_request_quote
from orders.models import NeedsForm, Order, ServiceType

NEEDS_FIELDS = tuple(NeedsInput.__dataclass_fields__)
SPECIAL_NEEDS = ("allergies", "pets", "do_not_touch", "access_notes")


class IntakeView(TenantMixin, ServiceFormMixin, FormView):
    """A phone call becomes a quoted order: the needs form on one page."""

    area = Area.ORDERS
    template_name = "orders/intake.html"
    form_class = IntakeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "agency": self.agency,
            "instance": NeedsForm(agency=self.agency),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            waiting=selectors.booking_requests_banner(agency=self.agency), **kwargs
        )

    def get_initial(self) -> dict[str, Any]:
        branches = agency_selectors.branches_for(agency=self.agency).filter(is_active=True)
        return {
            "branch": self.membership.branch or branches.first(),
            "phone": self.request.GET.get("phone", ""),
            **self.from_request(),
        }

    def from_request(self) -> dict[str, Any]:
        """`?request=<id>`: the form starts from the customer's booking request (their
        words, their first preferred day and hours); another agency's or a decided one: 404."""
        chosen = self.request.GET.get("request", "")
        if not chosen:
            return {}
        asked = get_object_or_404(
            selectors.booking_requests_waiting(agency=self.agency),
            pk=int(chosen) if chosen.isdigit() else 0,
        )
        customer = asked.customer
        return {
            "booking_request": asked.pk,
            "phone": customer.phone,
            "name": customer.name,
            "customer_language": customer.preferred_language,
            "district": asked.address.district,
            "address": asked.address.detail,
            "service_type": asked.service_type_id,
            "start_date": asked.first_day,
            "end_date": None,
            "time_start": asked.time_start,
            "time_end": asked.time_end,
            # The customer's free notes go with their requirements: the needs form has one place.
            "requirements": "\n".join(filter(None, (asked.requirements, asked.notes))),
            **{name: getattr(asked, name) for name in SPECIAL_NEEDS},
        }

    def perform(self, form: IntakeForm) -> None:
        data = form.cleaned_data
        try:
            self.order = self.book(data)
        except RepeatedSubmission as repeat:
            # A double click: to the order the first click made, not an error on the form.
            self.order = repeat.earlier
            messages.info(self.request, repeat.message)
            return
        except StateConflict as conflict:
            # The request was taken or declined by someone else meanwhile: nothing booked.
            raise ValidationError(str(conflict)) from conflict
        messages.success(
            self.request, _("Order %(number)s taken and quoted.") % {"number": self.order.number}
        )

    def book(self, data: dict[str, Any]) -> Order:
        if data.get("booking_request") is not None:
            return booking_request_quote(
                booking_request=data["booking_request"], **self.booking(data)
            )
        return order_intake(agency=self.agency, **self.booking(data))

    def booking(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "branch": data["branch"],
            "is_urgent": data["is_urgent"],
            "submission_key": data["submission_key"],
            "customer": CustomerInput(
                name=data["name"],
                phone=data["phone"],
                district=data["district"],
                address=data["address"],
                preferred_language=data["customer_language"],
            ),
            "needs": NeedsInput(
                **{name: data[name] for name in NEEDS_FIELDS if data.get(name) is not None}
            ),
        }

    def get_success_url(self) -> str:
        return reverse("order_detail", kwargs={"pk": self.order.pk})


class CustomerLookupView(TenantMixin, View):
    """HTMX: as the phone is typed, say whether the customer is known (and flagged)."""

    area = Area.ORDERS

    def get(self, request: HttpRequest) -> HttpResponse:
        phone = request.GET.get("phone", "")
        customer = selectors.customer_by_phone(agency=self.agency, phone=phone) if phone else None
        return render(request, "orders/_customer_lookup.html", {"customer": customer})


class ChecklistView(TenantMixin, View):
    """HTMX: the chosen service's task checklist for the needs form."""

    area = Area.ORDERS

    def get(self, request: HttpRequest) -> HttpResponse:
        chosen = request.GET.get("service_type", "")
        form = IntakeForm(agency=self.agency, initial={"service_type": chosen})
        service = ServiceType.objects.filter(
            agency=self.agency, pk=int(chosen) if chosen.isdigit() else 0
        ).first()
        return render(request, "orders/_checklist.html", {"form": form, "service": service})
