"""The placement settings API's shape: the policy and the ordered briefing checklist."""

from rest_framework import serializers

from placements.settings import DAY_BOUNDS, FEE_MAX, ITEM_MAX_LENGTH, ITEMS_MAX


class BriefingItemLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    label = serializers.CharField(max_length=ITEM_MAX_LENGTH)  # type: ignore[assignment]


class PlacementSettingsSerializer(serializers.Serializer):
    replacement_fee = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, max_value=FEE_MAX
    )
    renewal_notice_days = serializers.IntegerField(
        min_value=DAY_BOUNDS["renewal_notice_days"][0],
        max_value=DAY_BOUNDS["renewal_notice_days"][1],
    )
    first_check_in_days = serializers.IntegerField(
        min_value=DAY_BOUNDS["first_check_in_days"][0],
        max_value=DAY_BOUNDS["first_check_in_days"][1],
    )
    check_in_every_days = serializers.IntegerField(
        min_value=DAY_BOUNDS["check_in_every_days"][0],
        max_value=DAY_BOUNDS["check_in_every_days"][1],
    )
    briefing_items = serializers.ListField(child=BriefingItemLineSerializer(), max_length=ITEMS_MAX)
