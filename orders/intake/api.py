"""Intake's API: customers, the catalogue, orders with their intake actions, cancellations,
callbacks.

Thin, like the pages: reads through the selectors for the request's agency, writes
through intake's services. Each action on an object is a POST to its own
URL (`/api/orders/{id}/confirm/`) and looks the object up with `get_object`, so
another agency's id answers 404 like a missing one.
"""

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, ServiceUpdateMixin, TenantViewSet
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, IdempotentCreateMixin, idempotent
from agency.models import Agency
from agency.permissions import Area
from orders import links
from orders import selectors as order_selectors
from orders.intake import selectors as intake_selectors
from orders.intake.filters import OrderFilter
from orders.intake.serializers import (
    CallbackCompleteSerializer,
    CallbackSerializer,
    CancellationApproveSerializer,
    CancellationRejectSerializer,
    CancellationSerializer,
    ConfirmationLinkSerializer,
    CustomerDetailSerializer,
    CustomerSerializer,
    OrderCancelSerializer,
    OrderConfirmSerializer,
    OrderDetailSerializer,
    OrderIntakeSerializer,
    OrderSerializer,
    PriceSerializer,
    PriceSetSerializer,
    QuoteSerializer,
    RevealedSerializer,
    RevealSerializer,
    ServiceTypeSerializer,
)
from orders.intake.services.booking import (
    CustomerInput,
    NeedsInput,
    order_confirm,
    order_confirmation_link_sent,
    order_intake,
    order_quote,
)
from orders.intake.services.callbacks import callback_complete
from orders.intake.services.cancellation import (
    cancellation_approve,
    cancellation_reject,
    order_request_cancellation,
)
from orders.intake.services.catalogue import price_set, service_type_create, service_type_update
from orders.intake.services.customers import customer_reveal_contact, customer_update
from orders.models import (
    Callback,
    Cancellation,
    Customer,
    Order,
    Price,
    ServiceType,
    SignaturePurpose,
    SignedVia,
)

# --- customers ----------------------------------------------------------------


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    special_attention = django_filters.BooleanFilter(label=gettext_lazy("special attention"))

    class Meta:
        model = Customer
        fields = ["q", "special_attention"]

    def search(self, queryset: QuerySet[Customer], name: str, value: str) -> QuerySet[Customer]:
        return intake_selectors.customer_search(queryset, value)


class CustomerViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceUpdateMixin,
    TenantViewSet,
):
    """Customers (客户), phones masked. Created by order intake, not here."""

    area = Area.ORDERS
    model = Customer
    filterset_class = CustomerFilter
    ordering_fields = ["name", "created_at"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return CustomerSerializer if self.action == "list" else CustomerDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Customer]:
        customers = intake_selectors.customers_for(agency=agency)
        return customers if self.action == "list" else customers.prefetch_related("addresses")

    def update_with(self, instance: Customer, **data: Any) -> Customer:
        return customer_update(customer=instance, actor=self.actor, **data)

    @extend_schema(
        summary="Reveal the full phone or a street address (recorded in the audit log)",
        request=RevealSerializer,
        responses=RevealedSerializer,
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        customer = self.get_object()
        data = self.action_input(RevealSerializer)
        value = customer_reveal_contact(
            customer=customer, actor=self.actor, field=data["field"], address=data["address"]
        )
        return Response(RevealedSerializer({"value": value}).data)


# --- catalogue ----------------------------------------------------------------


class ServiceTypeViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    TenantViewSet,
):
    """The catalogue (服务项目) and its price list: the office reads it, a manager edits it."""

    area = Area.ORDERS
    write_area = Area.PRICES
    model = ServiceType
    serializer_class = ServiceTypeSerializer
    filterset_fields = ["category", "is_active", "is_special"]
    ordering_fields = ["code", "category"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[ServiceType]:
        return intake_selectors.service_types_for(agency=agency)

    def create_with(self, **data: Any) -> ServiceType:
        service_type = service_type_create(agency=self.agency, actor=self.actor, **data)
        return self.tenant_queryset(self.agency).get(pk=service_type.pk)

    def update_with(self, instance: ServiceType, **data: Any) -> ServiceType:
        service_type = service_type_update(service_type=instance, actor=self.actor, **data)
        return self.tenant_queryset(self.agency).get(pk=service_type.pk)

    # Unsafe methods need `write_area` (HasAreaAccess), so only a manager sets prices.
    @extend_schema(
        summary="Set a new price from a date on (the current one ends that day)",
        request=PriceSetSerializer,
        responses={201: PriceSerializer},
    )
    @action(detail=True, methods=["post"])
    def prices(self, request: Request, pk: str | None = None) -> Response:
        service_type = self.get_object()
        data = self.action_input(PriceSetSerializer)
        price: Price = price_set(service_type=service_type, actor=self.actor, **data)
        return Response(PriceSerializer(price).data, status=status.HTTP_201_CREATED)


# --- orders -------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        summary="Take a booking: customer, needs form, order and its quote",
        description="Send an Idempotency-Key to retry safely: a resend answers the first "
        "booking again.",
        request=OrderIntakeSerializer,
        responses={201: OrderDetailSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
)
class OrderIntakeViewSet(
    ActionInputMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    IdempotentCreateMixin,
    ServiceCreateMixin,
    TenantViewSet,
):
    """Orders (订单): intake, quote, confirmation, cancellation. Status changes only in services."""

    area = Area.ORDERS
    model = Order
    filterset_class = OrderFilter
    ordering_fields = ["starts_at", "number"]
    input_serializer_class = OrderIntakeSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return OrderSerializer if self.action == "list" else OrderDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Order]:
        # The detail's timeline, quotes and signatures only where they are shown.
        if self.action == "retrieve":
            return order_selectors.order_detail(agency=agency)
        return order_selectors.orders_for(agency=agency)

    def detail_of(self, order: Order) -> dict[str, Any]:
        """The order as the detail shows it, read again after a service changed it."""
        fresh = order_selectors.order_detail(agency=self.agency).get(pk=order.pk)
        return dict(OrderDetailSerializer(fresh, context=self.get_serializer_context()).data)

    def create_with(self, **data: Any) -> Order:
        customer = CustomerInput(**data.pop("customer"))
        branch = data.pop("branch")
        is_urgent = data.pop("is_urgent")
        order = order_intake(
            agency=self.agency,
            actor=self.actor,
            branch=branch,
            customer=customer,
            needs=NeedsInput(**data),
            is_urgent=is_urgent,
        )
        return order_selectors.order_detail(agency=self.agency).get(pk=order.pk)

    @extend_schema(
        summary="Quote the order again from the price list",
        request=None,
        responses={201: QuoteSerializer},
    )
    @action(detail=True, methods=["post"])
    def quote(self, request: Request, pk: str | None = None) -> Response:
        quote = order_quote(order=self.get_object(), actor=self.actor)
        return Response(QuoteSerializer(quote).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm on the customer's behalf: the office verifies and says why",
        request=OrderConfirmSerializer,
        responses=OrderDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = self.action_input(OrderConfirmSerializer)
        quote_id = data["quote_id"]
        if quote_id is None:
            latest = order.latest_quote()
            if latest is None:
                raise ValidationError(_("Quote the order first."))
            quote_id = latest.pk
        order_confirm(
            order=order,
            quote_id=quote_id,
            signed_name=data["signed_name"],
            via=SignedVia.OFFICE,
            actor=self.actor,
            user_agent=request.headers.get("User-Agent", ""),
            verification_reason=data["verification_reason"],
        )
        return Response(self.detail_of(order))

    @extend_schema(
        summary="The customer's signed link to confirm the latest quote",
        request=None,
        responses=ConfirmationLinkSerializer,
    )
    @action(detail=True, methods=["post"], url_path="confirmation-link")
    def confirmation_link(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        latest = order.latest_quote()
        if latest is None:
            raise ValidationError(_("Quote the order first."))
        url = links.link_url(
            request, order=order, purpose=SignaturePurpose.CONFIRM_ORDER, ref=latest.pk
        )
        order_confirmation_link_sent(order=order, actor=self.actor, channel="api")
        return Response(ConfirmationLinkSerializer({"url": url}).data)

    @extend_schema(
        summary="Request the cancellation, signed by the office on the customer's behalf",
        description="Free within the agency's window: cancelled at once. Later: a fee, "
        "and the request waits for a manager (status awaiting_approval).",
        request=OrderCancelSerializer,
        responses={201: CancellationSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = self.action_input(OrderCancelSerializer)
        cancellation = order_request_cancellation(
            order=order,
            actor=self.actor,
            via=SignedVia.OFFICE,
            user_agent=request.headers.get("User-Agent", ""),
            **data,
        )
        fresh = intake_selectors.cancellations_for(agency=self.agency).get(pk=cancellation.pk)
        return Response(CancellationSerializer(fresh).data, status=status.HTTP_201_CREATED)


# --- cancellations ------------------------------------------------------------


class CancellationViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Cancellation requests; a manager approves or rejects the late ones."""

    area = Area.ORDERS
    write_area = Area.APPROVALS
    model = Cancellation
    serializer_class = CancellationSerializer
    filterset_fields = ["status"]
    ordering_fields = ["requested_at"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Cancellation]:
        return intake_selectors.cancellations_for(agency=agency)

    def decided(self, cancellation: Cancellation) -> Response:
        fresh = self.tenant_queryset(self.agency).get(pk=cancellation.pk)
        return Response(CancellationSerializer(fresh).data)

    @extend_schema(
        summary="Approve: the order is cancelled and the fee kept for billing",
        request=CancellationApproveSerializer,
        responses=CancellationSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        cancellation = self.get_object()
        data = self.action_input(CancellationApproveSerializer)
        return self.decided(
            cancellation_approve(
                cancellation=cancellation, actor=self.actor, note_text=data["note"]
            )
        )

    @extend_schema(
        summary="Reject: the order stays as it was",
        request=CancellationRejectSerializer,
        responses=CancellationSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        cancellation = self.get_object()
        data = self.action_input(CancellationRejectSerializer)
        return self.decided(
            cancellation_reject(cancellation=cancellation, actor=self.actor, note_text=data["note"])
        )


# --- callbacks ----------------------------------------------------------------


class CallbackFilter(django_filters.FilterSet):
    done = django_filters.BooleanFilter(
        label=gettext_lazy("done"),
        field_name="done_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="Without it: the open callbacks only.",
    )

    class Meta:
        model = Callback
        fields = ["done"]


class CallbackViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Calls the office owes customers (回电): the open ones unless `?done=` says otherwise."""

    area = Area.ORDERS
    model = Callback
    serializer_class = CallbackSerializer
    filterset_class = CallbackFilter
    ordering_fields = ["due_at", "done_at"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[Callback]:
        if self.action == "list" and not self.request.query_params.get("done"):
            return intake_selectors.callbacks_open(agency=agency)
        return intake_selectors.callbacks_for(agency=agency)

    @extend_schema(
        summary="The office called back; note what the customer said",
        request=CallbackCompleteSerializer,
        responses=CallbackSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        callback = self.get_object()
        data = self.action_input(CallbackCompleteSerializer)
        done = callback_complete(callback=callback, actor=self.actor, outcome=data["outcome"])
        fresh = self.tenant_queryset(self.agency).get(pk=done.pk)
        return Response(CallbackSerializer(fresh).data)
