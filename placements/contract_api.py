"""The contracts API: the manager's templates (list, save a new version) and a
placement's contract versions (list, prepare the original for signature). Thin: reads
through `placements.contract_selectors`, writes through `placements.contracts`."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
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
from placements.models import ContractTemplate, ContractVersion, Placement


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


@extend_schema_view(
    list=extend_schema(summary="A placement's contract versions"),
    create=extend_schema(
        summary="Prepare the contract and send it for signature (missing terms 400, named)",
        request=ContractPrepareSerializer,
        responses={201: ContractVersionSerializer},
    ),
)
class PlacementContractViewSet(mixins.ListModelMixin, TenantViewSet):
    """`/api/placements/{placement_pk}/contract/`: another agency's placement is a 404."""

    area = Area.PLACEMENTS
    model = ContractVersion
    serializer_class = ContractVersionSerializer
    pagination_class = None

    def placement(self) -> Placement:
        return get_object_or_404(
            selectors.placements_for(agency=self.agency), pk=self.kwargs["placement_pk"]
        )

    def tenant_queryset(self, agency: Agency) -> QuerySet[ContractVersion]:
        return contract_versions(agency=agency, placement=self.placement())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        placement = self.placement()
        serializer = ContractPrepareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = contract_prepare(
            placement=placement, actor=self.actor, **serializer.validated_data
        )
        return Response(
            ContractVersionSerializer(version, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
