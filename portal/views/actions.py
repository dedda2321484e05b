"""The customer's own actions on their portal: move or cancel an upcoming order, file a
complaint, ask for a callback, change how they hear from the agency, give feedback.

Each page calls the service the office's pages use (the rules live there) as the customer
(`self.actor`), so each action is on the order's timeline and in the audit log as
"the customer". What an action would cost is shown BEFORE the customer confirms.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from agency.errors import StateConflict
from agency.idempotency import RepeatedSubmission
from complaints.services.intake import complaint_file
from feedback.models import FeedbackRequest
from feedback.services import Answers, feedback_give
from feedback.views import FeedbackForm
from orders.intake.services.callbacks import callback_request
from orders.intake.services.cancellation import cancellation_terms, order_request_cancellation
from orders.intake.services.customers import customer_preferences_update
from orders.models import SERVED, Order, SignedVia
from orders.schedule.reschedule import order_request_reschedule, reschedule_terms
from portal import selectors
from portal.forms_actions import (
    CallbackForm,
    CancelForm,
    ComplaintForm,
    PreferencesForm,
    RescheduleForm,
    show_refusal,
)
from portal.views.base import PortalCustomerMixin
from portal.wording import cancel_answer, move_answer


class PortalFormView(PortalCustomerMixin, FormView):
    """A portal form: refused input is shown again with a 400, next to its fields."""

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refused(self, form: Any, error: ValidationError | StateConflict, **rename: str) -> Any:
        show_refusal(form, error, rename)
        return self.form_invalid(form)


class OrderActionView(PortalFormView):
    """An action on one of the customer's orders (another customer's is a 404)."""

    model = Order
    order: Order

    def enter(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.customer is not None:
            self.order = get_object_or_404(
                selectors.orders_for(agency=self.agency, customer=self.customer).select_related(
                    "agency", "customer"
                ),
                pk=kwargs["pk"],
            )
        return super().enter(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(order=self.order, **kwargs)

    def back_to_order(self, message: str) -> HttpResponse:
        messages.success(self.request, message)
        return redirect(self.portal_url("order", pk=self.order.pk))


class RescheduleView(OrderActionView):
    """Move an upcoming order: free; at once while no staff hold it, else the office calls."""

    template_name = "portal/actions/reschedule.html"
    form_class = RescheduleForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(terms=reschedule_terms(self.order), **kwargs)

    def form_valid(self, form: RescheduleForm) -> HttpResponse:
        try:
            callback = order_request_reschedule(
                order=self.order,
                actor=self.actor,
                starts_at=form.starts_at(self.agency),
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, StateConflict) as error:
            return self.refused(form, error, starts_at="day")
        return self.back_to_order(move_answer(moved=callback is None))


class CancelView(OrderActionView):
    """Cancel an upcoming order under the agency's policy, the fee (or none) shown first."""

    template_name = "portal/actions/cancel.html"
    form_class = CancelForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(terms=cancellation_terms(self.order), **kwargs)

    def form_valid(self, form: CancelForm) -> HttpResponse:
        try:
            cancellation = order_request_cancellation(
                order=self.order,
                actor=self.actor,
                reason=form.cleaned_data["reason"],
                signed_name=form.cleaned_data["signed_name"],
                via=SignedVia.LINK,
                user_agent=self.request.headers.get("User-Agent", ""),
            )
        except (ValidationError, StateConflict) as error:
            return self.refused(form, error)
        return self.back_to_order(cancel_answer(fee=cancellation.fee))


class FeedbackGiveView(OrderActionView):
    """Feedback on a served order, at any time, once."""

    template_name = "portal/actions/feedback.html"
    form_class = FeedbackForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        given = FeedbackRequest.objects.filter(
            agency=self.agency, order=self.order, answered_at__isnull=False
        ).exists()
        served = self.order.status in SERVED
        return super().get_context_data(given=given, served=served, **kwargs)

    def form_valid(self, form: FeedbackForm) -> HttpResponse:
        try:
            feedback_give(order=self.order, actor=self.actor, answers=Answers(**form.cleaned_data))
        except (ValidationError, StateConflict) as error:
            return self.refused(form, error)
        return self.back_to_order(_("Thank you for your feedback."))


class ComplaintFileView(PortalFormView):
    """A complaint, about one of the customer's orders (`?order=`) or in general, with photos."""

    template_name = "portal/actions/complaint.html"
    form_class = ComplaintForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "orders": selectors.orders_for(agency=self.agency, customer=self.customer),
        }

    def get_initial(self) -> dict[str, Any]:
        return {"order": self.request.GET.get("order")}

    def form_valid(self, form: ComplaintForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            complaint = complaint_file(
                customer=self.customer,
                actor=self.actor,
                category=data["category"],
                description=data["description"],
                desired_outcome=data["desired_outcome"],
                order=data["order"],
                attachments=data["attachments"],
                submission_key=data["submission_key"],
            )
        except RepeatedSubmission:
            return redirect(self.portal_url("complaints"))
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(
            self.request,
            _("Your complaint %(number)s is received; we will contact you.")
            % {"number": complaint.number},
        )
        return redirect(self.portal_url("complaints"))


class CallbackView(PortalFormView):
    """Ask the office to call: due at the time the customer chose, else at once."""

    template_name = "portal/actions/callback.html"
    form_class = CallbackForm

    def form_valid(self, form: CallbackForm) -> HttpResponse:
        try:
            callback_request(
                customer=self.customer,
                actor=self.actor,
                note=form.cleaned_data["note"],
                when=form.cleaned_data["when"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except RepeatedSubmission:
            pass
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(self.request, _("We will call you back."))
        return redirect(self.portal_url("home"))


class PreferencesView(PortalFormView):
    """How the customer hears from the agency: channel, email, quiet hours, promotions,
    language. Their name and phone stay the office's to change."""

    template_name = "portal/actions/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self) -> dict[str, Any]:
        # A copy: the form's checks write onto it, the service changes the customer.
        return {
            **super().get_form_kwargs(),
            "instance": selectors.customer_for(agency=self.agency, customer_id=self.customer.pk),
        }

    def form_valid(self, form: PreferencesForm) -> HttpResponse:
        chosen = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            customer_preferences_update(customer=self.customer, actor=self.actor, **chosen)
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(self.request, _("Your preferences are saved."))
        return redirect(self.portal_url("preferences"))
