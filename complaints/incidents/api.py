"""The incidents API: list (filters kind, status, branch), detail, record, and each step.

Thin like `complaints.api`: reads through `complaints.incidents.selectors`, writes through
`complaints.incidents.services`. Another agency's id, and for anyone but a manager a
data-protection incident's, answers 404.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, TenantViewSet
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, IdempotentCreateMixin
from agency.models import Agency
from agency.permissions import Area, can_access
from complaints.incidents import selectors, services
from complaints.incidents.forms import IncidentFilter
from complaints.incidents.serializers import (
    ActionDoneSerializer,
    ActionInputSerializer,
    DamageSerializer,
    IncidentCloseSerializer,
    IncidentDetailSerializer,
    IncidentRecordSerializer,
    IncidentSerializer,
    OwnerSerializer,
)
from complaints.models import Incident


@extend_schema_view(
    list=extend_schema(summary="Incidents, newest first (data protection: managers only)"),
    retrieve=extend_schema(summary="An incident with its timeline and follow-up actions"),
    create=extend_schema(
        summary="The office records an incident",
        request=IncidentRecordSerializer,
        responses={201: IncidentDetailSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    ),
)
class IncidentViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    IdempotentCreateMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Incidents (事故): wrong state 409, wrong role 403."""

    area = Area.INCIDENTS
    model = Incident
    filterset_class = IncidentFilter
    input_serializer_class = IncidentRecordSerializer
    output_serializer_class = IncidentDetailSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return IncidentSerializer if self.action == "list" else IncidentDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Incident]:
        sees = can_access(self.request.membership.role, Area.DATA_PROTECTION)  # type: ignore[attr-defined]
        if self.action == "list":
            return selectors.incident_list(agency=agency, data_protection=sees)
        return selectors.incident_detail(agency=agency, data_protection=sees)

    def create_with(self, **data: Any) -> Incident:
        incident = services.incident_record(agency=self.agency, actor=self.actor, **data)
        return self._fresh(incident)

    def _fresh(self, incident: Incident) -> Incident:
        return selectors.incident_detail(agency=self.agency, data_protection=True).get(
            pk=incident.pk
        )

    def answer(self, incident: Incident, code: int = status.HTTP_200_OK) -> Response:
        data = IncidentDetailSerializer(
            self._fresh(incident), context=self.get_serializer_context()
        )
        return Response(data.data, status=code)

    @extend_schema(
        summary="Give the incident its owner (supervisor or manager)",
        request=OwnerSerializer,
        responses=IncidentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def owner(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        data = self.action_input(OwnerSerializer)
        services.incident_assign(incident=incident, actor=self.actor, owner=data["owner"])
        return self.answer(incident)

    @extend_schema(
        summary="Record the damaged item and an estimate (damage incidents)",
        request=DamageSerializer,
        responses=IncidentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def damage(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        data = self.action_input(DamageSerializer)
        services.incident_damage(incident=incident, actor=self.actor, **data)
        return self.answer(incident)

    @extend_schema(
        summary="Add a follow-up action with its due day",
        request=ActionInputSerializer,
        responses={201: IncidentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def actions(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        data = self.action_input(ActionInputSerializer)
        services.incident_action_add(incident=incident, actor=self.actor, **data)
        return self.answer(incident, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mark a follow-up action done",
        request=ActionDoneSerializer,
        responses=IncidentDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="actions/done")
    def action_done(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        data = self.action_input(ActionDoneSerializer)
        services.incident_action_done(
            action=services.action_of(incident, data["action"]), actor=self.actor
        )
        return self.answer(incident)

    @extend_schema(
        summary="Open a hard complaint of category damage from a damage incident",
        request=None,
        responses={201: IncidentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def complaint(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        services.incident_open_complaint(incident=incident, actor=self.actor)
        return self.answer(incident, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close with the outcome (supervisor or manager)",
        request=IncidentCloseSerializer,
        responses=IncidentDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        data = self.action_input(IncidentCloseSerializer)
        services.incident_close(incident=incident, actor=self.actor, outcome=data["outcome"])
        return self.answer(incident)
