"""Staffing's API shapes: assignments, candidates with their reasons, and the inputs of
proposal, the customer's answer, 换人 and release."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.serializers import SignedImageField, TenantPrimaryKeyRelatedField
from orders.models import (
    Assignment,
)
from orders.serializers import (
    AssignmentRoleField,
    AssignmentStatusField,
    PunctualityField,
    StaffBriefSerializer,
)
from staff.models import StaffMember


class AssignmentSerializer(serializers.ModelSerializer):
    """Who serves (or served) the order, when, and how the customer agreed."""

    staff = StaffBriefSerializer(read_only=True)
    role = AssignmentRoleField(read_only=True)
    status = AssignmentStatusField(read_only=True)
    starts_at = serializers.DateTimeField(source="period.lower", read_only=True)
    ends_at = serializers.DateTimeField(source="period.upper", read_only=True)
    punctuality = PunctualityField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "staff",
            "role",
            "status",
            "starts_at",
            "ends_at",
            "proposed_at",
            "confirmed_at",
            "confirmed_via",
            "released_at",
            "release_reason",
            "replaced_by",
            # Attendance (issue 17): check-in and check-out as read.
            "arrived_at",
            "left_at",
            "punctuality",
            "late_minutes",
            "left_early_minutes",
            "arrived_off_district",
        ]
        read_only_fields = fields


class CandidateStaffSerializer(serializers.ModelSerializer):
    """A candidate as the office sees them in the ranking (no phone: it is not needed here)."""

    gender = serializers.CharField(read_only=True, help_text="female or male")
    photo = SignedImageField(read_only=True)

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "name",
            "photo",
            "gender",
            "home_branch",
            "years_experience",
            "languages",
            "districts",
            "rating",
            "rating_count",
        ]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    sign = serializers.ChoiceField(choices=[("+", "for"), ("\N{MINUS SIGN}", "against")])
    text = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    """One ranked candidate (`orders.staffing.matching.Candidate`), best first."""

    staff = CandidateStaffSerializer()
    score = serializers.FloatField()
    workload = serializers.IntegerField(help_text="Holding assignments in the next 14 days.")
    reasons = ReasonSerializer(many=True)


class ExplainQuerySerializer(serializers.Serializer):
    staff = TenantPrimaryKeyRelatedField(StaffMember)


class ExplainSerializer(serializers.Serializer):
    staff = serializers.IntegerField()
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Each hard rule the staff member fails."
    )


class ProposeSerializer(serializers.Serializer):
    staff = TenantPrimaryKeyRelatedField(
        StaffMember, many=True, allow_empty=False, help_text="The on-site lead first."
    )


class StaffCardLinkSerializer(serializers.Serializer):
    url = serializers.URLField()


@extend_schema_field(
    {"type": "string", "enum": ["phone"]}, component_name="StaffConfirmationViaEnum"
)
class StaffConfirmationViaField(serializers.ChoiceField):
    """Only "phone" here: a confirmation by link is the customer's own, on their link."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[("phone", "phone")], **kwargs)


class ConfirmStaffSerializer(serializers.Serializer):
    """The office records that the customer agreed on the phone (the link is the customer's)."""

    via = StaffConfirmationViaField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DeclineStaffSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ReplaceSerializer(serializers.Serializer):
    assignment = TenantPrimaryKeyRelatedField(Assignment)
    staff = TenantPrimaryKeyRelatedField(StaffMember)
    reason = serializers.CharField(max_length=255)
    customer_agreed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The customer already agreed on the phone: confirmed at once.",
    )


class ReleaseSerializer(serializers.Serializer):
    assignment = TenantPrimaryKeyRelatedField(Assignment)
    reason = serializers.CharField(max_length=255)
