"""The office's online-payment pages: an invoice's QR code, the notifications refused, the
refunds a provider refused, the reconciliation differences (finance; DESIGN.md "Who uses it")."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views import View
from django.views.generic import TemplateView

from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from orders.billing import selectors as billing_selectors
from orders.models import Invoice
from orders.payments import selectors
from orders.payments.pages import pay_code


class InvoicePayCodeView(TenantObjectMixin, View):
    """The QR code the customer scans at the office counter (Native pay)."""

    area = Area.BILLING
    model = Invoice

    def get_queryset(self) -> QuerySet[Invoice]:
        return billing_selectors.invoices_for(agency=self.agency)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return pay_code(
            request,
            invoice=self.object,
            actor=self.actor,
            template="payments/pay_code.html",
            context={"base_template": "base.html"},
        )

    post = get


class RefusedNotificationsView(TenantMixin, TemplateView):
    """What the providers said that recorded no payment, and refunds they turned down."""

    area = Area.BILLING
    template_name = "payments/refused.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            refused=list(selectors.refused_notifications(agency=self.agency)[:200]),
            failed_refunds=list(selectors.failed_refunds(agency=self.agency)[:200]),
            **kwargs,
        )


class ReconciliationView(TenantMixin, TemplateView):
    """Where the providers' daily bills and the recorded payments disagree."""

    area = Area.BILLING
    template_name = "payments/reconciliation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            differences=list(selectors.differences(agency=self.agency)[:500]),
            runs=list(selectors.recent_runs(agency=self.agency)[:14]),
            **kwargs,
        )
