"""The prepaid API: products, cards with their balances and ledgers, selling, paying an
invoice from a card, refunds. One service call per write; another agency's id is a 404,
a wrong state 409, a wrong role 403, bad input 400. Selling and paying honour an
`Idempotency-Key`."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, ServiceCreateMixin, ServiceUpdateMixin, TenantViewSet
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from agency.models import Agency
from agency.permissions import Area
from orders.billing.serializers import PaymentSerializer
from orders.models import CardRefund, PrepaidCard, PrepaidProduct
from orders.prepaid import refunds, selectors, services
from orders.prepaid.filters import CardFilter
from orders.prepaid.serializers import (
    CardPaySerializer,
    CardRefundRequestSerializer,
    CardRefundSerializer,
    CardSerializer,
    EntrySerializer,
    PayBackSerializer,
    ProductSerializer,
    SellSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Prepaid products: stored-value cards and packages"),
    retrieve=extend_schema(summary="A prepaid product"),
    create=extend_schema(summary="A manager sets up a product"),
    update=extend_schema(summary="A manager changes a product (sold cards keep their terms)"),
    partial_update=extend_schema(summary="A manager changes a product"),
)
class ProductViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    TenantViewSet,
):
    """Products the agency sells (储值卡, 套餐); the desk reads them, a manager writes."""

    area = Area.PREPAID
    write_area = Area.PRICES
    model = PrepaidProduct
    serializer_class = ProductSerializer
    filterset_fields = ["kind", "is_active"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[PrepaidProduct]:
        return selectors.products_for(agency=agency)

    def create_with(self, **data: Any) -> PrepaidProduct:
        product = PrepaidProduct(agency=self.agency, **data)
        return services.product_save(product=product, actor=self.actor)

    def update_with(self, instance: PrepaidProduct, **data: Any) -> PrepaidProduct:
        for name, value in data.items():
            setattr(instance, name, value)
        return services.product_save(product=instance, actor=self.actor)


@extend_schema_view(
    list=extend_schema(summary="Cards with their balances; by status, kind, number or customer"),
    retrieve=extend_schema(summary="A card with its balance"),
)
class CardViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Customers' prepaid cards. The balance is the sum of the card's ledger."""

    area = Area.PREPAID
    model = PrepaidCard
    serializer_class = CardSerializer
    filterset_class = CardFilter
    ordering_fields = ["sold_at", "valid_until", "number"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[PrepaidCard]:
        return selectors.cards_for(agency=agency)

    def answer(self, card: PrepaidCard, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.cards_for(agency=self.agency).get(pk=card.pk)
        return Response(CardSerializer(fresh).data, status=code)

    @extend_schema(
        summary="Sell a card: the money taken, the card numbered and credited",
        description="A product not on sale, or another agency's: 400. Method `prepaid`: 400.",
        request=SellSerializer,
        responses={201: CardSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.action_input(SellSerializer)
        card = services.card_sell(actor=self.actor, **data)
        return self.answer(card, status.HTTP_201_CREATED)

    @extend_schema(summary="The card's ledger, oldest first", responses=EntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def ledger(self, request: Request, pk: str | None = None) -> Response:
        entries = selectors.card_ledger(self.get_object())
        return Response(EntrySerializer(entries, many=True).data)

    @extend_schema(
        summary="Pay an issued invoice of the card's customer from the card, with a receipt",
        description="Finance or a manager. More than the balance or what is open: 400. "
        "Not the invoice's customer, refunded, expired, or no visit a package pays: 409.",
        request=CardPaySerializer,
        responses={201: PaymentSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def pay(self, request: Request, pk: str | None = None) -> Response:
        card = self.get_object()
        data = self.action_input(CardPaySerializer)
        payment = services.card_pay(card=card, actor=self.actor, **data)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ask to pay back the unused balance; a manager approves",
        description="Not active, or nothing paid for is left: 409.",
        request=CardRefundRequestSerializer,
        responses={201: CardRefundSerializer},
    )
    @action(detail=True, methods=["post"])
    def refund(self, request: Request, pk: str | None = None) -> Response:
        card = self.get_object()
        data = self.action_input(CardRefundRequestSerializer)
        refund = refunds.card_refund_request(card=card, actor=self.actor, **data)
        return Response(CardRefundSerializer(refund).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Card refunds; `?status=requested` for a manager's approvals"),
    retrieve=extend_schema(summary="A card refund"),
)
class CardRefundViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Refunds of cards' unused balances: asked, approved by a manager, paid back."""

    area = Area.PREPAID
    model = CardRefund
    serializer_class = CardRefundSerializer
    filterset_fields = ["status", "card"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[CardRefund]:
        return selectors.refunds_for(agency=agency)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return CardRefundSerializer

    def answer(self, refund: CardRefund) -> Response:
        fresh = selectors.refunds_for(agency=self.agency).get(pk=refund.pk)
        return Response(CardRefundSerializer(fresh).data)

    @extend_schema(summary="A manager approves", request=None, responses=CardRefundSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        refund = refunds.card_refund_decide(
            refund=self.get_object(), actor=self.actor, approve=True
        )
        return self.answer(refund)

    @extend_schema(
        summary="A manager rejects: the card is active again",
        request=None,
        responses=CardRefundSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        refund = refunds.card_refund_decide(
            refund=self.get_object(), actor=self.actor, approve=False
        )
        return self.answer(refund)

    @extend_schema(
        summary="Finance records the money paid back; the card ends",
        request=PayBackSerializer,
        responses=CardRefundSerializer,
    )
    @action(detail=True, methods=["post"], url_path="pay-back")
    def pay_back(self, request: Request, pk: str | None = None) -> Response:
        refund = self.get_object()
        data = self.action_input(PayBackSerializer)
        return self.answer(refunds.card_refund_pay_back(refund=refund, actor=self.actor, **data))
