"""The online payment API: start a checkout for an invoice (finance at the office), list
checkouts, refused notifications and reconciliation differences (finance), and the agency's
provider accounts (a manager; secrets write-only). Thin: every rule is in the services."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from agency.api import ServiceCreateMixin, ServiceUpdateMixin, TenantViewSet
from agency.idempotency import IDEMPOTENCY_KEY_PARAMETER, IdempotentCreateMixin
from agency.models import Agency
from agency.permissions import Area
from orders.payments import selectors
from orders.payments.accounts import account_save
from orders.payments.models import (
    Checkout,
    ProviderAccount,
    ReconciliationDifference,
    RefusedNotification,
)
from orders.payments.serializers import (
    CheckoutSerializer,
    CheckoutStartSerializer,
    ProviderAccountSerializer,
    ReconciliationDifferenceSerializer,
    RefusedNotificationSerializer,
)
from orders.payments.services import checkout_start


@extend_schema_view(
    list=extend_schema(summary="Online checkouts: each attempt to pay an invoice online"),
    create=extend_schema(
        summary="Start a checkout for what is open on an invoice: a QR code's content "
        "(native) or the page to open (phone, page)",
        description="A draft or paid invoice: 409. A provider the agency has not configured: "
        "400 on `provider`. An open checkout of the same kind and amount is answered again "
        "(a retry starts nothing new). The provider unreachable: 409.",
        request=CheckoutStartSerializer,
        responses={201: CheckoutSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    ),
)
class CheckoutViewSet(
    IdempotentCreateMixin, ServiceCreateMixin, mixins.ListModelMixin, TenantViewSet
):
    area = Area.BILLING
    model = Checkout
    serializer_class = CheckoutSerializer
    input_serializer_class = CheckoutStartSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[Checkout]:
        return selectors.checkouts_for(agency=agency).order_by("-created_at", "-id")

    def create_with(self, **data: Any) -> Checkout:
        return checkout_start(
            invoice=data["invoice"],
            provider=data["provider"],
            channel=data["channel"],
            actor=self.actor,
            client_ip=self.actor.ip_address or "",
        )


@extend_schema_view(
    list=extend_schema(summary="Payment notifications refused: never a payment, for finance")
)
class RefusedNotificationViewSet(mixins.ListModelMixin, TenantViewSet):
    area = Area.BILLING
    model = RefusedNotification
    serializer_class = RefusedNotificationSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[RefusedNotification]:
        return selectors.refused_notifications(agency=agency)


@extend_schema_view(
    list=extend_schema(
        summary="Reconciliation differences: the providers' daily bills against our records"
    )
)
class ReconciliationDifferenceViewSet(mixins.ListModelMixin, TenantViewSet):
    area = Area.BILLING
    model = ReconciliationDifference
    serializer_class = ReconciliationDifferenceSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[ReconciliationDifference]:
        return selectors.differences(agency=agency)


@extend_schema_view(
    list=extend_schema(summary="The agency's payment provider accounts (secrets never shown)"),
    retrieve=extend_schema(summary="A provider account (secrets never shown)"),
    create=extend_schema(
        summary="Enter the agency's account at a provider; the keys are tried before saving"
    ),
    partial_update=extend_schema(
        summary="Change an account; an empty or missing secret keeps the stored one"
    ),
    update=extend_schema(summary="Replace an account; an empty secret keeps the stored one"),
)
class ProviderAccountViewSet(
    ServiceCreateMixin,
    ServiceUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    TenantViewSet,
):
    area = Area.SETTINGS
    model = ProviderAccount
    serializer_class = ProviderAccountSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[ProviderAccount]:
        return ProviderAccount.objects.filter(agency=agency).order_by("provider")

    def create_with(self, **data: Any) -> ProviderAccount:
        return self._save(data.pop("provider"), data)

    def update_with(self, instance: ProviderAccount, **data: Any) -> ProviderAccount:
        data.pop("provider", None)  # an account stays at its provider
        return self._save(instance.provider, data)

    def _save(self, provider: str, data: dict[str, Any]) -> ProviderAccount:
        return account_save(
            agency=self.agency,
            provider=provider,
            actor=self.actor,
            private_key=data.pop("private_key", ""),
            api_key=data.pop("api_key", ""),
            values=data,
        )
