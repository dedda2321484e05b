"""The office's side: acceptance rounds (`/api/acceptance-rounds/`), rework items
(`/api/rework-items/`) and change requests (`/api/change-requests/`), area orders."""

from collections.abc import Callable
from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, TenantViewSet
from agency.models import Agency
from agency.permissions import Area
from orders import links
from orders.models import (
    AcceptanceRound,
    ChangeRequest,
    ChangeStatus,
    FailedItem,
    Order,
    RoundOutcome,
    SignaturePurpose,
    SignedVia,
    Signoff,
    Stage,
)
from orders.service import selectors
from orders.service.serializers.acceptance import (
    AcceptanceRoundDetailSerializer,
    AcceptanceRoundSerializer,
    CustomerLinkSerializer,
    OfficeVerifySerializer,
    ReworkItemSerializer,
    ReworkReassignSerializer,
    RoundCreateSerializer,
    SupervisorSignSerializer,
    failures,
)
from orders.service.serializers.log import (
    ChangeRequestSerializer,
    ChangeWithdrawSerializer,
    OfficeChangeRequestCreateSerializer,
)
from orders.service.services.acceptance import (
    AcceptanceConflict,
    CustomerVerdict,
    acceptance_send_link,
    acceptance_sign_customer,
    acceptance_sign_supervisor,
    rework_reassign,
    rework_submit,
)
from orders.service.services.changes import (
    change_request_create,
    change_request_send_link,
    change_request_withdraw,
)


