"""The placement's follow-up API (issue 20): its briefing before the first day, its start,
and the customer's answers at the trial's end. Thin: reads here or through
`placements.during*`, writes through `placements.during`. Wrong state 409, wrong role
403, another agency's placement 404."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, TenantViewSet
from agency.models import Agency
from agency.permissions import Area
from placements import selectors
from placements.during import briefing_items, briefing_record, placement_start
from placements.during_trial import trial_decisions
from placements.models import Briefing, Placement
from placements.psettings_serializers import (
    PlacementBriefingInputSerializer,
    PlacementBriefingSerializer,
    PlacementTrialDecisionSerializer,
)
from placements.serializers import PlacementSerializer


class PlacementDuringViewSet(ActionInputMixin, TenantViewSet):
    area = Area.PLACEMENTS
    #: The supervisor briefs the staff member and starts the placement (the services ask).
    write_area = Area.STAFF_DECISIONS
    model = Placement
    serializer_class = PlacementSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Placement]:
        return selectors.placements_for(agency=agency)

    def briefing_data(self, placement: Placement) -> dict[str, Any]:
        briefing = Briefing.objects.filter(placement=placement).first()
        if briefing is None or briefing.done_at is None:
            items = briefing_items(placement.agency)
        else:
            items = briefing.items
        data = {
            "items": items,
            "ticked": briefing.ticked if briefing else [],
            "staff_present": briefing.staff_present if briefing else False,
            "done_at": briefing.done_at if briefing else None,
        }
        return dict(PlacementBriefingSerializer(data).data)

    @extend_schema(
        methods=["GET"],
        summary="The briefing (上户交底): the checklist {key: wording} and what is ticked",
        responses=PlacementBriefingSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="Tick the briefing's items with the staff member (a supervisor); done when "
        "every item is ticked with the staff member present",
        request=PlacementBriefingInputSerializer,
        responses=PlacementBriefingSerializer,
    )
    @action(detail=True, methods=["get", "post"])
    def briefing(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        if request.method == "POST":
            data = self.action_input(PlacementBriefingInputSerializer)
            briefing_record(placement=placement, actor=self.actor, **data)
        return Response(self.briefing_data(placement))

    @extend_schema(
        summary="Start the placement on its first day, once briefed (409 with the reason)",
        request=None,
        responses=PlacementSerializer,
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        placement = placement_start(placement=self.get_object(), actor=self.actor)
        return Response(PlacementSerializer(placement).data)

    @extend_schema(
        summary="The customer's answers at the trial's end, one per staff member",
        responses=PlacementTrialDecisionSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="trial-decisions")
    def trial_decisions(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        decisions = trial_decisions(agency=self.agency, placement=placement)
        return Response(PlacementTrialDecisionSerializer(decisions, many=True).data)
