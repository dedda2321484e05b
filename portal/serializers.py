"""What the portal API shows a customer: their own things, in their words, never a staff phone."""

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from agency.phones import normalise_phone
from orders.billing.serializers import InvoiceStatusField
from orders.intake.models import phone_validator
from orders.models import Customer, Invoice, Order, Payment
from orders.serializers import OrderStatusField
from portal import wording
from portal.services import CODE_DIGITS


class CodeRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=30)

    def validate_phone(self, value: str) -> str:
        phone = normalise_phone(value)
        phone_validator(phone)
        return phone


class CodeVerifySerializer(CodeRequestSerializer):
    code = serializers.RegexField(rf"^\s*\d{{{CODE_DIGITS}}}\s*$", max_length=20)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PortalAgencySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class PortalMeSerializer(serializers.ModelSerializer):
    agency = PortalAgencySerializer()

    class Meta:
        model = Customer
        fields = ["id", "name", "phone", "preferred_language", "agency"]
        read_only_fields = fields


class PortalOrderSerializer(serializers.ModelSerializer):
    status = OrderStatusField(read_only=True)
    service = serializers.CharField(source="service_type.name")
    status_label = serializers.SerializerMethodField(
        help_text="Where the order stands, in the customer's words."
    )
    district = serializers.CharField(source="needs_form.address.district")
    address = serializers.CharField(source="needs_form.address.detail")

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "service",
            "status",
            "status_label",
            "starts_at",
            "ends_at",
            "district",
            "address",
        ]
        read_only_fields = fields

    def get_status_label(self, order: Order) -> str:
        return wording.order_status(order.status)


class PortalStaffCardSerializer(serializers.Serializer):
    """A person serving the order as the customer sees them (never a phone number)."""

    role = serializers.CharField()
    name = serializers.CharField()
    photo_url = serializers.CharField()
    gender = serializers.CharField()
    years_experience = serializers.IntegerField()
    languages = serializers.ListField(child=serializers.CharField())
    rating = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    rating_count = serializers.IntegerField()
    certificates = serializers.ListField(child=serializers.CharField())


class PortalOrderDetailSerializer(PortalOrderSerializer):
    staff = PortalStaffCardSerializer(many=True, source="cards")

    class Meta(PortalOrderSerializer.Meta):
        fields = [*PortalOrderSerializer.Meta.fields, "staff"]
        read_only_fields = fields


class PortalReceiptSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["id", "receipt_number", "amount", "received_at", "pdf_url"]
        read_only_fields = fields

    def get_pdf_url(self, payment: Payment) -> str:
        return _portal_url("receipt_pdf", self.context["agency_slug"], pk=payment.pk)


class PortalInvoiceSerializer(serializers.ModelSerializer):
    status = InvoiceStatusField(read_only=True)
    receipts = PortalReceiptSerializer(many=True, source="payments")
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "status",
            "issued_at",
            "due_on",
            "currency",
            "total",
            "paid",
            "pdf_url",
            "receipts",
        ]
        read_only_fields = fields

    def get_pdf_url(self, invoice: Invoice) -> str:
        return _portal_url("invoice_pdf", self.context["agency_slug"], pk=invoice.pk)


def _portal_url(name: str, slug: str, **kwargs: Any) -> str:
    return reverse(f"portal:{name}", kwargs={"agency_slug": slug, **kwargs})
