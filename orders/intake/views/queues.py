"""Work queues: callbacks due (回电) and late cancellations waiting for a manager."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from agency.action_views import QuickActionMixin
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from orders.intake import selectors
from orders.intake.forms import CallbackDoneForm, DecisionForm
from orders.intake.services.callbacks import callback_complete
from orders.intake.services.cancellation import cancellation_approve, cancellation_reject
from orders.models import Callback, Cancellation


class CallbackQueueView(TenantMixin, ListView):
    area = Area.ORDERS
    template_name = "orders/callbacks.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Callback]:
        return selectors.callbacks_open(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(now=timezone.now(), form=CallbackDoneForm(), **kwargs)


class CallbackCompleteView(QuickActionMixin, TenantObjectMixin, View):
    """Done: what the customer said, and back to the queue."""

    area = Area.ORDERS
    model = Callback
    form_class = CallbackDoneForm
    invalid_message = gettext_lazy("Note what the customer said.")

    def get_queryset(self) -> QuerySet[Callback]:
        return selectors.callbacks_open(agency=self.agency)

    def default_url(self) -> str:
        return reverse("callback_queue")

    def act(self, callback: Callback, form: CallbackDoneForm) -> str:
        callback_complete(callback=callback, actor=self.actor, **form.cleaned_data)
        return _("Callback to %(customer)s done.") % {"customer": callback.customer}


class ApprovalQueueView(TenantMixin, ListView):
    """Late cancellations waiting for a manager (经理审批)."""

    area = Area.APPROVALS
    template_name = "orders/approvals.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Cancellation]:
        return selectors.cancellations_awaiting(agency=self.agency).order_by("requested_at")


class CancellationDecisionView(QuickActionMixin, TenantObjectMixin, View):
    """Approve or reject a late cancellation, from the queue or the order page (`next`)."""

    area = Area.APPROVALS
    model = Cancellation
    form_class = DecisionForm
    approve = True

    def get_queryset(self) -> QuerySet[Cancellation]:
        return selectors.cancellations_for(agency=self.agency)

    def default_url(self) -> str:
        return reverse("approval_queue")

    def act(self, cancellation: Cancellation, form: DecisionForm) -> str:
        note = form.cleaned_data["note"]
        if self.approve:
            cancellation_approve(cancellation=cancellation, actor=self.actor, note_text=note)
            return _("Cancellation of %(order)s approved.") % {"order": cancellation.order}
        cancellation_reject(cancellation=cancellation, actor=self.actor, note_text=note)
        return _("Cancellation of %(order)s rejected.") % {"order": cancellation.order}
