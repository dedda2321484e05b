"""Taking a complaint: the form, and its HTMX helpers (the customer by phone, the tier)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from agency import selectors as agency_selectors
from agency.idempotency import RepeatedSubmission
from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin
from complaints.forms import ComplaintTakeForm, for_form
from complaints.models import ComplaintChannel
from complaints.services.intake import Intake, complaint_take
from feedback import selectors as feedback_selectors
from orders import selectors as order_selectors
from orders.intake import selectors as intake_selectors

#: Where a service's complaint about an intake field is shown on the form.
TAKE_ERRORS_AT = {"customer": "phone", "file": "attachments"}


class ComplaintTakeView(TenantMixin, ServiceFormMixin, FormView):
    """A customer complains (by phone, in person, by link or on a revisit call)."""

    area = Area.COMPLAINTS
    template_name = "complaints/new.html"

    form_class = ComplaintTakeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}

    def get_initial(self) -> dict[str, Any]:
        branches = agency_selectors.branches_for(agency=self.agency).filter(is_active=True)
        order = self.request.GET.get("order", "")
        # From a revisit (a low score, a call): the complaint came through it.
        channel = self.request.GET.get("channel", ComplaintChannel.PHONE)
        initial: dict[str, Any] = {
            "branch": self.membership.branch or branches.first(),
            "phone": self.request.GET.get("phone", ""),
            "order": order,
            "channel": channel,
            "owner": self.request.user,
        }
        if channel == ComplaintChannel.REVISIT and order:
            # The customer already said what went wrong and who did the job.
            initial["description"], initial["staff"] = feedback_selectors.low_score_facts(
                agency=self.agency, order_number=order
            )
        return initial

    def perform(self, form: ComplaintTakeForm) -> None:
        data = form.cleaned_data
        intake = Intake(
            branch=data["branch"],
            customer=data["customer"],
            channel=data["channel"],
            category=data["category"],
            description=data["description"],
            tier=data["tier"],
            severity=data["severity"],
            desired_outcome=data["desired_outcome"],
            order=data["order"],
            staff=data["staff"],
            received_at=data["received_at"],
            owner=data["owner"],
            reply_by=data["reply_by"],
        )
        try:
            self.complaint = complaint_take(
                agency=self.agency,
                actor=self.actor,
                intake=intake,
                attachments=data["attachments"],
                submission_key=data["submission_key"],
            )
        except RepeatedSubmission as repeat:
            # A double click: to the complaint the first click took, not an error on the form.
            self.complaint = repeat.earlier
            messages.info(self.request, repeat.message)
            return
        except ValidationError as error:
            raise for_form(error, form, TAKE_ERRORS_AT) from error
        messages.success(
            self.request,
            _("Complaint %(number)s taken; the customer is flagged for special attention.")
            % {"number": self.complaint.number},
        )

    def get_success_url(self) -> str:
        return reverse("complaint_detail", kwargs={"pk": self.complaint.pk})


class ComplaintCustomerLookupView(TenantMixin, View):
    """HTMX: as the phone is typed, the customer found and their recent orders to pick from."""

    area = Area.COMPLAINTS

    def get(self, request: HttpRequest) -> HttpResponse:
        phone = request.GET.get("phone", "").strip()
        customer = (
            intake_selectors.customer_by_phone(agency=self.agency, phone=phone) if phone else None
        )
        orders = (
            list(
                order_selectors.orders_for(agency=self.agency)
                .filter(customer=customer)
                .order_by("-starts_at", "-id")[:10]
            )
            if customer
            else []
        )
        return render(
            request,
            "complaints/_customer_lookup.html",
            {"customer": customer, "orders": orders, "phone": phone},
        )


class ComplaintTierView(TenantMixin, View):
    """HTMX: the tier choice with the category's suggestion selected."""

    area = Area.COMPLAINTS

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ComplaintTakeForm(
            agency=self.agency, initial={"category": request.GET.get("category", "")}
        )
        return render(request, "complaints/_tier_field.html", {"form": form})
