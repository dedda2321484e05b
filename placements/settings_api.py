"""`GET|PUT /api/placement-settings/`: the office reads the placement policy and the
briefing checklist, a manager replaces them (the checklist as a whole, in its order)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import TenantAPIView
from agency.permissions import Area
from placements.during import policy_for
from placements.settings import ItemLine, checklist_lines, placement_settings_save
from placements.settings_serializers import PlacementSettingsSerializer


class PlacementSettingsView(TenantAPIView):
    area = Area.PLACEMENTS
    write_area = Area.CONTRACTS

    def settings_data(self) -> dict[str, Any]:
        policy = policy_for(self.agency)
        data = {
            "replacement_fee": policy.replacement_fee,
            "renewal_notice_days": policy.renewal_notice_days,
            "first_check_in_days": policy.first_check_in_days,
            "check_in_every_days": policy.check_in_every_days,
            "briefing_items": [
                {"id": line.id, "label": line.label} for line in checklist_lines(self.agency)
            ],
        }
        return dict(PlacementSettingsSerializer(data).data)

    @extend_schema(
        summary="The placement policy and the briefing checklist (the default list, without "
        "ids, until the agency saves its own)",
        responses=PlacementSettingsSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(self.settings_data())

    @extend_schema(
        summary="Replace the placement policy and the briefing checklist (a manager)",
        description="Items are kept in the order given: an item with its id is kept or "
        "reworded, one without is added, an item left out is removed. Briefings already "
        "done keep the wording they were briefed with.",
        request=PlacementSettingsSerializer,
        responses=PlacementSettingsSerializer,
    )
    def put(self, request: Request) -> Response:
        serializer = PlacementSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        items = [
            ItemLine(label=row["label"], id=row.get("id")) for row in data.pop("briefing_items")
        ]
        placement_settings_save(agency=self.agency, actor=self.actor, items=items, **data)
        return Response(self.settings_data())
