"""The API of what puts a complaint right (issue 19): solutions, compensation, the customer's
charge, inspection visits; and finance's compensation payouts.

Thin, like `complaints.api`: lists read through `complaints.remedy_selectors`-style querysets
of the request's agency; writes go through `complaints.services.remedies`, which hold every
rule (who may, in which state, the limits). Creates honour `Idempotency-Key`; another
agency's id answers 404 like a missing one (and as a related id, "does not exist").
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from agency.api import (
    AGENCY_HEADER_PARAMETER,
    ActionInputMixin,
    ServiceCreateMixin,
    TenantAPIView,
    TenantViewSet,
)
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, IdempotentCreateMixin
from agency.models import Agency, User
from agency.parsers import UPLOAD_PARSERS
from agency.permissions import Area
from agency.serializers import SignedFileField, TenantPrimaryKeyRelatedField
from complaints import remedy_selectors
from complaints.models import (
    Charge,
    Compensation,
    Complaint,
    InspectionVisit,
    InspectionVisitPhoto,
    Payer,
    RemedyPolicy,
    Solution,
    SolutionKind,
)
from complaints.services import remedies
from orders.models import PaymentMethod
from staff.models import StaffMember


class SolutionSerializer(serializers.ModelSerializer):
    complaint = TenantPrimaryKeyRelatedField(Complaint)

    class Meta:
        model = Solution
        fields = [
            "id",
            "complaint",
            "kind",
            "description",
            "amount",
            "status",
            "offered_by",
            "offered_at",
            "agreed_at",
            "redo_on",
            "redo_order",
            "refund",
            "credit_note",
        ]
        read_only_fields = [
            "status",
            "offered_by",
            "offered_at",
            "agreed_at",
            "redo_order",
            "refund",
            "credit_note",
        ]


class SolutionOfferSerializer(serializers.Serializer):
    complaint = TenantPrimaryKeyRelatedField(Complaint)
    kind = serializers.ChoiceField(choices=SolutionKind.choices)
    description = serializers.CharField()
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    redo_on = serializers.DateField(
        required=False, allow_null=True, help_text="A redo's day: agreed, it is booked as an order."
    )


class CompensationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Compensation
        fields = [
            "id",
            "complaint",
            "item",
            "amount",
            "payer",
            "staff",
            "claim_reference",
            "status",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "refusal_reason",
            "method",
            "reference",
            "paid_by",
            "paid_at",
            "penalty",
        ]
        read_only_fields = fields


class CompensationProposeSerializer(serializers.Serializer):
    complaint = TenantPrimaryKeyRelatedField(Complaint)
    item = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    payer = serializers.ChoiceField(choices=Payer.choices)
    staff = TenantPrimaryKeyRelatedField(
        StaffMember,
        required=False,
        allow_null=True,
        help_text="Who pays when `payer` is staff; empty: the staff member the complaint "
        "concerns. The share becomes a penalty on their record when approved.",
    )
    claim_reference = serializers.CharField(max_length=100, required=False, default="")


class CompensationDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=300, required=False, default="")


class CompensationPaySerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=[c for c in PaymentMethod.choices if c[0] != PaymentMethod.PREPAID]
    )
    reference = serializers.CharField(max_length=100, required=False, default="")


class ChargeSerializer(serializers.ModelSerializer):
    complaint = TenantPrimaryKeyRelatedField(Complaint)

    class Meta:
        model = Charge
        fields = ["id", "complaint", "amount", "reason", "invoice", "line", "charged_by"]
        read_only_fields = ["invoice", "line", "charged_by"]


class InspectionVisitPhotoSerializer(serializers.ModelSerializer):
    file = SignedFileField()

    class Meta:
        model = InspectionVisitPhoto
        fields = ["id", "file", "original_name", "uploaded_at"]


class InspectionVisitSerializer(serializers.ModelSerializer):
    complaint = TenantPrimaryKeyRelatedField(Complaint)
    inspector = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        help_text="An office member of the agency (checked by the service).",
    )
    photos = InspectionVisitPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionVisit
        fields = [
            "id",
            "complaint",
            "scheduled_for",
            "inspector",
            "scheduled_by",
            "findings",
            "recorded_at",
            "photos",
        ]
        read_only_fields = ["scheduled_by", "findings", "recorded_at", "photos"]


class InspectionVisitRecordSerializer(serializers.Serializer):
    findings = serializers.CharField()
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="PDF, JPEG or PNG."
    )


class _RemedyViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    IdempotentCreateMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    area = Area.COMPLAINTS
    ordering_fields = ["id"]


@extend_schema_view(
    list=extend_schema(summary="Solutions offered to customers (`?complaint=` one complaint's)"),
    create=extend_schema(
        summary="Offer a solution (a refund or compensation names its amount)",
        request=SolutionOfferSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    ),
)
class SolutionViewSet(_RemedyViewSet):
    """Solution options (redo, replacement staff, partial refund, compensation, apology)."""

    model = Solution
    serializer_class = SolutionSerializer
    input_serializer_class = SolutionOfferSerializer
    filterset_fields = ["complaint"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Solution]:
        return Solution.objects.filter(agency=agency).order_by("id")

    def create_with(self, **data: Any) -> Solution:
        return remedies.solution_offer(actor=self.actor, **data)

    @extend_schema(
        summary="The customer agrees this solution; the customer is told",
        description="A partial refund goes to billing: a refund request on a paid invoice "
        "(finance's or a manager's role; a manager approves), a credit note on an issued "
        "unpaid one. Another solution agreed already: 409.",
        request=None,
        responses=SolutionSerializer,
    )
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, pk: str | None = None) -> Response:
        solution = remedies.solution_agree(solution=self.get_object(), actor=self.actor)
        return Response(SolutionSerializer(solution, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="Compensation for damage (`?complaint=` one complaint's)"),
    create=extend_schema(
        summary="Propose a compensation: the item, amount, who pays",
        request=CompensationProposeSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    ),
)
class CompensationViewSet(_RemedyViewSet):
    """Proposed by the office, approved by a supervisor up to the agency's limit (a manager
    above it), paid out by finance (`/api/compensation-payouts/`)."""

    model = Compensation
    serializer_class = CompensationSerializer
    input_serializer_class = CompensationProposeSerializer
    filterset_fields = ["complaint", "status", "payer"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Compensation]:
        return remedy_selectors.compensations_for(agency=agency)

    def create_with(self, **data: Any) -> Compensation:
        return remedies.compensation_propose(actor=self.actor, **data)

    @extend_schema(
        summary="Approve or refuse (with the reason)",
        description="Above the agency's approval limit only a manager (403 otherwise); "
        "decided already: 409.",
        request=CompensationDecideSerializer,
        responses=CompensationSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        compensation = self.get_object()
        data = self.action_input(CompensationDecideSerializer)
        decided = remedies.compensation_decide(compensation=compensation, actor=self.actor, **data)
        return Response(CompensationSerializer(decided).data)


@extend_schema_view(list=extend_schema(summary="Compensation to pay out and paid (finance)"))
class CompensationPayoutViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ActionInputMixin, TenantViewSet
):
    """Finance's side: approved compensation paid out — money paid, not an invoice refund."""

    area = Area.BILLING
    model = Compensation
    serializer_class = CompensationSerializer
    filterset_fields = ["status", "payer"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Compensation]:
        return remedy_selectors.compensations_for(agency=agency)

    @extend_schema(
        summary="Record the compensation paid out (approved only, else 409)",
        request=CompensationPaySerializer,
        responses=CompensationSerializer,
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str | None = None) -> Response:
        compensation = self.get_object()
        data = self.action_input(CompensationPaySerializer)
        paid = remedies.compensation_pay(compensation=compensation, actor=self.actor, **data)
        return Response(CompensationSerializer(paid).data)


