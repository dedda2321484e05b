"""The pay adjustments API's shapes: an adjustment, the proposal, the manager's decision."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from agency.bounds import TEXT_MAX_LENGTH
from payroll.adjustments import DECISION_NOTE_MAX_LENGTH, MAX_AMOUNT
from payroll.models import AdjustmentKind, AdjustmentReason, PayAdjustment, PayStatement
from staff.models import StaffMember


class PayAdjustmentSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    #: None: proposed by Hearth (from a feedback, a complaint, a late check-in).
    proposed_by_name = serializers.CharField(
        source="proposed_by.username", read_only=True, default=None
    )

    class Meta:
        model = PayAdjustment
        fields = [
            "id",
            "staff",
            "staff_name",
            "kind",
            "reason",
            "amount",
            "note",
            "source",
            "link",
            "corrects",
            "status",
            "proposed_by",
            "proposed_by_name",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "settled_in",
        ]
        read_only_fields = fields


class PayAdjustmentProposeSerializer(serializers.Serializer):
    """A reward, a penalty or a deduction (amount positive); or, for finance or a manager,
    the correction of a paid statement (`corrects`, amount signed)."""

    staff = serializers.PrimaryKeyRelatedField(queryset=StaffMember.objects.none())
    kind = serializers.ChoiceField(choices=AdjustmentKind.choices)
    reason = serializers.ChoiceField(choices=AdjustmentReason.choices, required=False)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT
    )
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    corrects = serializers.PrimaryKeyRelatedField(
        queryset=PayStatement.objects.none(), required=False, allow_null=True, default=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema's generation: no agency
            return
        agency = request.agency
        self.fields["staff"].queryset = StaffMember.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["corrects"].queryset = PayStatement.objects.filter(agency=agency)  # type: ignore[attr-defined]

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["kind"] == AdjustmentKind.CORRECTION:
            data["reason"] = AdjustmentReason.CORRECTION
        elif "reason" not in data:
            raise serializers.ValidationError({"reason": [_("Choose a reason.")]})
        elif data["amount"] <= Decimal(0):
            raise serializers.ValidationError(
                {"amount": [_("Enter the amount as a positive number; its kind says the sign.")]}
            )
        return data


class PayAdjustmentDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=DECISION_NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
