"""The billing API: invoices and credit notes, payments with their receipts, refunds.

Reads through `orders.billing.selectors` and the billing list's
`orders.billing.filters.InvoiceFilter` (the same rules as the pages).

Thin, like `orders.api`: reads are the request's agency's querysets, writes are
one service of `orders.billing.services` each, which holds every rule (who may,
in which state, how much: DESIGN.md, "Billing"). Each step is a POST to its own
URL (`/api/invoices/{id}/issue/`) and looks the object up with `get_object`,
so another agency's id answers 404 like a missing one; a wrong state answers
409, a wrong role 403, bad input 400 with the field's message and nothing
written. Finance and managers work here (area billing); the services let only
a manager adjust a draft or decide a refund.
"""

from typing import Any

import django_filters
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    QuerySet,
)
from django.http import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, TenantViewSet
from agency.documents import DOCUMENT_RESPONSES, document_api_response
from agency.filters import DayFilter
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from agency.models import Agency
from agency.pdf import PDF_RENDERERS
from agency.permissions import Area
from orders.billing import selectors
from orders.billing.documents import invoice_document, receipt_document
from orders.billing.filters import InvoiceFilter
from orders.billing.serializers import (
    AdjustSerializer,
    CreditNoteSerializer,
    InvoiceDetailSerializer,
    InvoiceSerializer,
    PaymentRecordSerializer,
    PaymentSerializer,
    RefundPayBackSerializer,
    RefundRequestSerializer,
    RefundSerializer,
)
from orders.billing.services import (
    credit_note_issue,
    invoice_adjust,
    invoice_issue,
    payment_record,
    refund_decide,
    refund_pay_back,
    refund_request,
)
from orders.models import (
    Invoice,
    InvoiceLine,
    Order,
    Payment,
    PaymentMethod,
    Refund,
    RefundStatus,
)

# --- filters: the pages' InvoiceFilter, plus what only API clients ask for -----------


class InvoiceApiFilter(InvoiceFilter):
    """The billing list's filters, and `order` (choices from the request's agency only)."""

    order = django_filters.ModelChoiceFilter(
        label=_("order"),
        queryset=Order.objects.none(),
        method="filter_order",
        help_text="Invoices with a line of this order (its service, a change or its fee).",
    )

    class Meta(InvoiceFilter.Meta):
        fields = [*InvoiceFilter.Meta.fields, "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["order"].queryset = Order.objects.filter(agency=self.request.agency)

    def filter_order(
        self, queryset: QuerySet[Invoice], name: str, value: Order
    ) -> QuerySet[Invoice]:
        # Exists, not a join: an invoice with two lines of the order is listed once.
        lines = InvoiceLine.objects.filter(invoice=OuterRef("pk"), order=value)
        return queryset.filter(Exists(lines))


def with_overdue(invoices: QuerySet[Invoice], *, agency: Agency) -> QuerySet[Invoice]:
    """`is_overdue` on each row, by the same rule as the `overdue` filter."""
    overdue = selectors.overdue_q(agency.today())
    return invoices.annotate(is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))