class OrderScopedFilter(django_filters.FilterSet):
    """Filters with an `order` choice: the choices are the requesting agency's orders, so an
    order of another agency is refused like one that does not exist."""

    order = django_filters.ModelChoiceFilter(
        label=gettext_lazy("order"), queryset=Order.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["order"].queryset = Order.objects.filter(agency=self.request.agency)


class AcceptanceRoundFilter(OrderScopedFilter):
    stage = django_filters.TypedChoiceFilter(
        label=gettext_lazy("waiting stage"),
        field_name="next_stage",
        choices=Stage.choices,
        coerce=int,
        help_text="Open rounds waiting for this stage to sign.",
    )
    outcome = django_filters.ChoiceFilter(
        label=gettext_lazy("outcome"), choices=RoundOutcome.choices
    )

    class Meta:
        model = AcceptanceRound
        fields = ["stage", "outcome", "order"]


@extend_schema_view(
    create=extend_schema(
        summary="After rework, run acceptance again: the next round, from stage 1",
        request=RoundCreateSerializer,
        responses={201: AcceptanceRoundDetailSerializer},
    )
)
class AcceptanceRoundViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Acceptance rounds (验收): the queue by waiting stage, each round's sign-offs, and the
    office's stages — 2 and 3 by a supervisor or manager (two different people), 4 verified
    on the customer's behalf or sent to the customer as a link.

    A round named in the URL that is no longer the order's open one answers 409.
    """

    area = Area.ORDERS
    model = AcceptanceRound
    filterset_class = AcceptanceRoundFilter
    ordering_fields = ["opened_at", "closed_at"]
    input_serializer_class = RoundCreateSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return (
            AcceptanceRoundSerializer if self.action == "list" else AcceptanceRoundDetailSerializer
        )

    def tenant_queryset(self, agency: Agency) -> QuerySet[AcceptanceRound]:
        rounds = selectors.acceptance_rounds_for(agency=agency).order_by("opened_at", "id")
        return rounds if self.action == "list" else selectors.with_signoffs(rounds)

    def detail_of(self, round_: AcceptanceRound, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.with_signoffs(selectors.acceptance_rounds_for(agency=self.agency)).get(
            pk=round_.pk
        )
        return Response(
            AcceptanceRoundDetailSerializer(fresh, context=self.get_serializer_context()).data,
            status=code,
        )

    def create_with(self, **data: Any) -> AcceptanceRound:
        round_ = rework_submit(order=data["order"], actor=self.actor)
        return selectors.with_signoffs(selectors.acceptance_rounds_for(agency=self.agency)).get(
            pk=round_.pk
        )

    def on_this_round(self, round_: AcceptanceRound, sign: Callable[[], Signoff]) -> None:
        """Sign through the service, but only the round in the URL: the services sign the
        order's open round, which is another one if this one closed meanwhile."""
        with transaction.atomic():
            signoff = sign()
            if signoff.round_id != round_.pk:
                raise AcceptanceConflict(_("This round is closed."))

    @extend_schema(
        summary="Sign stage 2 (team supervisor) or 3 (office supervisor)",
        description="A supervisor or manager; stage 3 by someone else than stage 2 (403). "
        "Out of turn or signed already: 409.",
        request=SupervisorSignSerializer,
        responses={201: AcceptanceRoundDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        data = self.action_input(SupervisorSignSerializer)
        self.on_this_round(
            round_,
            lambda: acceptance_sign_supervisor(
                order=round_.order,
                stage=data["stage"],
                actor=self.actor,
                passed=data["passed"],
                failures=failures(data["failed_items"]),
                comment=data["comment"],
            ),
        )
        return self.detail_of(round_, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Sign the customer's stage on their behalf: the office verifies and says why",
        description="Only the customer gives a score and a comment, so there are none here.",
        request=OfficeVerifySerializer,
        responses={201: AcceptanceRoundDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        data = self.action_input(OfficeVerifySerializer)
        self.on_this_round(
            round_,
            lambda: acceptance_sign_customer(
                order=round_.order,
                actor=self.actor,
                verdict=CustomerVerdict.signed(
                    data, via=SignedVia.OFFICE, user_agent=request.headers.get("User-Agent", "")
                ),
                passed=data["passed"],
                failures=failures(data["failed_items"]),
            ),
        )
        return self.detail_of(round_, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Text the customer the signed link to accept this round (or say what failed)",
        request=None,
        responses=CustomerLinkSerializer,
    )
    @action(detail=True, methods=["post"], url_path="customer-link")
    def customer_link(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        if round_.outcome != RoundOutcome.OPEN:
            raise AcceptanceConflict(_("This round is closed."))
        url = links.link_url(
            request, order=round_.order, purpose=SignaturePurpose.ACCEPT_SERVICE, ref=round_.number
        )
        acceptance_send_link(order=round_.order, actor=self.actor, url=url)
        return Response(CustomerLinkSerializer({"url": url}).data)


class ReworkItemFilter(OrderScopedFilter):
    responsible = django_filters.NumberFilter(
        label=gettext_lazy("responsible"), help_text="A staff member's id."
    )

    class Meta:
        model = FailedItem
        fields = ["order", "responsible"]


class ReworkItemViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Rework (返工): the list is the failed items still to redo on orders in rework; any
    failed item is retrieved by id. The office hands an item to another team member."""

    area = Area.ORDERS
    model = FailedItem
    serializer_class = ReworkItemSerializer
    filterset_class = ReworkItemFilter

    def tenant_queryset(self, agency: Agency) -> QuerySet[FailedItem]:
        if self.action == "list":
            return selectors.rework_due(agency=agency)
        return selectors.failed_items_for(agency=agency)

    @extend_schema(
        summary="Hand the item to another member of the order's team",
        request=ReworkReassignSerializer,
        responses=ReworkItemSerializer,
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        data = self.action_input(ReworkReassignSerializer)
        rework_reassign(item=item, staff=data["staff"], actor=self.actor)
        fresh = selectors.failed_items_for(agency=self.agency).get(pk=item.pk)
        return Response(ReworkItemSerializer(fresh, context=self.get_serializer_context()).data)


class ChangeRequestFilter(OrderScopedFilter):
    status = django_filters.ChoiceFilter(label=gettext_lazy("status"), choices=ChangeStatus.choices)

    class Meta:
        model = ChangeRequest
        fields = ["order", "status"]


@extend_schema_view(
    create=extend_schema(
        summary="Ask the customer to approve a change of content or fee (priced from the list)",
        request=OfficeChangeRequestCreateSerializer,
        responses={201: ChangeRequestSerializer},
    )
)
class ChangeRequestViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Change requests (变更): they take effect only once the customer approved them, by
    their signed link or in person on the device of staff on the job."""

    area = Area.ORDERS
    model = ChangeRequest
    serializer_class = ChangeRequestSerializer
    input_serializer_class = OfficeChangeRequestCreateSerializer
    filterset_class = ChangeRequestFilter
    ordering_fields = ["requested_at", "decided_at"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[ChangeRequest]:
        return selectors.change_requests_for(agency=agency).order_by("requested_at", "id")

    def create_with(self, **data: Any) -> ChangeRequest:
        change = change_request_create(actor=self.actor, **data)
        return self.tenant_queryset(self.agency).get(pk=change.pk)

    def shown(self, change: ChangeRequest) -> Response:
        fresh = self.tenant_queryset(self.agency).get(pk=change.pk)
        return Response(ChangeRequestSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Text the customer the signed link to approve or decline the change",
        request=None,
        responses=CustomerLinkSerializer,
    )
    @action(detail=True, methods=["post"], url_path="customer-link")
    def customer_link(self, request: Request, pk: str | None = None) -> Response:
        change = self.get_object()
        url = links.link_url(
            request, order=change.order, purpose=SignaturePurpose.APPROVE_CHANGE, ref=change.pk
        )
        change_request_send_link(change=change, actor=self.actor, url=url)
        return Response(CustomerLinkSerializer({"url": url}).data)

    @extend_schema(
        summary="Take the change back while the customer has not answered",
        request=ChangeWithdrawSerializer,
        responses=ChangeRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        change = self.get_object()
        data = self.action_input(ChangeWithdrawSerializer)
        return self.shown(
            change_request_withdraw(change=change, actor=self.actor, reason=data["reason"])
        )
