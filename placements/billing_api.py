"""The placement billing API: the schedule of a placement's charges, and its early
termination with the settlement. Thin: reads through `placements.billing_selectors`,
writes through `placements.billing`."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, TenantViewSet
from agency.models import Agency
from agency.permissions import Area
from placements import selectors
from placements.billing import placement_terminate
from placements.billing_selectors import charges_of
from placements.billing_serializers import (
    PlacementChargeSerializer,
    PlacementSettlementSerializer,
    PlacementTerminateSerializer,
)
from placements.models import Placement


class PlacementBillingViewSet(ActionInputMixin, TenantViewSet):
    """A placement's billing (issue 20): wrong state 409, wrong role 403, another
    agency's placement 404."""

    area = Area.PLACEMENTS
    write_area = Area.CONTRACTS
    model = Placement
    serializer_class = PlacementChargeSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Placement]:
        return selectors.placements_for(agency=agency)

    @extend_schema(
        summary="The placement's schedule of charges, with the invoice each went onto",
        responses=PlacementChargeSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def charges(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        return Response(PlacementChargeSerializer(charges_of(placement), many=True).data)

    @extend_schema(
        summary="Terminate early: settle the days served, credit the rest, propose the "
        "deposit's refund less the agreed deductions",
        request=PlacementTerminateSerializer,
        responses={201: PlacementSettlementSerializer},
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = self.action_input(PlacementTerminateSerializer)
        settlement = placement_terminate(placement=placement, actor=self.actor, **data)
        return Response(
            PlacementSettlementSerializer(settlement).data, status=status.HTTP_201_CREATED
        )