class PaymentFilter(django_filters.FilterSet):
    invoice = django_filters.ModelChoiceFilter(label=_("invoice"), queryset=Invoice.objects.none())
    method = django_filters.ChoiceFilter(label=_("method"), choices=PaymentMethod.choices)
    received_after = DayFilter(
        label=_("received from"), field_name="received_at", lookup_expr="date__gte"
    )
    received_before = DayFilter(
        label=_("received until"), field_name="received_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Payment
        fields = ["invoice", "method", "received_after", "received_before"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["invoice"].queryset = Invoice.objects.filter(agency=self.request.agency)


class RefundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=RefundStatus.choices)
    invoice = django_filters.ModelChoiceFilter(label=_("invoice"), queryset=Invoice.objects.none())

    class Meta:
        model = Refund
        fields = ["status", "invoice"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["invoice"].queryset = Invoice.objects.filter(agency=self.request.agency)


# --- invoices -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Invoices and credit notes; by status, period, customer, branch, order, overdue"
    ),
    retrieve=extend_schema(
        summary="An invoice: lines (adjustments with reason and manager), payments with "
        "receipt numbers, credit notes, refunds, the open amount"
    ),
)
class InvoiceViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Invoices (发票) and credit notes (红字发票): drafted from accepted orders and
    cancellation fees, never typed freely; an issued one is corrected by a credit note."""

    area = Area.BILLING
    model = Invoice
    filterset_class = InvoiceApiFilter
    ordering_fields = ["created_at", "issued_at", "due_on", "number", "total"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return InvoiceSerializer if self.action == "list" else InvoiceDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Invoice]:
        if self.action == "retrieve":
            return self.detail_queryset(agency)
        # The list, and the steps: the services lock and read the row again themselves.
        return with_overdue(selectors.invoices_for(agency=agency), agency=agency)

    def detail_queryset(self, agency: Agency) -> QuerySet[Invoice]:
        detail = selectors.invoice_detail(agency=agency).select_related("issued_by")
        return with_overdue(detail, agency=agency)

    def detail_of(self, invoice: Invoice) -> dict[str, Any]:
        """The invoice as its detail shows it, read again after a service changed it."""
        fresh = self.detail_queryset(self.agency).get(pk=invoice.pk)
        return dict(InvoiceDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Issue a draft: its number (gapless per agency and year), date and due date",
        description="Issued already: 409. A draft without lines: 400.",
        request=None,
        responses=InvoiceDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        invoice = invoice_issue(invoice=self.get_object(), actor=self.actor)
        return Response(self.detail_of(invoice))

    @extend_schema(
        summary="A manager's adjustment of a draft, with the reason shown on the invoice",
        description="Not a manager: 403. An issued invoice is never edited (issue a credit "
        "note): 409.",
        request=AdjustSerializer,
        responses=InvoiceDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def adjust(self, request: Request, pk: str | None = None) -> Response:
        invoice = self.get_object()
        data = self.action_input(AdjustSerializer)
        invoice = invoice_adjust(invoice=invoice, actor=self.actor, **data)
        return Response(self.detail_of(invoice))

    @extend_schema(
        summary="Record a payment (recorded, not processed) and issue its receipt (收据)",
        description="At most the open amount, in whole cents (400 on `amount`). The invoice, "
        "and its orders, are paid once settled. A draft or a paid invoice: 409.",
        request=PaymentRecordSerializer,
        responses={201: PaymentSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def payments(self, request: Request, pk: str | None = None) -> Response:
        invoice = self.get_object()
        data = self.action_input(PaymentRecordSerializer)
        payment = payment_record(invoice=invoice, actor=self.actor, **data)
        fresh = selectors.payments_for(agency=self.agency).get(pk=payment.pk)
        return Response(PaymentSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct an issued invoice by a credit note: all that is left, or an amount",
        description="A draft, or a credit note: 409.",
        request=CreditNoteSerializer,
        responses={201: InvoiceDetailSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path="credit-note")
    @idempotent
    def credit_note(self, request: Request, pk: str | None = None) -> Response:
        invoice = self.get_object()
        data = self.action_input(CreditNoteSerializer)
        note = credit_note_issue(invoice=invoice, actor=self.actor, **data)
        return Response(self.detail_of(note), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ask to pay money back; a manager approves it before finance pays it back",
        description="At most what was paid and is not being refunded yet (400 on `amount`).",
        request=RefundRequestSerializer,
        responses={201: RefundSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def refunds(self, request: Request, pk: str | None = None) -> Response:
        invoice = self.get_object()
        data = self.action_input(RefundRequestSerializer)
        refund = refund_request(invoice=invoice, actor=self.actor, **data)
        fresh = selectors.refunds_for(agency=self.agency).get(pk=refund.pk)
        return Response(RefundSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The invoice or credit note as a PDF, in the customer's language",
        responses=DOCUMENT_RESPONSES,
    )
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        invoice = self.get_object()
        name = invoice.number or f"draft-{invoice.pk}"
        key = invoice_document(invoice, agency=self.agency, filename=f"{invoice.kind}-{name}.pdf")
        return document_api_response(key=key)


# --- payments -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Payments with their receipt numbers; by invoice, method, period"),
    retrieve=extend_schema(summary="A payment and its receipt number"),
)
class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Payments (收款) as recorded, each with its receipt. Recorded on the invoice
    (`POST /api/invoices/{id}/payments/`), never edited."""

    area = Area.BILLING
    model = Payment
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    ordering_fields = ["received_at", "receipt_number", "amount"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Payment]:
        return selectors.payments_for(agency=agency)

    @extend_schema(
        summary="The payment's receipt (收据) as a PDF, in the customer's language",
        responses=DOCUMENT_RESPONSES,
    )
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def receipt(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        payment = self.get_object()
        return document_api_response(key=receipt_document(payment, agency=self.agency))


# --- refunds --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Refunds; `?status=requested` for the manager's approvals"),
    retrieve=extend_schema(summary="A refund: who asked, who decided, who paid it back"),
)
class RefundViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Refunds (退款): finance asks, a manager approves or rejects, finance pays back."""

    area = Area.BILLING
    model = Refund
    serializer_class = RefundSerializer
    filterset_class = RefundFilter
    ordering_fields = ["requested_at", "amount"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Refund]:
        return selectors.refunds_for(agency=agency)

    def answer(self, refund: Refund) -> Response:
        fresh = selectors.refunds_for(agency=self.agency).get(pk=refund.pk)
        return Response(RefundSerializer(fresh).data)

    @extend_schema(
        summary="A manager approves the refund; finance may then pay it back",
        description="Not a manager: 403. Decided already: 409.",
        request=None,
        responses=RefundSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self.answer(refund_decide(refund=self.get_object(), actor=self.actor, approve=True))

    @extend_schema(
        summary="A manager rejects the refund",
        description="Not a manager: 403. Decided already: 409.",
        request=None,
        responses=RefundSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self.answer(refund_decide(refund=self.get_object(), actor=self.actor, approve=False))

    @extend_schema(
        summary="Record the money paid back, once a manager approved the refund",
        description="Not approved (yet), or paid back already: 409.",
        request=RefundPayBackSerializer,
        responses=RefundSerializer,
    )
    @action(detail=True, methods=["post"], url_path="pay-back")
    def pay_back(self, request: Request, pk: str | None = None) -> Response:
        refund = self.get_object()
        data = self.action_input(RefundPayBackSerializer)
        return self.answer(refund_pay_back(refund=refund, actor=self.actor, **data))
