"""What the portal API's customer actions take and answer (portal/api_actions.py).

Ids a customer sends (a service, a saved address, an order) are looked up among the
agency's active services and the customer's own things only: another's is "not found".
The rules themselves are the services'; their refusals come back as 400 with field errors.
"""

from typing import Any

from rest_framework import serializers

from complaints.models import Complaint
from complaints.serializers import ComplaintCategoryField, ComplaintStatusField
from orders.intake.booking_requests import MAX_PHOTOS
from orders.intake.models import MESSAGE_PREFERENCES
from orders.intake.services.booking_requests import RequestInput
from orders.models import BookingRequest, Callback, Customer, CustomerAddress, Order, ServiceType
from portal import wording


class OwnedMixin(serializers.Serializer):
    """Scopes the id fields to the agency's services and the customer's own things."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency, customer = self.context.get("agency"), self.context.get("customer")
        scopes = {
            "service_type": ServiceType.objects.filter(agency=agency, is_active=True),
            "address": CustomerAddress.objects.filter(agency=agency, customer=customer),
            "order": Order.objects.filter(agency=agency, customer=customer),
            "rebooked_from": Order.objects.filter(agency=agency, customer=customer),
        }
        for name, queryset in scopes.items():
            if name in self.fields:
                self.fields[name].queryset = queryset  # type: ignore[attr-defined]


class PortalBookingRequestSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service_type.name", read_only=True)
    district = serializers.CharField(source="address.district", read_only=True)
    status_label = serializers.SerializerMethodField(
        help_text="Where the request stands, in the customer's words."
    )
    order_number = serializers.CharField(source="order.number", read_only=True, allow_null=True)

    class Meta:
        model = BookingRequest
        fields = [
            "id",
            "service_type",
            "service",
            "first_day",
            "last_day",
            "time_start",
            "time_end",
            "district",
            "status",
            "status_label",
            "decline_reason",
            "order",
            "order_number",
            "created_at",
        ]
        read_only_fields = fields

    def get_status_label(self, request: BookingRequest) -> str:
        return wording.request_status(request.status)


class BookingRequestInputSerializer(OwnedMixin):
    """A booking request: a saved `address`, or a new one by `district` and `street_address`.
    Send it as multipart to add `photos`."""

    service_type = serializers.PrimaryKeyRelatedField(queryset=ServiceType.objects.none())
    first_day = serializers.DateField()
    last_day = serializers.DateField(required=False, allow_null=True)
    time_start = serializers.TimeField()
    time_end = serializers.TimeField()
    address = serializers.PrimaryKeyRelatedField(
        queryset=CustomerAddress.objects.none(), required=False, allow_null=True
    )
    district = serializers.CharField(max_length=60, required=False, allow_blank=True)
    street_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    requirements = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    allergies = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    pets = serializers.CharField(max_length=200, required=False, allow_blank=True)
    do_not_touch = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    access_notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    rebooked_from = serializers.PrimaryKeyRelatedField(
        queryset=Order.objects.none(), required=False, allow_null=True
    )
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=MAX_PHOTOS, write_only=True
    )

    def wish(self) -> RequestInput:
        data = dict(self.validated_data)
        data.pop("photos", None)
        return RequestInput(**data)


class RebookSerializer(serializers.Serializer):
    """A booking request prefilled from a past order: send it back (with the day changed)."""

    service_type = serializers.IntegerField(source="service_type.pk")
    first_day = serializers.DateField()
    time_start = serializers.TimeField()
    time_end = serializers.TimeField()
    address = serializers.IntegerField(source="address.pk", allow_null=True)
    rebooked_from = serializers.IntegerField(source="rebooked_from.pk")
    requirements = serializers.CharField()
    allergies = serializers.CharField()
    pets = serializers.CharField()
    do_not_touch = serializers.CharField()
    access_notes = serializers.CharField()


class RescheduleTermsSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    refusal = serializers.CharField()
    direct = serializers.BooleanField(
        help_text="True: the order moves at once; false: the office calls to agree the time."
    )
    fee = serializers.DecimalField(max_digits=12, decimal_places=2)


class RescheduleInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RescheduleAnswerSerializer(serializers.Serializer):
    moved = serializers.BooleanField(help_text="False: the office calls back to agree the time.")
    detail = serializers.CharField()


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    signed_name = serializers.CharField(max_length=100, help_text="The customer's typed signature.")


class CancelAnswerSerializer(serializers.Serializer):
    status = serializers.CharField()
    fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    detail = serializers.CharField()


class ComplaintInputSerializer(OwnedMixin):
    order = serializers.PrimaryKeyRelatedField(
        queryset=Order.objects.none(), required=False, allow_null=True
    )
    category = ComplaintCategoryField()
    description = serializers.CharField(max_length=4000)
    desired_outcome = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, write_only=True
    )


class ComplaintAnswerSerializer(serializers.ModelSerializer):
    category = ComplaintCategoryField(read_only=True)
    status = ComplaintStatusField(read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "number", "category", "status", "order", "received_at"]
        read_only_fields = fields


class CallbackInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200)
    when = serializers.DateTimeField(required=False, allow_null=True, default=None)


class CallbackAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Callback
        fields = ["id", "due_at", "reason"]
        read_only_fields = fields


class PreferencesSerializer(serializers.ModelSerializer):
    """How the customer hears from the agency; name and phone stay the office's."""

    class Meta:
        model = Customer
        fields = ["preferred_language", *MESSAGE_PREFERENCES]


class FeedbackInputSerializer(serializers.Serializer):
    quality = serializers.IntegerField(min_value=1, max_value=5)
    attitude = serializers.IntegerField(min_value=1, max_value=5)
    punctuality = serializers.IntegerField(min_value=1, max_value=5)
    professionalism = serializers.IntegerField(min_value=1, max_value=5)
    overall = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    may_contact = serializers.BooleanField(required=False, default=True)