@extend_schema_view(
    list=extend_schema(summary="Charges to customers at fault"),
    create=extend_schema(
        summary="Charge the customer: a line on their invoice (a manager)",
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    ),
)
class ChargeViewSet(_RemedyViewSet):
    model = Charge
    serializer_class = ChargeSerializer
    filterset_fields = ["complaint"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Charge]:
        return Charge.objects.filter(agency=agency).order_by("id")

    def create_with(self, **data: Any) -> Charge:
        return remedies.charge_customer(actor=self.actor, **data)


@extend_schema_view(
    list=extend_schema(summary="Inspection visits after hard complaints"),
    create=extend_schema(
        summary="Schedule an inspection visit (a hard complaint; an office inspector)",
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    ),
)
class InspectionVisitViewSet(_RemedyViewSet):
    model = InspectionVisit
    serializer_class = InspectionVisitSerializer
    filterset_fields = ["complaint"]
    parser_classes = UPLOAD_PARSERS

    def tenant_queryset(self, agency: Agency) -> QuerySet[InspectionVisit]:
        return (
            InspectionVisit.objects.filter(agency=agency)
            .prefetch_related("photos")
            .order_by("scheduled_for", "id")
        )

    def create_with(self, **data: Any) -> InspectionVisit:
        return remedies.inspection_schedule(actor=self.actor, **data)

    @extend_schema(
        summary="Record the visit: findings and photos (multipart/form-data)",
        request={
            "multipart/form-data": InspectionVisitRecordSerializer,
            "application/json": InspectionVisitRecordSerializer,
        },
        responses={200: InspectionVisitSerializer},
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        data = self.action_input(InspectionVisitRecordSerializer)
        remedies.inspection_record(visit=visit, actor=self.actor, **data)
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(
            InspectionVisitSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK,
        )


class RemedyPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = RemedyPolicy
        fields = ["approval_limit"]
        # The policy's one setting: a PATCH without it changes nothing and is refused.
        extra_kwargs = {"approval_limit": {"required": True}}


class RemedyPolicyView(TenantAPIView):
    """The agency's compensation approval limit: the office reads it, a manager sets it."""

    area = Area.COMPLAINTS
    write_area = Area.SETTINGS

    @extend_schema(
        summary="The compensation a supervisor may approve, at most (above it: a manager)",
        parameters=[AGENCY_HEADER_PARAMETER],
        responses=RemedyPolicySerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(RemedyPolicySerializer(remedies.remedy_policy_for(self.agency)).data)

    @extend_schema(
        summary="Set the approval limit (a manager)",
        parameters=[AGENCY_HEADER_PARAMETER],
        request=RemedyPolicySerializer,
        responses=RemedyPolicySerializer,
    )
    def patch(self, request: Request) -> Response:
        serializer = RemedyPolicySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = remedies.remedy_policy_update(
            agency=self.agency, actor=self.actor, **serializer.validated_data
        )
        return Response(RemedyPolicySerializer(policy).data)


urlpatterns = [
    path("remedy-policy/", RemedyPolicyView.as_view(), name="api_remedy_policy"),
]


def register(router: BaseRouter) -> None:
    """The remedies' routes on the API router (config.api_urls; `urlpatterns` go beside)."""
    router.register("complaint-solutions", SolutionViewSet, basename="solution")
    router.register("compensations", CompensationViewSet, basename="compensation")
    router.register(
        "compensation-payouts", CompensationPayoutViewSet, basename="compensationpayout"
    )
    router.register("complaint-charges", ChargeViewSet, basename="charge")
    router.register("inspection-visits", InspectionVisitViewSet, basename="inspectionvisit")
