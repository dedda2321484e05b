"""The pay adjustments API: list (filters status, kind, staff), propose (Idempotency-Key),
approve and reject. Thin: reads through `payroll.adjustment_selectors`, writes through
`payroll.adjustments`."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, TenantViewSet
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, IdempotentCreateMixin, idempotent
from agency.models import Agency
from agency.permissions import Area
from payroll import adjustment_selectors
from payroll.adjustment_forms import AdjustmentFilter
from payroll.adjustment_serializers import (
    PayAdjustmentDecisionSerializer,
    PayAdjustmentProposeSerializer,
    PayAdjustmentSerializer,
)
from payroll.adjustments import adjustment_approve, adjustment_propose, adjustment_reject
from payroll.models import PayAdjustment


@extend_schema_view(
    list=extend_schema(
        summary="Rewards, penalties, deductions and corrections (filters: status, kind, staff)"
    ),
    retrieve=extend_schema(summary="A reward, penalty, deduction or correction"),
    create=extend_schema(
        summary="Propose a reward, penalty or deduction (amount positive; signed by its kind), "
        "or the correction of a paid statement (`corrects`, amount signed)",
        description="A supervisor or a manager proposes; a correction is finance's or a "
        "manager's and names a paid statement of the same staff member (400 otherwise). "
        "A manager approves it; the next statement computed pays or deducts it.",
        request=PayAdjustmentProposeSerializer,
        responses={201: PayAdjustmentSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    ),
)
class PayAdjustmentViewSet(
    ActionInputMixin,
    IdempotentCreateMixin,
    ServiceCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    TenantViewSet,
):
    """Rewards and penalties (issue 21): wrong state 409, wrong role 403, another agency's
    404. Approving and rejecting is a manager's (403 for a supervisor)."""

    area = Area.PAY_ADJUSTMENTS
    model = PayAdjustment
    serializer_class = PayAdjustmentSerializer
    input_serializer_class = PayAdjustmentProposeSerializer
    filterset_class = AdjustmentFilter

    def tenant_queryset(self, agency: Agency) -> QuerySet[PayAdjustment]:
        return adjustment_selectors.adjustments_for(agency=agency)

    def create_with(self, **data: Any) -> PayAdjustment:
        adjustment = adjustment_propose(agency=self.agency, actor=self.actor, **data)
        return self.get_queryset().get(pk=adjustment.pk)

    def _decided(self, adjustment: PayAdjustment) -> Response:
        fresh = self.get_queryset().get(pk=adjustment.pk)
        return Response(PayAdjustmentSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Approve (a manager): the next statement computed takes it; twice: 409",
        request=PayAdjustmentDecisionSerializer,
        responses=PayAdjustmentSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request: Request, pk: str | None = None) -> Response:
        adjustment = self.get_object()
        data = self.action_input(PayAdjustmentDecisionSerializer)
        return self._decided(adjustment_approve(adjustment=adjustment, actor=self.actor, **data))

    @extend_schema(
        summary="Reject (a manager), saying why (`note` required); twice: 409",
        request=PayAdjustmentDecisionSerializer,
        responses=PayAdjustmentSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request: Request, pk: str | None = None) -> Response:
        adjustment = self.get_object()
        data = self.action_input(PayAdjustmentDecisionSerializer)
        return self._decided(adjustment_reject(adjustment=adjustment, actor=self.actor, **data))
