"""GET /api/messages/: the agency's message log, for managers, with the page's filters."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers

from agency.api import TenantViewSet
from agency.masking import mask_phone
from agency.models import Agency, Channel, MessageStatus, OutboundMessage
from agency.permissions import Area
from messaging.filters import MessageAPIFilter
from messaging.rules import BY_CODE
from messaging.selectors import messages_for


class MessageSerializer(serializers.ModelSerializer):
    recipient = serializers.SerializerMethodField(
        help_text="An email address, or a phone masked (138****8000)."
    )
    rule_label = serializers.SerializerMethodField(
        help_text="The rule's event in words; empty for a letter no rule wrote."
    )
    audience = serializers.SerializerMethodField(help_text="customer, staff or office; or empty.")
    held_until = serializers.SerializerMethodField(
        help_text="When a waiting message goes out (quiet hours or a retry); null otherwise."
    )

    class Meta:
        model = OutboundMessage
        fields = [
            "id",
            "created_at",
            "channel",
            "recipient",
            "recipient_name",
            "rule",
            "rule_label",
            "audience",
            "topics",
            "status",
            "held_until",
            "attempts",
            "last_error",
            "body",
            "sent_at",
            "delivered_at",
            "provider_id",
        ]
        read_only_fields = fields

    def get_recipient(self, message: OutboundMessage) -> str:
        if message.channel == Channel.SMS:
            return mask_phone(message.recipient)
        return message.recipient

    def get_rule_label(self, message: OutboundMessage) -> str:
        rule = BY_CODE.get(message.rule)
        return str(rule.label) if rule else ""

    def get_audience(self, message: OutboundMessage) -> str:
        rule = BY_CODE.get(message.rule)
        return rule.audience.value if rule else ""

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_held_until(self, message: OutboundMessage) -> datetime | None:
        if message.status == MessageStatus.PENDING and message.next_attempt_at > timezone.now():
            return message.next_attempt_at
        return None


@extend_schema_view(
    list=extend_schema(
        summary="The messages the agency sent, newest first (managers)",
        description="Filter by channel, status (or `held`), rule, audience, the day range "
        "`since`..`until`, a recipient's name or address (`q`), and a subject: "
        "`?order=ID`, `?customer=ID` or `?staff=ID`. Phones are masked.",
    )
)
class MessageViewSet(mixins.ListModelMixin, TenantViewSet):
    area = Area.MESSAGES
    model = OutboundMessage
    serializer_class = MessageSerializer
    filterset_class = MessageAPIFilter
    ordering_fields = ["created_at"]

    def tenant_queryset(self, agency: Agency) -> QuerySet[OutboundMessage]:
        return messages_for(agency=agency)
