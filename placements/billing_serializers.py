"""The placement billing API's shapes: the schedule's charges, the settlement, and the
termination's input."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from placements.billing import REASON_MAX_LENGTH
from placements.models import PlacementCharge, Settlement


class PlacementChargeSerializer(serializers.ModelSerializer):
    invoice_number = serializers.SerializerMethodField()

    class Meta:
        model = PlacementCharge
        fields = [
            "id",
            "kind",
            "period_start",
            "period_end",
            "due_on",
            "amount",
            "state",
            "invoice",
            "invoice_number",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_invoice_number(self, charge: PlacementCharge) -> str | None:
        return charge.invoice.number if charge.invoice else None


class PlacementSettlementSerializer(serializers.ModelSerializer):
    refund_status = serializers.CharField(source="refund.status", read_only=True, default=None)

    class Meta:
        model = Settlement
        fields = [
            "id",
            "placement",
            "kind",
            "last_day",
            "reason",
            "days_served",
            "credited",
            "deposit",
            "deductions",
            "deduction_reason",
            "deposit_returned",
            "refund",
            "refund_status",
            "cancelled_charges",
            "created_at",
        ]
        read_only_fields = fields


class PlacementTerminateSerializer(serializers.Serializer):
    """An early end: why, the last day served, and what is kept of the deposit."""

    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)
    last_day = serializers.DateField()
    deductions = serializers.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    deduction_reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
