"""Work queues: callbacks due (回电) and late cancellations waiting for a manager."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView

from agency.errors import StateConflict
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin, back
from orders import selectors
from orders.forms import CallbackDoneForm, DecisionForm
from orders.models import Callback, Cancellation
from orders.services.callbacks import callback_complete
from orders.services.cancellation import cancellation_approve, cancellation_reject


class CallbackQueueView(TenantMixin, ListView):
    area = Area.ORDERS
    template_name = "orders/callbacks.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Callback]:
        return selectors.callbacks_open(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(now=timezone.now(), form=CallbackDoneForm(), **kwargs)


class CallbackCompleteView(TenantObjectMixin, ListView):
    area = Area.ORDERS
    model = Callback
    http_method_names = ["post"]

    def get_queryset(self) -> QuerySet[Callback]:
        return selectors.callbacks_open(agency=self.agency)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        callback = self.get_object()
        form = CallbackDoneForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Note what the customer said."))
            return redirect("callback_queue")
        try:
            callback_complete(callback=callback, actor=self.actor, **form.cleaned_data)
        except StateConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(
                request, _("Callback to %(customer)s done.") % {"customer": callback.customer}
            )
        return redirect("callback_queue")


class ApprovalQueueView(TenantMixin, ListView):
    """Late cancellations waiting for a manager (经理审批)."""

    area = Area.APPROVALS
    template_name = "orders/approvals.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Cancellation]:
        return selectors.cancellations_awaiting(agency=self.agency).order_by("requested_at")


class CancellationDecisionView(TenantObjectMixin, ListView):
    area = Area.APPROVALS
    model = Cancellation
    http_method_names = ["post"]
    approve = True

    def get_queryset(self) -> QuerySet[Cancellation]:
        return selectors.cancellations_for(agency=self.agency)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cancellation = self.get_object()
        form = DecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            if self.approve:
                cancellation_approve(cancellation=cancellation, actor=self.actor, note_text=note)
                messages.success(
                    request,
                    _("Cancellation of %(order)s approved.") % {"order": cancellation.order},
                )
            else:
                cancellation_reject(cancellation=cancellation, actor=self.actor, note_text=note)
                messages.success(
                    request,
                    _("Cancellation of %(order)s rejected.") % {"order": cancellation.order},
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except StateConflict as conflict:
            messages.error(request, str(conflict))
        return back(request, default="approval_queue")
