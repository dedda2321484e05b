"""The feedback and revisit API's shapes. Thin: they parse input and show rows; the rules
are `feedback.revisits`'.

The customer's phone is masked as everywhere in the API. A revisit's
`satisfaction` is a score given on the phone (a phone survey, marked as such:
`kind`, never a `FeedbackResponse`); only the customer fills in the feedback
form, so nothing here writes one.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.models import User
from agency.permissions import OFFICE
from feedback.models import (
    FeedbackResponse,
    Revisit,
    RevisitAttempt,
    RevisitKind,
    RevisitOutcome,
    RevisitStatus,
)
from orders.models import Order
from orders.serializers import CustomerBriefSerializer, ServiceTypeBriefSerializer

# Enums are named components: `kind`, `status` and `outcome` mean other things elsewhere.


@extend_schema_field(
    {"type": "string", "enum": list(RevisitKind.values)}, component_name="RevisitKindEnum"
)
class RevisitKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RevisitKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(RevisitStatus.values)}, component_name="RevisitStatusEnum"
)
class RevisitStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RevisitStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(RevisitOutcome.values)}, component_name="RevisitOutcomeEnum"
)
class RevisitOutcomeField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RevisitOutcome.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": ["", *RevisitOutcome.values]},
    component_name="RevisitLastOutcomeEnum",
)
class RevisitLastOutcomeField(serializers.ChoiceField):
    """The last call's outcome; empty before the first call."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[("", ""), *RevisitOutcome.choices], **kwargs)


def _username(source: str) -> serializers.CharField:
    """Who, by username; null when nobody."""
    return serializers.CharField(source=f"{source}.username", read_only=True, allow_null=True)


class UserBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]
        read_only_fields = fields


class RevisitOrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "number"]
        read_only_fields = fields


# --- revisits -------------------------------------------------------------------------


class RevisitSerializer(serializers.ModelSerializer):
    """A revisit as the queue shows it: only what `selectors.revisits_for` joins in."""

    kind = RevisitKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = RevisitStatusField(read_only=True)
    outcome = RevisitLastOutcomeField(read_only=True)
    customer = CustomerBriefSerializer(read_only=True)
    order = RevisitOrderSerializer(read_only=True, allow_null=True)
    assignee = UserBriefSerializer(read_only=True, allow_null=True)
    done_by = _username("done_by")
    satisfaction = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="A score the customer gave on the phone (a phone survey), 1–5.",
    )

    class Meta:
        model = Revisit
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "due_at",
            "customer",
            "order",
            "assignee",
            "attempts",
            "outcome",
            "satisfaction",
            "notes",
            "next_step",
            "done_at",
            "done_by",
            "dropped_reason",
            "escalated_at",
        ]
        read_only_fields = fields


class RevisitAttemptSerializer(serializers.ModelSerializer):
    outcome = RevisitOutcomeField(read_only=True)
    by = _username("by")

    class Meta:
        model = RevisitAttempt
        fields = ["id", "outcome", "notes", "by", "at"]
        read_only_fields = fields


class RevisitDetailSerializer(RevisitSerializer):
    """A revisit with every call made for it, the first first."""

    attempt_log = RevisitAttemptSerializer(many=True, read_only=True)

    class Meta(RevisitSerializer.Meta):
        fields = [*RevisitSerializer.Meta.fields, "attempt_log"]
        read_only_fields = fields


class RevisitLogSerializer(serializers.Serializer):
    """One call. Reached or declined closes the revisit; not reached tries again later."""

    outcome = RevisitOutcomeField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    satisfaction = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=5,
        help_text="The customer's score on the phone, only when reached.",
    )
    next_step = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


@extend_schema_field({"type": "integer"})
class OfficeMemberField(serializers.PrimaryKeyRelatedField):
    """A user id of an active office member of the request's agency; anyone else is
    "does not exist", like a missing id."""

    def get_queryset(self) -> QuerySet[User]:
        agency = getattr(self.context.get("request"), "agency", None)
        if agency is None:
            return User.objects.none()
        return User.objects.filter(
            memberships__agency=agency,
            memberships__role__in=OFFICE,
            memberships__is_active=True,
        )


class RevisitAssignSerializer(serializers.Serializer):
    assignee = OfficeMemberField(help_text="The user id of an office member of the agency.")


# --- feedback -------------------------------------------------------------------------


class FeedbackResponseSerializer(serializers.ModelSerializer):
    """The customer's answers, with the order, its service type and who served it."""

    order = RevisitOrderSerializer(source="request.order", read_only=True)
    customer = CustomerBriefSerializer(source="request.customer", read_only=True)
    service_type = ServiceTypeBriefSerializer(source="request.order.service_type", read_only=True)
    branch = serializers.IntegerField(source="request.order.branch_id", read_only=True)
    staff = serializers.SerializerMethodField(help_text="Who served the order (confirmed).")

    class Meta:
        model = FeedbackResponse
        fields = [
            "id",
            "order",
            "customer",
            "service_type",
            "branch",
            "staff",
            "quality",
            "attitude",
            "punctuality",
            "professionalism",
            "overall",
            "comment",
            "may_contact",
            "submitted_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                "required": ["id", "name"],
            },
        }
    )
    def get_staff(self, response: FeedbackResponse) -> list[dict[str, Any]]:
        # `served` is prefetched by `selectors`-style queryset in the API (one query).
        served = getattr(response.request.order, "served", None)
        if served is None:
            return []
        return [{"id": a.staff_id, "name": a.staff.name} for a in served]
