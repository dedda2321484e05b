"""The portal API's money endpoints: one invoice with its receipts, starting an online payment,
paying from a prepaid card, the customer's cards and a card's ledger (issue 18).

Customer auth only (portal.authentication). Objects are found through `portal.money`,
scoped to (agency, customer), before the body is read: another customer's invoice or card
is a 404 whatever is sent. Refusals: 400 with field errors, 409 for a state conflict (a paid
invoice, an expired card), like the office's API.
"""

from typing import Any

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.audit import Actor
from agency.errors import StateConflict
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from orders.models import CardEntry, Invoice, PrepaidCard
from orders.payments.models import PayChannel, Provider
from orders.payments.pages import providers_of
from orders.payments.serializers import CheckoutSerializer
from orders.payments.services import checkout_start
from orders.prepaid.selectors import card_ledger
from orders.prepaid.serializers import CardStatusField, EntryKindField, ProductKindField
from orders.prepaid.services import card_pay
from portal import money
from portal.api import AGENCY_SLUG, PortalAPIMixin
from portal.serializers import DetailSerializer, PortalInvoiceSerializer, PortalReceiptSerializer

# --- what is shown ---------------------------------------------------------------------


class PortalInvoiceDetailSerializer(PortalInvoiceSerializer):
    open_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    payable = serializers.SerializerMethodField(help_text="Issued with something still open.")
    providers = serializers.SerializerMethodField(
        help_text="The online providers the agency takes (`wechat`, `alipay`)."
    )

    class Meta(PortalInvoiceSerializer.Meta):
        fields = [*PortalInvoiceSerializer.Meta.fields, "open_amount", "payable", "providers"]
        read_only_fields = fields

    def get_payable(self, invoice: Invoice) -> bool:
        return money.is_payable(invoice)

    def get_providers(self, invoice: Invoice) -> list[str]:
        return [value for value, _label in providers_of(invoice)]


class StartPaymentSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=Provider.choices)
    channel = serializers.ChoiceField(
        choices=[PayChannel.PHONE, PayChannel.NATIVE],
        default=PayChannel.PHONE,
        help_text="`phone`: a page to open (WeChat H5, Alipay WAP); `native`: a QR code's content.",
    )
    return_url = serializers.URLField(required=False, default="", allow_blank=True)


class CardPayRequestSerializer(serializers.Serializer):
    card = serializers.IntegerField(help_text="One of the customer's own cards.")
    amount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="Stored value only; empty pays all it can. A package pays one visit.",
    )


class PortalCardSerializer(serializers.ModelSerializer):
    kind = ProductKindField(read_only=True)
    status = CardStatusField(read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    balance_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text="Money left (0: a package)."
    )
    balance_visits = serializers.IntegerField(read_only=True, help_text="Visits left (packages).")

    class Meta:
        model = PrepaidCard
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "product_name",
            "credit",
            "visits",
            "valid_until",
            "balance_amount",
            "balance_visits",
        ]
        read_only_fields = fields


class PortalEntrySerializer(serializers.ModelSerializer):
    """A ledger line as the customer sees it (who at the office wrote it is not shown)."""

    kind = EntryKindField(read_only=True)
    invoice_number = serializers.CharField(source="invoice.number", read_only=True, allow_null=True)
    receipt_number = serializers.CharField(
        source="payment.receipt_number", read_only=True, allow_null=True
    )

    class Meta:
        model = CardEntry
        fields = [
            "id",
            "kind",
            "amount",
            "visits",
            "invoice_number",
            "receipt_number",
            "created_at",
        ]
        read_only_fields = fields


# --- the endpoints -----------------------------------------------------------------------


class PortalMoneyMixin(PortalAPIMixin):
    """The customer acting (audit entries, timelines) and holding an `Idempotency-Key`."""

    @property
    def idempotency_customer_id(self) -> int:
        return self.customer.pk

    def portal_actor(self) -> Actor:
        return Actor.customer(self.customer.pk, ip_address=get_client_ip_address(self.request))


def _conflict(error: StateConflict) -> Response:
    return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)


def _invalid(error: DjangoValidationError) -> Response:
    detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class InvoiceMoneyViewSet(PortalMoneyMixin, viewsets.GenericViewSet[Invoice]):
    """One of the customer's invoices: its receipts and the ways to pay it."""

    model = Invoice
    serializer_class = PortalInvoiceDetailSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Invoice]:
        return money.invoices_of(agency=self.agency, customer=self.customer)

    @extend_schema(summary="An invoice: what is open, its receipts, the providers it takes")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Start paying online: the provider's page to open, or a QR code's content",
        description="A paid invoice: 409. A provider the agency does not take: 400.",
        request=StartPaymentSerializer,
        responses={201: CheckoutSerializer, 400: DetailSerializer, 409: DetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invoice = self.get_object()
        data = StartPaymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = self.portal_actor()
        try:
            checkout = checkout_start(
                invoice=invoice,
                actor=actor,
                client_ip=actor.ip_address or "",
                **data.validated_data,
            )
        except StateConflict as error:
            return _conflict(error)
        except DjangoValidationError as error:
            return _invalid(error)
        return Response(CheckoutSerializer(checkout).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Pay from one of the customer's prepaid cards: the receipt",
        description="Another customer's card: 404. More than the balance: 400. "
        "A paid invoice, an expired or refunded card, no visit a package pays: 409.",
        request=CardPayRequestSerializer,
        responses={201: PortalReceiptSerializer, 400: DetailSerializer, 409: DetailSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path="card-pay")
    @idempotent
    def card_pay(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invoice = self.get_object()
        data = CardPayRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cards = money.cards_of(agency=self.agency, customer=self.customer)
        card = cards.filter(pk=data.validated_data["card"]).first()
        if card is None:
            raise Http404
        if not money.is_payable(invoice):
            return _conflict(StateConflict(_("This invoice is paid already.")))
        try:
            payment = card_pay(
                card=card,
                invoice=invoice,
                actor=self.portal_actor(),
                amount=data.validated_data["amount"],
            )
        except StateConflict as error:
            return _conflict(error)
        except DjangoValidationError as error:
            return _invalid(error)
        context = self.get_serializer_context()
        return Response(
            PortalReceiptSerializer(payment, context=context).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["portal"], parameters=[AGENCY_SLUG])
class CardViewSet(PortalMoneyMixin, mixins.ListModelMixin, viewsets.GenericViewSet[PrepaidCard]):
    """The customer's prepaid cards with their balances; a card's ledger."""

    model = PrepaidCard
    serializer_class = PortalCardSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[PrepaidCard]:
        return money.cards_of(agency=self.agency, customer=self.customer).select_related("product")

    @extend_schema(
        summary="A card's ledger, oldest first: top-ups, uses, refunds, expiry",
        responses=PortalEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def ledger(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entries = card_ledger(self.get_object())
        return Response(PortalEntrySerializer(entries, many=True).data)
