"""The orders API's shapes. Thin: they parse input and show objects; every rule is a service's.

Personal data stays masked: a customer's phone and street address appear only
through the audited `reveal` action, never in a serializer's output.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.models import Branch
from orders.models import (
    AssignmentRole,
    AssignmentStatus,
    Customer,
    CustomerSignature,
    Order,
    OrderEvent,
    OrderStatus,
    Punctuality,
    ServiceType,
)
from staff.models import StaffMember


@extend_schema_field(
    {"type": "string", "enum": list(OrderStatus.values)}, component_name="OrderStatusEnum"
)
class OrderStatusField(serializers.ChoiceField):
    """An order's status; a timeline note (no status change) shows null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=OrderStatus.choices, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value or None


def username_field(source: str) -> serializers.CharField:
    """Who did it, by username; null when nobody (the system) or the user is gone."""
    return serializers.CharField(source=f"{source}.username", read_only=True, allow_null=True)


class CustomerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "masked_phone", "special_attention"]
        read_only_fields = fields


class ServiceTypeBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ServiceType
        fields = ["id", "code", "name", "is_special"]
        read_only_fields = fields


class BranchBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Branch
        fields = ["id", "code", "name"]
        read_only_fields = fields


class OrderEventSerializer(serializers.ModelSerializer):
    """One line of the timeline; `from_status`/`to_status` are null on a note."""

    from_status = OrderStatusField(read_only=True, allow_null=True)
    to_status = OrderStatusField(read_only=True, allow_null=True)
    actor = username_field("actor")

    class Meta:
        model = OrderEvent
        fields = ["id", "from_status", "to_status", "actor", "reason", "created_at"]
        read_only_fields = fields


class SignatureSerializer(serializers.ModelSerializer):
    """A customer's signature, or the office's verification in its place (who and why)."""

    verified_by = username_field("verified_by")

    class Meta:
        model = CustomerSignature
        fields = [
            "id",
            "purpose",
            "via",
            "signed_name",
            "signed_at",
            "verified_by",
            "verification_reason",
        ]
        read_only_fields = fields


class StaffBriefSerializer(serializers.ModelSerializer):
    """A staff member as orders show them: never the phone (DESIGN.md, "Who uses it")."""

    class Meta:
        model = StaffMember
        fields = ["id", "name"]
        read_only_fields = fields


@extend_schema_field(
    {"type": "string", "enum": list(AssignmentRole.values)}, component_name="AssignmentRoleEnum"
)
class AssignmentRoleField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AssignmentRole.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(AssignmentStatus.values)},
    component_name="AssignmentStatusEnum",
)
class AssignmentStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AssignmentStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": ["", *Punctuality.values]},
    component_name="PunctualityEnum",
)
class PunctualityField(serializers.ChoiceField):
    """How the person arrived; "" while not yet known."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[("", ""), *Punctuality.choices], **kwargs)


class OrderBriefSerializer(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.name", read_only=True)
    service_type = serializers.CharField(source="service_type.name", read_only=True)

    class Meta:
        model = Order
        fields = ["id", "number", "customer", "service_type", "starts_at"]
        read_only_fields = fields


class OrderRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "number"]
        read_only_fields = fields
