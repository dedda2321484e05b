"""The billing API's shapes. Thin: they parse input and show objects; every rule (who may,
in which state, how much) is `orders.billing.services`'.

Amounts are strings with two decimals, in the invoice's `currency`. An amount
with more than two decimals is refused here (400 on the field); zero, negative
or too much is refused by the service (400 on the field too).
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.bounds import PlausibleDateTimeField
from agency.serializers import TenantPrimaryKeyRelatedField
from orders.models import (
    OFFICE_METHODS,
    Cancellation,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Payment,
    PaymentMethod,
    Refund,
    RefundStatus,
)
from orders.serializers import BranchBriefSerializer, CustomerBriefSerializer, OrderRefSerializer

# Named enum components: `status`, `kind` and `method` mean different things on invoices,
# lines, refunds, orders and complaints, which drf-spectacular cannot name apart by itself.


@extend_schema_field(
    {"type": "string", "enum": list(InvoiceStatus.values)}, component_name="InvoiceStatusEnum"
)
class InvoiceStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=InvoiceStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(InvoiceKind.values)}, component_name="InvoiceKindEnum"
)
class InvoiceKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=InvoiceKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(LineKind.values)}, component_name="InvoiceLineKindEnum"
)
class LineKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=LineKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(PaymentMethod.values)}, component_name="PaymentMethodEnum"
)
class PaymentMethodField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=PaymentMethod.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": [value for value, _label in OFFICE_METHODS]},
    component_name="OfficePaymentMethodEnum",
)
class OfficeMethodField(serializers.ChoiceField):
    """How finance took or paid back money by hand (never a prepaid balance)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=OFFICE_METHODS, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(RefundStatus.values)}, component_name="RefundStatusEnum"
)
class RefundStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RefundStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": [*PaymentMethod.values, ""]},
    component_name="RefundMethodEnum",
)
class RefundMethodField(serializers.ChoiceField):
    """How the money went back; blank until it is paid back."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=PaymentMethod.choices, allow_blank=True, **kwargs)


def username_field(source: str) -> serializers.CharField:
    """Who did it, by username; null when nobody (yet)."""
    return serializers.CharField(source=f"{source}.username", read_only=True, allow_null=True)


def _money(**kwargs: Any) -> serializers.DecimalField:
    kwargs.setdefault("max_digits", 12)
    return serializers.DecimalField(decimal_places=2, **kwargs)


# --- shown ------------------------------------------------------------------------


class InvoiceRefSerializer(serializers.ModelSerializer):
    """The invoice a payment, refund or credit note belongs to."""

    class Meta:
        model = Invoice
        fields = ["id", "number"]
        read_only_fields = fields


class InvoiceSerializer(serializers.ModelSerializer):
    """An invoice (or credit note) as a list row shows it: only what the list query joins in."""

    kind = InvoiceKindField(read_only=True)
    status = InvoiceStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    customer = CustomerBriefSerializer(read_only=True)
    branch = BranchBriefSerializer(read_only=True)
    credits = InvoiceRefSerializer(read_only=True, allow_null=True)
    open_amount = _money(read_only=True)
    overdue = serializers.BooleanField(
        source="is_overdue",
        read_only=True,
        help_text="Issued, not settled, and its due date passed (in the agency's time zone).",
    )

    class Meta:
        model = Invoice
        fields = [
            "id",
            "kind",
            "number",
            "status",
            "status_label",
            "customer",
            "branch",
            "credits",
            "period_month",
            "currency",
            "tax_rate_percent",
            "subtotal",
            "tax",
            "total",
            "paid",
            "credited",
            "open_amount",
            "overdue",
            "issued_at",
            "due_on",
            "created_at",
        ]
        read_only_fields = fields


class InvoiceLineSerializer(serializers.ModelSerializer):
    """A line and what it comes from; an adjustment with its reason and approving manager."""

    kind = LineKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    order = OrderRefSerializer(read_only=True, allow_null=True)
    approved_by = username_field("approved_by")

    class Meta:
        model = InvoiceLine
        fields = [
            "id",
            "kind",
            "kind_label",
            "order",
            "quote",
            "change",
            "cancellation",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "amount",
            "reason",
            "approved_by",
        ]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    """A payment and its receipt (收据) number."""

    invoice = InvoiceRefSerializer(read_only=True)
    method = PaymentMethodField(read_only=True)
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    taken_by = username_field("taken_by")

    class Meta:
        model = Payment
        fields = [
            "id",
            "invoice",
            "receipt_number",
            "amount",
            "method",
            "method_label",
            "received_at",
            "reference",
            "taken_by",
            "created_at",
        ]
        read_only_fields = fields


class RefundSerializer(serializers.ModelSerializer):
    """Money paid back: requested, approved (or rejected) by a manager, paid back by finance."""

    invoice = InvoiceRefSerializer(read_only=True)
    status = RefundStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    method = RefundMethodField(read_only=True)
    requested_by = username_field("requested_by")
    decided_by = username_field("decided_by")
    paid_back_by = username_field("paid_back_by")

    class Meta:
        model = Refund
        fields = [
            "id",
            "invoice",
            "cancellation",
            "amount",
            "reason",
            "status",
            "status_label",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "method",
            "reference",
            "paid_back_by",
            "paid_back_at",
        ]
        read_only_fields = fields


class CreditNoteBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "number", "total", "note", "issued_at"]
        read_only_fields = fields


class InvoiceDetailSerializer(InvoiceSerializer):
    """An invoice with its lines, payments and receipts, credit notes and refunds."""

    lines = InvoiceLineSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    credit_notes = CreditNoteBriefSerializer(many=True, read_only=True)
    refunds = RefundSerializer(many=True, read_only=True)
    issued_by = username_field("issued_by")

    class Meta(InvoiceSerializer.Meta):
        fields = [
            *InvoiceSerializer.Meta.fields,
            "language",
            "note",
            "issued_by",
            "lines",
            "payments",
            "credit_notes",
            "refunds",
        ]
        read_only_fields = fields


# --- input ------------------------------------------------------------------------


class AdjustSerializer(serializers.Serializer):
    # It becomes an invoice line's unit price, which holds ten digits.
    amount = _money(max_digits=10, help_text="Added to the draft; negative to take off.")
    reason = serializers.CharField(max_length=300, help_text="Shown on the invoice.")


class PaymentRecordSerializer(serializers.Serializer):
    amount = _money(help_text="More than zero, at most the open amount.")
    method = OfficeMethodField()
    received_at = PlausibleDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Default: now.",
    )
    reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="The transfer's or the WeChat Pay / Alipay transaction number.",
    )


class CreditNoteSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    amount = _money(
        required=False,
        allow_null=True,
        default=None,
        help_text="Default: all that is not credited yet.",
    )


class RefundRequestSerializer(serializers.Serializer):
    amount = _money(help_text="At most what was paid and is not being refunded yet.")
    reason = serializers.CharField(max_length=300)
    cancellation = TenantPrimaryKeyRelatedField(
        Cancellation,
        required=False,
        allow_null=True,
        default=None,
        help_text="The cancellation the money goes back for, if any.",
    )


class RefundPayBackSerializer(serializers.Serializer):
    method = OfficeMethodField()
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
