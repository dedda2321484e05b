"""The incidents API's shapes: the list row, the detail with its timeline and actions,
and each action's input."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agency.models import Branch, Membership, User
from agency.permissions import ACCESS, Area
from complaints.models import Incident, IncidentAction, IncidentEvent, IncidentKind


class IncidentSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True, default=None)
    complaint_number = serializers.CharField(
        source="complaint.number", read_only=True, default=None
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "branch",
            "branch_name",
            "order",
            "order_number",
            "staff",
            "note",
            "reported_at",
            "owner",
            "damaged_item",
            "damage_description",
            "estimated_amount",
            "complaint",
            "complaint_number",
            "outcome",
            "closed_at",
        ]
        read_only_fields = fields


class IncidentEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentEvent
        fields = ["id", "kind", "text", "actor", "created_at"]
        read_only_fields = fields


class IncidentActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentAction
        fields = ["id", "text", "due_on", "done_at"]
        read_only_fields = fields


class IncidentDetailSerializer(IncidentSerializer):
    events = IncidentEventSerializer(many=True, read_only=True)
    actions = IncidentActionSerializer(many=True, read_only=True)

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "events", "actions"]
        read_only_fields = fields


class IncidentRecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    branch = serializers.PrimaryKeyRelatedField(queryset=Branch.objects.none())
    note = serializers.CharField(max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        agency = getattr(request, "agency", None)
        self.fields["branch"].queryset = Branch.objects.filter(agency=agency)  # type: ignore[attr-defined]


class OwnerSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), help_text=_("An office member of the agency.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = getattr(self.context.get("request"), "agency", None)
        members = Membership.objects.filter(
            agency=agency, role__in=ACCESS[Area.INCIDENTS], is_active=True
        )
        self.fields["owner"].queryset = User.objects.filter(pk__in=members.values("user_id"))  # type: ignore[attr-defined]


class DamageSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, default="")
    estimated_amount = serializers.DecimalField(max_digits=10, decimal_places=2)


class ActionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    due_on = serializers.DateField()


class ActionDoneSerializer(serializers.Serializer):
    action = serializers.IntegerField()


class IncidentCloseSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=2000)
