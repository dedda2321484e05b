"""The staffing actions of the order API: candidates, "why not?", proposal, the
customer's answer by phone, 换人 and release, each a POST (or GET) on the order.

A mixin: the order answers at one URL (`/api/orders/{id}/…`), and `orders.api`
composes it with intake's viewset, which provides `detail_of`.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, TenantViewSet
from agency.models import Agency
from orders import links
from orders.intake.serializers import OrderDetailSerializer
from orders.models import Order, SignaturePurpose
from orders.staffing.matching import explain_exclusion, orders_to_match, rank_candidates
from orders.staffing.serializers import (
    CandidateSerializer,
    ConfirmStaffSerializer,
    DeclineStaffSerializer,
    ExplainQuerySerializer,
    ExplainSerializer,
    ProposeSerializer,
    ReleaseSerializer,
    ReplaceSerializer,
    StaffCardLinkSerializer,
)
from orders.staffing.services import (
    VIA_PHONE,
    assignment_confirm,
    assignment_decline,
    assignment_propose,
    assignment_release,
    assignment_replace,
    assignment_send_staff_card,
)


class OrderStaffingActions(ActionInputMixin, TenantViewSet):
    """Staffing an order through the API; mixed into the order's viewset."""

    #: The order as the detail shows it, after a change (intake's viewset provides it).
    detail_of: Callable[[Order], dict[str, Any]]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Order]:
        # Matching reads the order with what the hard filters need.
        if self.action in ("candidates", "candidates_explain"):
            return orders_to_match(agency=agency)
        return super().tenant_queryset(agency)

    @extend_schema(
        summary="Ranked candidates for the order, best first, each with its reasons",
        responses=CandidateSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def candidates(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        context = self.get_serializer_context()
        return Response(
            CandidateSerializer(rank_candidates(order=order), many=True, context=context).data
        )

    @extend_schema(
        summary="Why a staff member is not a candidate: each hard rule they fail",
        parameters=[ExplainQuerySerializer],
        responses=ExplainSerializer,
    )
    @action(detail=True, methods=["get"], url_path="candidates/explain")
    def candidates_explain(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        query = ExplainQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        staff = query.validated_data["staff"]
        reasons = explain_exclusion(order=order, staff=staff)
        return Response(
            ExplainSerializer({"staff": staff.pk, "eligible": not reasons, "reasons": reasons}).data
        )

    @extend_schema(
        summary="Propose staff to the customer, the on-site lead first",
        description="Each must pass the hard filters (400 with the reasons). Someone booked "
        "meanwhile by another dispatcher: 409.",
        request=ProposeSerializer,
        responses={201: OrderDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = self.action_input(ProposeSerializer)
        assignment_propose(order=order, staff_list=data["staff"], actor=self.actor)
        return Response(self.detail_of(order), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Text the customer the staff card link (name, photo, qualifications; no phone)",
        request=None,
        responses=StaffCardLinkSerializer,
    )
    @action(detail=True, methods=["post"], url_path="staff-card-link")
    def staff_card_link(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        url = links.link_url(request, order=order, purpose=SignaturePurpose.CONFIRM_STAFF)
        assignment_send_staff_card(order=order, actor=self.actor, url=url)
        return Response(StaffCardLinkSerializer({"url": url}).data)

    @extend_schema(
        summary="The customer confirmed the proposed staff on the phone: the order is assigned",
        request=ConfirmStaffSerializer,
        responses=OrderDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="confirm-staff")
    def confirm_staff(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = self.action_input(ConfirmStaffSerializer)
        assignment_confirm(order=order, via=VIA_PHONE, actor=self.actor, note=data["note"])
        return Response(self.detail_of(order))

    @extend_schema(
        summary="The customer declined the proposed staff on the phone",
        request=DeclineStaffSerializer,
        responses=OrderDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="decline-staff")
    def decline_staff(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = self.action_input(DeclineStaffSerializer)
        assignment_decline(order=order, actor=self.actor, reason=data["note"])
        return Response(self.detail_of(order))

    @extend_schema(
        summary="换人: replace a confirmed staff member, keeping who served when",
        request=ReplaceSerializer,
        responses=OrderDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def replace(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = self.action_input(ReplaceSerializer)
        assignment_replace(order=order, actor=self.actor, **data)
        return Response(self.detail_of(order))

    @extend_schema(
        summary="Release a staff member before the job (or withdraw a proposal)",
        request=ReleaseSerializer,
        responses=OrderDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = self.action_input(ReleaseSerializer)
        assignment_release(order=order, actor=self.actor, **data)
        return Response(self.detail_of(order))
