"""The quality and risk API's shapes: what it shows and what it takes (thin; the services
hold the rules)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.models import Branch, Membership, User
from agency.serializers import SignedFileField, TenantPrimaryKeyRelatedField
from complaints.models import (
    Checklist,
    ChecklistItem,
    Inspection,
    InspectionPlan,
    InspectionScore,
    PlanKind,
    RiskDocument,
    RiskKind,
)
from orders.models import Order
from staff.models import StaffMember


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "label", "max_score", "is_active"]
        read_only_fields = ["is_active"]


class ChecklistSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(many=True)

    class Meta:
        model = Checklist
        fields = ["id", "name", "is_active", "items"]
        read_only_fields = ["is_active"]


class PlanSerializer(serializers.ModelSerializer):
    done = serializers.IntegerField(read_only=True)
    due = serializers.IntegerField(read_only=True)

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "kind",
            "starts_on",
            "branch",
            "staff",
            "checklist",
            "jobs_planned",
            "inspector",
            "done",
            "due",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class MemberField(serializers.PrimaryKeyRelatedField):
    """A user who is an active member of the request's agency."""

    def get_queryset(self) -> Any:
        agency = getattr(self.context.get("request"), "agency", None)
        return User.objects.filter(
            pk__in=Membership.objects.filter(agency=agency, is_active=True).values("user")
        )


class PlanCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    starts_on = serializers.DateField()
    checklist = TenantPrimaryKeyRelatedField(Checklist)
    jobs_planned = serializers.IntegerField(min_value=1, max_value=1000)
    branch = TenantPrimaryKeyRelatedField(Branch, required=False, allow_null=True)
    staff = TenantPrimaryKeyRelatedField(StaffMember, required=False, allow_null=True)
    inspector = MemberField(required=False, allow_null=True)


class ScoreSerializer(serializers.ModelSerializer):
    item_label = serializers.CharField(source="item.label", read_only=True)

    class Meta:
        model = InspectionScore
        fields = ["item", "item_label", "score", "max_score"]


class InspectionSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "kind",
            "plan",
            "order",
            "order_number",
            "branch",
            "staff",
            "staff_name",
            "checklist",
            "inspector",
            "inspected_at",
            "score",
            "max_score",
            "percent",
        ]
        read_only_fields = fields


class InspectionDetailSerializer(InspectionSerializer):
    scores = ScoreSerializer(many=True, read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "notes", "scores", "photos"]
        read_only_fields = fields

    def get_photos(self, inspection: Inspection) -> list[str | None]:
        field = SignedFileField()
        field._context = self.context  # type: ignore[attr-defined]
        return [field.to_representation(photo.file) for photo in inspection.photos.all()]


class ScoreInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    score = serializers.IntegerField()


class InspectionRecordSerializer(serializers.Serializer):
    order = TenantPrimaryKeyRelatedField(Order)
    staff = TenantPrimaryKeyRelatedField(StaffMember)
    checklist = TenantPrimaryKeyRelatedField(Checklist)
    plan = TenantPrimaryKeyRelatedField(InspectionPlan, required=False, allow_null=True)
    scores = ScoreInputSerializer(many=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    photos = serializers.ListField(child=serializers.FileField(), required=False)


class RiskDocumentSerializer(serializers.ModelSerializer):
    file = SignedFileField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = RiskDocument
        fields = ["id", "kind", "title", "plan_text", "file", "owner", "review_by", "overdue"]
        read_only_fields = fields


class RiskDocumentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RiskKind.choices)
    title = serializers.CharField(max_length=200)
    plan_text = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    file = serializers.FileField(required=False)
    owner = MemberField()
    review_by = serializers.DateField()
