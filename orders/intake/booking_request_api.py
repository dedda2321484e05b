"""The office's API of the customers' booking requests: the waiting list (oldest first),
one request with its photos (signed links), and its decline. Quoting one is
`POST /api/orders/` with the needs form (the page does it with `?request=`)."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import ActionInputMixin, TenantViewSet
from agency.media import media_url
from agency.models import Agency
from agency.permissions import Area
from orders.intake import selectors
from orders.intake.services.booking_requests import booking_request_decline
from orders.models import BookingRequest
from orders.serializers import (
    CustomerBriefSerializer,
    OrderRefSerializer,
    ServiceTypeBriefSerializer,
    username_field,
)


class BookingRequestSerializer(serializers.ModelSerializer):
    """A customer's request to be quoted: the district only, never the street address."""

    customer = CustomerBriefSerializer(read_only=True)
    service_type = ServiceTypeBriefSerializer(read_only=True)
    district = serializers.CharField(source="address.district", read_only=True)
    order = OrderRefSerializer(read_only=True, allow_null=True)
    decided_by = username_field("decided_by")

    class Meta:
        model = BookingRequest
        fields = [
            "id",
            "status",
            "customer",
            "service_type",
            "district",
            "first_day",
            "last_day",
            "time_start",
            "time_end",
            "order",
            "decided_by",
            "decided_at",
            "decline_reason",
            "created_at",
        ]
        read_only_fields = fields


class BookingRequestDetailSerializer(BookingRequestSerializer):
    photos = serializers.SerializerMethodField()

    class Meta(BookingRequestSerializer.Meta):
        fields = [
            *BookingRequestSerializer.Meta.fields,
            "requirements",
            "allergies",
            "pets",
            "do_not_touch",
            "access_notes",
            "notes",
            "rebooked_from",
            "photos",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_photos(self, request: BookingRequest) -> list[str]:
        """Links to the photos that work for a while (agency.media)."""
        return [media_url(photo.photo) for photo in request.photos.all()]


class BookingRequestDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why; the customer is told.")


class BookingRequestViewSet(
    ActionInputMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Customers' booking requests: the waiting ones, oldest first, unless `?status=` says."""

    area = Area.ORDERS
    model = BookingRequest
    filterset_fields = ["status"]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "list":
            return BookingRequestSerializer
        return BookingRequestDetailSerializer

    def tenant_queryset(self, agency: Agency) -> QuerySet[BookingRequest]:
        if self.action == "list" and not self.request.query_params.get("status"):
            return selectors.booking_requests_waiting(agency=agency).select_related("decided_by")
        return (
            selectors.booking_requests_for(agency=agency)
            .select_related("decided_by")
            .prefetch_related("photos")
        )

    @extend_schema(
        summary="Decline: the customer is told the reason",
        request=BookingRequestDeclineSerializer,
        responses=BookingRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        asked = self.get_object()
        data = self.action_input(BookingRequestDeclineSerializer)
        booking_request_decline(booking_request=asked, actor=self.actor, reason=data["reason"])
        fresh = self.tenant_queryset(self.agency).get(pk=asked.pk)
        return Response(BookingRequestDetailSerializer(fresh).data)
