"""The quality inspections and risk register API (issue 19), thin like `complaints.api`:
reads through `complaints.quality.selectors`, writes through its services. Another
agency's id answers 404 (lists and lookups are the agency's only; writable relations
take the agency's rows only: an outsider's id is "does not exist", a 400)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ServiceCreateMixin, TenantViewSet
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, IdempotentCreateMixin
from agency.models import Agency
from agency.parsers import UPLOAD_PARSERS
from agency.permissions import Area
from complaints.models import Checklist, Inspection, InspectionPlan, RiskDocument
from complaints.quality import selectors, services
from complaints.quality.serializers import (
    ChecklistSerializer,
    InspectionDetailSerializer,
    InspectionRecordSerializer,
    InspectionSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    RiskDocumentInputSerializer,
    RiskDocumentSerializer,
)


def _as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


@extend_schema_view(
    list=extend_schema(summary="The agency's inspection checklists (质检表) and their items"),
    retrieve=extend_schema(summary="A checklist and its items"),
    create=extend_schema(summary="A new checklist with its items and maximum scores"),
)
class ChecklistViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceCreateMixin, TenantViewSet
):
    area = Area.QUALITY
    model = Checklist
    serializer_class = ChecklistSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Checklist]:
        return Checklist.objects.filter(agency=agency).prefetch_related("items")

    def create_with(self, **data: Any) -> Checklist:
        try:
            checklist = services.checklist_create(
                agency=self.agency,
                actor=self.actor,
                name=data["name"],
                items=[(item["label"], item["max_score"]) for item in data["items"]],
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return self.tenant_queryset(self.agency).get(pk=checklist.pk)


@extend_schema_view(
    list=extend_schema(summary="Inspection plans with their progress: `done` and `due`"),
    retrieve=extend_schema(summary="An inspection plan and its progress"),
    create=extend_schema(
        summary="A monthly or quarterly plan for a branch or one staff member",
        request=PlanCreateSerializer,
        responses={201: PlanSerializer},
    ),
)
class InspectionPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceCreateMixin, TenantViewSet
):
    area = Area.QUALITY
    model = InspectionPlan
    serializer_class = PlanSerializer
    input_serializer_class = PlanCreateSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[InspectionPlan]:
        return selectors.plans_with_progress(agency=agency)

    def create_with(self, **data: Any) -> InspectionPlan:
        try:
            plan = services.plan_create(agency=self.agency, actor=self.actor, **data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return self.tenant_queryset(self.agency).get(pk=plan.pk)


@extend_schema_view(
    list=extend_schema(summary="Inspections, the latest first"),
    retrieve=extend_schema(summary="An inspection: scores per item, notes, photos"),
    create=extend_schema(
        summary="Record an inspection of a job (spot check without `plan`)",
        description="Every item of the checklist is scored from 0 to its maximum; a score "
        "beyond it is a 400 naming the item. JSON, or multipart/form-data with `photos`.",
        request={
            "application/json": InspectionRecordSerializer,
            "multipart/form-data": InspectionRecordSerializer,
        },
        responses={201: InspectionDetailSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    ),
)
class InspectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    IdempotentCreateMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    area = Area.QUALITY
    model = Inspection
    input_serializer_class = InspectionRecordSerializer
    parser_classes = UPLOAD_PARSERS

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return InspectionSerializer if self.action == "list" else InspectionDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Inspection]:
        if self.action == "list":
            return selectors.inspections_of(agency=agency)
        return selectors.inspection_detail(agency=agency)

    def create_with(self, **data: Any) -> Inspection:
        scoring = services.Scoring(
            order=data["order"],
            staff=data["staff"],
            checklist=data["checklist"],
            plan=data.get("plan"),
            notes=data.get("notes", ""),
            scores={row["item"]: row["score"] for row in data["scores"]},
        )
        try:
            inspection = services.inspection_record(
                agency=self.agency, actor=self.actor, scoring=scoring, photos=data.get("photos", [])
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return selectors.inspection_detail(agency=self.agency).get(pk=inspection.pk)


@extend_schema_view(
    list=extend_schema(summary="The risk register: overdue reviews first"),
    retrieve=extend_schema(summary="A risk and its emergency plan"),
    create=extend_schema(
        summary="A new risk and emergency plan (text and/or a PDF); managers only",
        request={
            "application/json": RiskDocumentInputSerializer,
            "multipart/form-data": RiskDocumentInputSerializer,
        },
        responses={201: RiskDocumentSerializer},
    ),
    update=extend_schema(
        summary="Revise a plan, its owner or its review date; managers only",
        request={
            "application/json": RiskDocumentInputSerializer,
            "multipart/form-data": RiskDocumentInputSerializer,
        },
        responses=RiskDocumentSerializer,
    ),
)
class RiskDocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceCreateMixin, TenantViewSet
):
    """The office reads the register; the manager writes it."""

    area = Area.RISK_REGISTER
    write_area = Area.RISK_PLANS
    model = RiskDocument
    serializer_class = RiskDocumentSerializer
    input_serializer_class = RiskDocumentInputSerializer
    parser_classes = UPLOAD_PARSERS
    http_method_names = ["get", "post", "put", "head", "options"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[RiskDocument]:
        return selectors.risk_register(agency=agency, today=agency.today())

    def _save(self, data: dict[str, Any], document: RiskDocument | None = None) -> RiskDocument:
        try:
            saved = services.risk_document_save(
                agency=self.agency,
                actor=self.actor,
                plan=services.RiskPlan(**data),
                document=document,
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return self.tenant_queryset(self.agency).get(pk=saved.pk)

    def create_with(self, **data: Any) -> RiskDocument:
        return self._save(data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        document = self.get_object()
        serializer = RiskDocumentInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        saved = self._save(dict(serializer.validated_data), document)
        return Response(RiskDocumentSerializer(saved).data, status=status.HTTP_200_OK)
