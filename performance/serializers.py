"""The performance API's shapes: levels, scorecards, promotions."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.serializers import TenantPrimaryKeyRelatedField
from performance.models import Promotion
from performance.scorecard import Figures
from staff.models import Level, StaffMember


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = [
            "id",
            "name",
            "rank",
            "min_rating",
            "min_jobs",
            "min_months",
            "min_trainings",
            "max_upheld_complaints",
            "matching_bonus",
            "is_active",
        ]
        read_only_fields = ["id"]
        # Unique within the agency: the service checks it and names the holder.
        validators: list[Any] = []


class FiguresSerializer(serializers.Serializer):
    rating = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    rating_count = serializers.IntegerField()
    upheld_complaints = serializers.IntegerField()
    punctuality = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="Per cent of check-ins on time"
    )
    rework_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="Per cent of served jobs redone"
    )
    trainings = serializers.IntegerField()
    assessments = serializers.IntegerField()
    jobs_done = serializers.IntegerField()


class ScorecardSerializer(serializers.Serializer):
    """One active staff member's figures over the last 12 months."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    staff_number = serializers.IntegerField(allow_null=True)
    home_branch = serializers.IntegerField(source="home_branch_id")
    level = serializers.IntegerField(source="level_id", allow_null=True)
    figures = serializers.SerializerMethodField()

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, staff: Any) -> dict[str, Any]:
        figures = Figures(
            rating_sum=staff.score_rating_sum,
            rating_count=staff.score_rating_count,
            upheld_complaints=staff.score_complaints,
            checked_in=staff.score_checked_in,
            on_time=staff.score_on_time,
            served=staff.score_served,
            reworked=staff.score_reworked,
            trainings=staff.score_trainings,
            assessments=staff.score_assessments,
        )
        return dict(FiguresSerializer(figures).data)


class PromotionSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)

    class Meta:
        model = Promotion
        fields = [
            "id",
            "staff",
            "staff_name",
            "from_level",
            "to_level",
            "status",
            "figures",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "note",
        ]
        read_only_fields = fields


class PromotionProposeSerializer(serializers.Serializer):
    staff = TenantPrimaryKeyRelatedField(StaffMember)
    to_level = TenantPrimaryKeyRelatedField(Level, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PromotionDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
