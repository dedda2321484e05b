"""The service log and the job's inputs (preparation, tasks, notes, corrections, position),
and change requests."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.bounds import TEXT_MAX_LENGTH
from agency.serializers import SignedImageField, TenantPrimaryKeyRelatedField
from orders.models import (
    ChangeRequest,
    ChangeStatus,
    EntryKind,
    Order,
    ServiceLogEntry,
    ServiceType,
)
from orders.serializers import (
    OrderRefSerializer,
    ServiceTypeBriefSerializer,
    StaffBriefSerializer,
    username_field,
)


@extend_schema_field(
    {"type": "string", "enum": list(ChangeStatus.values)}, component_name="ChangeStatusEnum"
)
class ChangeStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ChangeStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(EntryKind.values)}, component_name="ServiceLogKindEnum"
)
class EntryKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=EntryKind.choices, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class JobItemField(TenantPrimaryKeyRelatedField):
    """An object of the agency that belongs to the job's order (`order` in the context).

    A log entry, failed item or change request of another order answers like a
    missing one: "does not exist".
    """

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        order = self.context.get("order")
        return queryset.filter(order=order) if order is not None else queryset.none()


class ServiceLogEntrySerializer(serializers.ModelSerializer):
    """A line of the log as it stands; a correction names the entry it replaces."""

    kind = EntryKindField(read_only=True)
    staff = StaffBriefSerializer(source="assignment.staff", read_only=True)
    author = username_field("author")
    photo = SignedImageField(read_only=True)

    class Meta:
        model = ServiceLogEntry
        fields = [
            "id",
            "kind",
            "item",
            "ok",
            "text",
            "photo",
            "latitude",
            "longitude",
            "accuracy_m",
            "corrects",
            "failed_item",
            "staff",
            "author",
            "recorded_at",
        ]
        read_only_fields = fields


class ChangeRequestSerializer(serializers.ModelSerializer):
    """A change of content or fee, priced from the price list, and the customer's answer."""

    order = OrderRefSerializer(read_only=True)
    service_type = ServiceTypeBriefSerializer(read_only=True)
    status = ChangeStatusField(read_only=True)
    requested_by = username_field("requested_by")
    signed_via = serializers.CharField(source="signature.via", read_only=True, allow_null=True)
    signed_name = serializers.CharField(
        source="signature.signed_name", read_only=True, allow_null=True
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "order",
            "description",
            "service_type",
            "quantity",
            "unit",
            "unit_price",
            "amount",
            "currency",
            "status",
            "requested_by",
            "requested_at",
            "signed_via",
            "signed_name",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class PositionSerializer(serializers.Serializer):
    """Where the device was, if it offered its position: latitude and longitude together."""

    latitude = serializers.FloatField(
        min_value=-90, max_value=90, required=False, allow_null=True, default=None
    )
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True, default=None
    )
    accuracy_m = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("latitude", "longitude") if attrs[name] is not None]
        if len(given) == 1:
            missing = "longitude" if given == ["latitude"] else "latitude"
            raise serializers.ValidationError(
                {missing: [_("Send latitude and longitude together, or neither.")]}
            )
        if not given and attrs["accuracy_m"] is not None:
            raise serializers.ValidationError(
                {"accuracy_m": [_("An accuracy comes with a position.")]}
            )
        return attrs


class PreparationSerializer(serializers.Serializer):
    item = serializers.CharField(
        max_length=200, help_text="A line of the service's preparation checklist."
    )


class TaskSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200, help_text="A task of the needs form's checklist.")
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class NoteSerializer(serializers.Serializer):
    """A note, a photo (multipart/form-data), or both."""

    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    photo = serializers.ImageField(required=False, allow_null=True, default=None)


class CorrectionSerializer(serializers.Serializer):
    """Correct one's own entry by a new one: what it should say, or withdraw it."""

    entry = JobItemField(ServiceLogEntry)
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    withdraw = serializers.BooleanField(required=False, default=False)


class ChangeRequestCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    quantity = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        help_text="More (or, negative, less) in the service's pricing unit; 0 for content only.",
    )
    service_type = TenantPrimaryKeyRelatedField(
        ServiceType,
        required=False,
        allow_null=True,
        default=None,
        help_text="The service the change is priced as; default: the order's.",
    )


class OfficeChangeRequestCreateSerializer(ChangeRequestCreateSerializer):
    order = TenantPrimaryKeyRelatedField(Order)


class ChangeApproveSerializer(serializers.Serializer):
    change = JobItemField(ChangeRequest, help_text="A change request of this job's order.")
    signed_name = serializers.CharField(max_length=100)


class ChangeDeclineSerializer(serializers.Serializer):
    change = JobItemField(ChangeRequest, help_text="A change request of this job's order.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ChangeWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class JobChangeWithdrawSerializer(ChangeWithdrawSerializer):
    change = JobItemField(ChangeRequest, help_text="A change request of this job's order.")


class JobDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Why the job cannot be taken.")
