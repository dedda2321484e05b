"""The performance API: levels (the manager writes them), scorecards (`?branch=`, constant
queries) and promotions (propose, approve, reject). Thin: reads through the selectors,
writes through `performance.levels` and `performance.promotions`."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, ServiceUpdateMixin, TenantViewSet
from agency.models import Agency, Branch
from agency.permissions import Area
from performance import levels as level_services
from performance import promotions as promotion_services
from performance.models import Promotion
from performance.scorecard import scorecard_queryset, window_for
from performance.serializers import (
    LevelSerializer,
    PromotionDecisionSerializer,
    PromotionProposeSerializer,
    PromotionSerializer,
    ScorecardSerializer,
)
from staff.models import Level, StaffMember


@extend_schema_view(
    list=extend_schema(summary="The agency's levels and their criteria, lowest rank first"),
    retrieve=extend_schema(summary="A level"),
    create=extend_schema(summary="Add a level (a manager); ranks and names are unique"),
    update=extend_schema(summary="Change a level's criteria, or retire it (is_active false)"),
    partial_update=extend_schema(summary="Change some of a level's criteria"),
)
class LevelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    TenantViewSet,
):
    """Levels (初级, 中级, …): supervisors read them, the manager writes them (issue 21)."""

    area = Area.PERFORMANCE
    write_area = Area.PAY_DECISIONS
    model = Level
    serializer_class = LevelSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Level]:
        return level_services.levels_for(agency=agency)

    def create_with(self, **data: Any) -> Level:
        return level_services.level_save(agency=self.agency, actor=self.actor, **data)

    def update_with(self, instance: Level, **data: Any) -> Level:
        return level_services.level_save(
            agency=self.agency, actor=self.actor, level=instance, **data
        )


@extend_schema_view(
    list=extend_schema(
        summary="Each active staff member's scorecard over the last 12 months",
        parameters=[
            OpenApiParameter("branch", OpenApiTypes.INT, description="Only this home branch")
        ],
    ),
)
class ScorecardViewSet(mixins.ListModelMixin, TenantViewSet):
    """Scorecards: one query for the page's staff, whatever their number (issue 21)."""

    area = Area.PERFORMANCE
    model = StaffMember
    serializer_class = ScorecardSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[StaffMember]:
        branch = None
        wanted = self.request.query_params.get("branch", "")
        if wanted.isdigit():
            branch = Branch(pk=int(wanted), agency=agency)
        return scorecard_queryset(agency=agency, window=window_for(agency), branch=branch)


@extend_schema_view(
    list=extend_schema(summary="Promotions, those waiting for a decision first"),
    retrieve=extend_schema(summary="A promotion with the figures it was proposed on"),
    create=extend_schema(
        summary="Propose a staff member for a level above theirs (default: the next)",
        request=PromotionProposeSerializer,
        responses={201: PromotionSerializer},
    ),
)
class PromotionViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Promotions: a supervisor proposes, the manager decides (the service refuses anyone
    else: 403); decided twice is a 409."""

    area = Area.PERFORMANCE
    model = Promotion
    serializer_class = PromotionSerializer
    input_serializer_class = PromotionProposeSerializer
    filterset_fields = ["status", "staff"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Promotion]:
        return promotion_services.promotions_for(agency=agency)

    def create_with(self, **data: Any) -> Promotion:
        promotion = promotion_services.promotion_propose(
            staff=data["staff"],
            actor=self.actor,
            to_level=data.get("to_level"),
            note=data.get("note", ""),
        )
        return self.get_queryset().get(pk=promotion.pk)

    def _decided(self, promotion: Promotion) -> Response:
        fresh = self.get_queryset().get(pk=promotion.pk)
        return Response(
            PromotionSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Approve (a manager): the staff member moves to the level",
        request=PromotionDecisionSerializer,
        responses=PromotionSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        promotion = self.get_object()
        data = self.action_input(PromotionDecisionSerializer)
        return self._decided(
            promotion_services.promotion_approve(
                promotion=promotion, actor=self.actor, note=data.get("note", "")
            )
        )

    @extend_schema(
        summary="Reject (a manager), saying why in the note",
        request=PromotionDecisionSerializer,
        responses=PromotionSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        promotion = self.get_object()
        data = self.action_input(PromotionDecisionSerializer)
        return self._decided(
            promotion_services.promotion_reject(
                promotion=promotion, actor=self.actor, note=data.get("note", "")
            )
        )
