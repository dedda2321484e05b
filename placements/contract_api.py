"""The contracts API: the manager's templates (list, save a new version) and a
placement's contract versions (list with their signatures, prepare the original, amend or
renew it, the manager's signature). Thin: reads
through `placements.contract_selectors`, writes through `placements.contracts`."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, TenantViewSet
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from agency.models import Agency
from agency.permissions import Area
from placements import selectors
from placements.amendments import contract_amend
from placements.contract_selectors import contract_templates_for, contract_versions
from placements.contract_serializers import (
    AgencySignSerializer,
    AmendSerializer,
    ContractPrepareSerializer,
    ContractSignatureSerializer,
    ContractTemplateSaveSerializer,
    ContractTemplateSerializer,
    ContractVersionSerializer,
)
from placements.contracts import contract_prepare, contract_template_save
from placements.models import ContractTemplate, Placement
from placements.signing import contract_sign_for_agency
from placements.terms import Terms


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


class PlacementContractViewSet(ActionInputMixin, TenantViewSet):
    """`/api/placements/{id}/contract/`: a placement's contract versions with their
    signatures, preparing the contract for signature, amending or renewing it and the
    manager's signature; another agency's placement is a 404."""

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

    @extend_schema(
        summary="Amend or renew the signed contract: a new version out for signature",
        description=(
            "Every term as the new version would have it (as the terms are saved), `reason`, "
            "`kind` (`amendment` or `renewal`: a later last day) and `staff` (a replacement). "
            "Bad terms or a clash with another job: 400, by field. Not signed, or a version "
            "out already: 409."
        ),
        request=AmendSerializer,
        responses={201: ContractVersionSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def amend(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = self.action_input(AmendSerializer)
        version = contract_amend(
            placement=placement,
            actor=self.actor,
            reason=data.pop("reason"),
            staff=data.pop("staff", None),
            kind=data.pop("kind"),
            terms=Terms(**data),
        )
        return Response(
            ContractVersionSerializer(version, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="The manager signs the version out for signature for the agency",
        description=(
            "`image`: the drawn signature as a PNG data URL; `document_sha256`: the hash of "
            "the PDF read (another: 400). Not a manager: 403. Nothing out: 409. Signing "
            "again answers the first signature."
        ),
        request=AgencySignSerializer,
        responses={201: ContractSignatureSerializer},
    )
    @action(detail=True, methods=["post"], url_path="contract/sign")
    def sign(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = self.action_input(AgencySignSerializer)
        signature = contract_sign_for_agency(
            placement=placement,
            image_bytes=data["image"],
            document_sha256=data["document_sha256"],
            actor=self.actor,
        )
        return Response(
            ContractSignatureSerializer(signature, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
