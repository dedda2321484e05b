"""The placements API's shapes: the placement with its terms, opening one, the terms."""

from rest_framework import serializers

from agency.serializers import TenantPrimaryKeyRelatedField
from orders.models import Order
from placements.models import Placement
from placements.terms import TERM_FIELDS

TERMS = list(TERM_FIELDS)


class PlacementSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    customer = serializers.IntegerField(source="order.customer_id", read_only=True)
    service_type = serializers.IntegerField(source="order.service_type_id", read_only=True)
    trial_ends_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Placement
        fields = [
            "id",
            "order",
            "order_number",
            "customer",
            "service_type",
            "status",
            *TERMS,
            "trial_ends_on",
            "started_at",
            "ended_on",
        ]
        read_only_fields = fields


class PlacementOpenSerializer(serializers.Serializer):
    order = TenantPrimaryKeyRelatedField(Order)


class PlacementTermsSerializer(serializers.ModelSerializer):
    """Every term at once (PUT-like): what is left out is not yet agreed."""

    class Meta:
        model = Placement
        fields = TERMS
