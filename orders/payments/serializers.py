"""The online payment API's shapes. Provider secrets are write-only: an answer never holds
them, sealed or not (issue 18: "never shown back")."""

from typing import Any

from rest_framework import serializers

from agency.serializers import TenantPrimaryKeyRelatedField
from orders.models import Invoice
from orders.payments.models import (
    Checkout,
    PayChannel,
    Provider,
    ProviderAccount,
    ReconciliationDifference,
    RefusedNotification,
)


class CheckoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Checkout
        fields = [
            "id",
            "invoice",
            "provider",
            "channel",
            "out_trade_no",
            "amount",
            "currency",
            "status",
            "code_url",
            "pay_url",
            "transaction_id",
            "created_at",
            "paid_at",
        ]
        read_only_fields = fields


class CheckoutStartSerializer(serializers.Serializer):
    invoice = TenantPrimaryKeyRelatedField(Invoice)
    provider = serializers.ChoiceField(choices=Provider.choices)
    channel = serializers.ChoiceField(choices=PayChannel.choices, default=PayChannel.NATIVE)


class RefusedNotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = RefusedNotification
        fields = [
            "id",
            "provider",
            "reason",
            "detail",
            "out_trade_no",
            "transaction_id",
            "received_at",
        ]
        read_only_fields = fields


class ReconciliationDifferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReconciliationDifference
        fields = ["id", "provider", "bill_date", "kind", "reference", "is_refund", "ours", "theirs"]
        read_only_fields = fields


class ProviderAccountSerializer(serializers.ModelSerializer):
    #: Write-only: sealed when saved, never answered. Empty on a change keeps the stored one.
    private_key = serializers.CharField(
        write_only=True, required=False, allow_blank=True, style={"input_type": "password"}
    )
    api_key = serializers.CharField(
        write_only=True, required=False, allow_blank=True, style={"input_type": "password"}
    )
    has_private_key = serializers.SerializerMethodField()

    class Meta:
        model = ProviderAccount
        fields = [
            "id",
            "provider",
            "merchant_id",
            "app_id",
            "cert_serial_no",
            "public_key_id",
            "provider_public_key",
            "is_active",
            "private_key",
            "api_key",
            "has_private_key",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        # The agency's one account per provider is checked by the service (400 on provider).
        validators: list[Any] = []

    def get_has_private_key(self, account: ProviderAccount) -> bool:
        return bool(account.private_key_encrypted)
