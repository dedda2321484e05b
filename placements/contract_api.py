"""The contracts API: the manager's templates (list, save a new version) and a
placement's contract versions (list, prepare the original for signature). Thin: reads
through `placements.contract_selectors`, writes through `placements.contracts`."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ServiceCreateMixin, TenantViewSet
from agency.models import Agency
from agency.permissions import Area
from placements import selectors
from placements.contract_selectors import contract_templates_for, contract_versions
from placements.contract_serializers import (
    ContractPrepareSerializer,
    ContractTemplateSaveSerializer,
    ContractTemplateSerializer,
    ContractVersionSerializer,
)
from placements.contracts import contract_prepare, contract_template_save
from placements.models import ContractTemplate, Placement


@extend_schema_view(
    list=extend_schema(summary="The agency's contract templates, every version"),
    create=extend_schema(
        summary="Save a new version of a contract template (manager; unknown variables 400)",
        request=ContractTemplateSaveSerializer,
        responses={201: ContractTemplateSerializer},
    ),
)
class ContractTemplateViewSet(mixins.ListModelMixin, ServiceCreateMixin, TenantViewSet):
    area = Area.CONTRACTS
    model = ContractTemplate
    serializer_class = ContractTemplateSerializer
    input_serializer_class = ContractTemplateSaveSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[ContractTemplate]:
        return contract_templates_for(agency=agency)

    def create_with(self, **data: Any) -> ContractTemplate:
        return contract_template_save(agency_id=self.agency.pk, actor=self.actor, **data)


class PlacementContractViewSet(TenantViewSet):
    """`/api/placements/{id}/contract/`: a placement's contract versions, and preparing the
    contract for signature; another agency's placement is a 404."""

    area = Area.PLACEMENTS
    model = Placement
    serializer_class = ContractVersionSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Placement]:
        return selectors.placements_for(agency=agency)

    @extend_schema(
        methods=["get"],
        summary="A placement's contract versions",
        responses=ContractVersionSerializer(many=True),
    )
    @extend_schema(
        methods=["post"],
        summary="Prepare the contract and send it for signature (missing terms 400, named)",
        request=ContractPrepareSerializer,
        responses={201: ContractVersionSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def contract(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            versions = contract_versions(agency=self.agency, placement=placement)
            return Response(ContractVersionSerializer(versions, many=True, context=context).data)
        serializer = ContractPrepareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = contract_prepare(
            placement=placement, actor=self.actor, **serializer.validated_data
        )
        return Response(
            ContractVersionSerializer(version, context=context).data,
            status=status.HTTP_201_CREATED,
        )
