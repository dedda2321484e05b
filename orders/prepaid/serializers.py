"""The prepaid API's shapes. Thin: every rule is the services' (`orders.prepaid.services`,
`orders.prepaid.refunds`). Amounts are strings with two decimals in the agency's currency;
a card's balance is money for a stored-value card, visits for a package."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.serializers import TenantPrimaryKeyRelatedField
from orders.billing.serializers import OfficeMethodField, PaymentMethodField, username_field
from orders.models import (
    CardEntry,
    CardEntryKind,
    CardRefund,
    CardRefundStatus,
    CardStatus,
    Customer,
    Invoice,
    PrepaidCard,
    PrepaidProduct,
    ProductKind,
    ServiceType,
)
from orders.serializers import CustomerBriefSerializer


@extend_schema_field(
    {"type": "string", "enum": list(ProductKind.values)}, component_name="PrepaidProductKindEnum"
)
class ProductKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ProductKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(CardStatus.values)}, component_name="PrepaidCardStatusEnum"
)
class CardStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CardStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(CardEntryKind.values)}, component_name="PrepaidEntryKindEnum"
)
class EntryKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CardEntryKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(CardRefundStatus.values)},
    component_name="PrepaidRefundStatusEnum",
)
class CardRefundStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CardRefundStatus.choices, **kwargs)


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class ProductSerializer(serializers.ModelSerializer):
    """A product on sale: stored value (`price`, `credit`) or a package (`visits` of
    `service_type`, `hours_per_visit` each). The other kind's fields are ignored."""

    kind = ProductKindField()
    service_type = TenantPrimaryKeyRelatedField(ServiceType, required=False, allow_null=True)

    class Meta:
        model = PrepaidProduct
        fields = [
            "id",
            "kind",
            "name_zh",
            "name_en",
            "price",
            "credit",
            "service_type",
            "visits",
            "hours_per_visit",
            "validity_days",
            "refund_fee_percent",
            "is_active",
        ]
        read_only_fields = ["id"]


class CardSerializer(serializers.ModelSerializer):
    """A card with its balance (the sum of its ledger)."""

    kind = ProductKindField(read_only=True)
    status = CardStatusField(read_only=True)
    customer = CustomerBriefSerializer(read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    method = PaymentMethodField(read_only=True)
    balance_amount = _money(read_only=True, help_text="Stored value left (0 for a package).")
    balance_visits = serializers.IntegerField(
        read_only=True, help_text="Visits left (0 for stored value)."
    )

    class Meta:
        model = PrepaidCard
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "customer",
            "product",
            "product_name",
            "price_paid",
            "credit",
            "service_type",
            "visits",
            "hours_per_visit",
            "refund_fee_percent",
            "valid_until",
            "method",
            "reference",
            "sold_at",
            "balance_amount",
            "balance_visits",
        ]
        read_only_fields = fields


class SellSerializer(serializers.Serializer):
    customer = TenantPrimaryKeyRelatedField(Customer)
    product = TenantPrimaryKeyRelatedField(PrepaidProduct)
    method = OfficeMethodField()
    reference = serializers.CharField(max_length=100, required=False, default="")


class EntrySerializer(serializers.ModelSerializer):
    kind = EntryKindField(read_only=True)
    invoice_number = serializers.CharField(source="invoice.number", read_only=True, allow_null=True)
    receipt_number = serializers.CharField(
        source="payment.receipt_number", read_only=True, allow_null=True
    )
    created_by = username_field("created_by")

    class Meta:
        model = CardEntry
        fields = [
            "id",
            "kind",
            "amount",
            "visits",
            "invoice",
            "invoice_number",
            "receipt_number",
            "order",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class CardPaySerializer(serializers.Serializer):
    invoice = TenantPrimaryKeyRelatedField(Invoice)
    amount = _money(
        required=False,
        allow_null=True,
        default=None,
        help_text="Stored value only; empty pays all it can. A package pays one visit.",
    )


class CardRefundRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CardRefundSerializer(serializers.ModelSerializer):
    status = CardRefundStatusField(read_only=True)
    card_number = serializers.CharField(source="card.number", read_only=True)
    method = PaymentMethodField(read_only=True)
    requested_by = username_field("requested_by")
    decided_by = username_field("decided_by")
    paid_back_by = username_field("paid_back_by")

    class Meta:
        model = CardRefund
        fields = [
            "id",
            "card",
            "card_number",
            "refundable",
            "fee",
            "amount",
            "reason",
            "status",
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


class PayBackSerializer(serializers.Serializer):
    method = OfficeMethodField()
    reference = serializers.CharField(max_length=100, required=False, default="")
