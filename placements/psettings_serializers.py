"""The shapes of the placement's follow-up API: the briefing, its ticks, the trial's
answers."""

from rest_framework import serializers

from placements.models import TrialDecision


class PlacementBriefingSerializer(serializers.Serializer):
    """The checklist as it stands (as briefed, once done) and what is ticked."""

    items = serializers.DictField(child=serializers.CharField(), read_only=True)
    ticked = serializers.ListField(child=serializers.CharField(), read_only=True)
    staff_present = serializers.BooleanField(read_only=True)
    done_at = serializers.DateTimeField(read_only=True, allow_null=True)


class PlacementBriefingInputSerializer(serializers.Serializer):
    ticked = serializers.ListField(child=serializers.CharField(max_length=40), max_length=60)
    staff_present = serializers.BooleanField()


class PlacementTrialDecisionSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="assignment.staff.name", read_only=True)
    replacement_name = serializers.CharField(
        source="replacement.staff.name", read_only=True, default=None
    )

    class Meta:
        model = TrialDecision
        fields = [
            "id",
            "staff_name",
            "choice",
            "reason",
            "free",
            "fee",
            "answered_at",
            "replacement_name",
        ]
        read_only_fields = fields
