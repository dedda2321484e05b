"""The signed-in customer's pages: home, orders, one order, invoices, complaints, feedback.

Read-only; what the customer signs or answers opens the existing signed-link
pages (the to-do list), so no signing rule is repeated here.
"""

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView

from agency.documents import document_response
from orders.billing.documents import invoice_document, receipt_document
from orders.customer_link import customer_link
from orders.models import Invoice, Order, Payment
from portal import money, selectors
from portal.views.base import PortalCustomerMixin


class HomeView(PortalCustomerMixin, TemplateView):
    """What is coming, what waits for the customer, and the latest past orders."""

    template_name = "portal/home.html"

    def unknown_agency(self, request: HttpRequest, slug: str) -> HttpResponseBase:
        """`/c/<no agency>/` may be a signed link cut short in a text message: its page
        says so (a whole token has a colon, which no agency's short name has)."""
        return customer_link(request, token=slug)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        now = timezone.now()
        agency, customer = self.agency, self.customer
        past = selectors.past_orders(agency=agency, customer=customer, now=now)
        return super().get_context_data(
            upcoming=list(selectors.upcoming_orders(agency=agency, customer=customer, now=now)),
            past=list(past[: selectors.HOME_PAST_ORDERS]),
            todos=selectors.todos(agency=agency, customer=customer),
            cards=list(money.cards_of(agency=agency, customer=customer)),
            **kwargs,
        )


class OrderListView(PortalCustomerMixin, ListView):
    template_name = "portal/orders.html"
    context_object_name = "orders"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.orders_for(agency=self.agency, customer=self.customer).order_by(
            "-starts_at", "-id"
        )


class OrderDetailView(PortalCustomerMixin, TemplateView):
    template_name = "portal/order.html"
    model = Order

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        order = get_object_or_404(
            selectors.order_detail(agency=self.agency, customer=self.customer).select_related(
                "agency"
            ),
            pk=self.kwargs["pk"],
        )
        return super().get_context_data(
            order=order, staff_cards=selectors.staff_cards(order), **kwargs
        )


class InvoiceListView(PortalCustomerMixin, ListView):
    template_name = "portal/invoices.html"
    context_object_name = "invoices"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.invoices_for(agency=self.agency, customer=self.customer)


class InvoicePdfView(PortalCustomerMixin, View):
    """The invoice's PDF, built by a worker as in the office (a page says when it is ready)."""

    model = Invoice

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        invoice = get_object_or_404(
            selectors.invoices_for(agency=self.agency, customer=self.customer), pk=kwargs["pk"]
        )
        key = invoice_document(invoice, agency=self.agency)
        return document_response(request, key=key, base_template="base_public.html")


class ReceiptPdfView(PortalCustomerMixin, View):
    model = Payment

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        payment = get_object_or_404(
            selectors.receipts_for(agency=self.agency, customer=self.customer), pk=kwargs["pk"]
        )
        key = receipt_document(payment, agency=self.agency)
        return document_response(request, key=key, base_template="base_public.html")


class ComplaintListView(PortalCustomerMixin, ListView):
    template_name = "portal/complaints.html"
    context_object_name = "complaints"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.complaints_for(agency=self.agency, customer=self.customer)


class FeedbackListView(PortalCustomerMixin, ListView):
    template_name = "portal/feedback.html"
    context_object_name = "feedback"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.feedback_for(agency=self.agency, customer=self.customer)
