"""The placements API: list (filter `state`), detail, open one on a live-in order, and
save its terms. Thin: reads through `placements.selectors`, writes through the services."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, TenantViewSet
from agency.models import Agency
from agency.permissions import Area
from placements import selectors
from placements.forms import PlacementFilter
from placements.models import Placement
from placements.serializers import (
    PlacementOpenSerializer,
    PlacementSerializer,
    PlacementTermsSerializer,
)
from placements.terms import Terms, placement_open, placement_terms_save


@extend_schema_view(
    list=extend_schema(summary="Placements (filter: starting, in_trial, active, ending_soon)"),
    retrieve=extend_schema(summary="A placement with its terms"),
    create=extend_schema(
        summary="Set up the placement of a live-in order (answers the existing one if set up)",
        request=PlacementOpenSerializer,
        responses={201: PlacementSerializer},
    ),
)
class PlacementViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Live-in placements (issue 20): wrong state 409, wrong role 403."""

    area = Area.PLACEMENTS
    model = Placement
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    input_serializer_class = PlacementOpenSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Placement]:
        return selectors.placements_for(agency=agency)

    def create_with(self, **data: Any) -> Placement:
        placement = placement_open(order=data["order"], actor=self.actor)
        return self.get_queryset().get(pk=placement.pk)

    @extend_schema(
        summary="Save the terms while they are agreed (all of them, as on the page)",
        request=PlacementTermsSerializer,
        responses=PlacementSerializer,
    )
    @action(detail=True, methods=["put"])
    def terms(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = self.action_input(PlacementTermsSerializer)
        placement_terms_save(placement=placement, actor=self.actor, terms=Terms(**data))
        fresh = self.get_queryset().get(pk=placement.pk)
        return Response(
            PlacementSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK,
        )
