"""Intake's API shapes: customers, the catalogue and prices, orders (list and detail), the
needs form and quotes, cancellations and callbacks."""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.bounds import PLAUSIBLE_DATE, TEXT_MAX_LENGTH
from agency.masking import mask_phone
from agency.models import Branch
from agency.serializers import TenantPrimaryKeyRelatedField
from orders.intake import selectors as intake_selectors
from orders.intake.models import MESSAGE_PREFERENCES, Gender
from orders.intake.services.cancellation import cancellation_terms
from orders.models import (
    Callback,
    Cancellation,
    CancellationStatus,
    Customer,
    CustomerAddress,
    CustomerSignature,
    NeedsForm,
    Order,
    Price,
    Quote,
    ScheduleKind,
    ServiceType,
)
from orders.serializers import (
    BranchBriefSerializer,
    CustomerBriefSerializer,
    OrderBriefSerializer,
    OrderEventSerializer,
    OrderRefSerializer,
    OrderStatusField,
    ServiceTypeBriefSerializer,
    SignatureSerializer,
    username_field,
)
from orders.staffing.serializers import AssignmentSerializer


@extend_schema_field(
    {"type": "string", "enum": list(CancellationStatus.values)},
    component_name="CancellationStatusEnum",
)
class CancellationStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CancellationStatus.choices, **kwargs)


class CustomerAddressSerializer(serializers.ModelSerializer):
    """The district is shown widely; the street address only through `reveal`."""

    class Meta:
        model = CustomerAddress
        fields = ["id", "district", "masked"]


class CustomerSerializer(serializers.ModelSerializer):
    """A customer in a list: the phone masked."""

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "masked_phone",
            "preferred_language",
            "special_attention",
            "special_attention_reason",
            "created_at",
        ]
        read_only_fields = fields


class CustomerDetailSerializer(serializers.ModelSerializer):
    """A customer: phones are written in full but always read masked."""

    # Plain text in: `customer_update` normalises "138 0013-8000" and validates it.
    phone = serializers.CharField(write_only=True, max_length=40)
    phone_alt = serializers.CharField(
        write_only=True, max_length=40, required=False, allow_blank=True
    )
    masked_phone_alt = serializers.SerializerMethodField()
    addresses = CustomerAddressSerializer(many=True, read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "phone",
            "masked_phone",
            "phone_alt",
            "masked_phone_alt",
            "preferred_language",
            "notes",
            # How they hear from the agency; Customer.clean refuses what cannot be kept.
            *MESSAGE_PREFERENCES,
            "special_attention",
            "special_attention_reason",
            "addresses",
            "created_at",
        ]
        read_only_fields = ["special_attention", "special_attention_reason", "created_at"]

    def get_masked_phone_alt(self, customer: Customer) -> str:
        return mask_phone(customer.phone_alt) if customer.phone_alt else ""


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[("phone", "phone"), ("address", "address")])
    address = TenantPrimaryKeyRelatedField(
        CustomerAddress, required=False, allow_null=True, default=None
    )


class RevealedSerializer(serializers.Serializer):
    value = serializers.CharField()


class PriceSerializer(serializers.ModelSerializer):
    """A price from `valid_from`, until the day before `valid_until` (null while current)."""

    valid_from = serializers.DateField(source="valid_during.lower", read_only=True)
    valid_until = serializers.DateField(
        source="valid_during.upper", read_only=True, allow_null=True
    )

    class Meta:
        model = Price
        fields = ["id", "unit_price", "valid_from", "valid_until"]
        read_only_fields = fields


class PriceSetSerializer(serializers.Serializer):
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    effective_from = serializers.DateField(validators=PLAUSIBLE_DATE)


class ServiceTypeSerializer(serializers.ModelSerializer):
    """A service of the catalogue with its price list (newest first) and today's price."""

    name = serializers.CharField(read_only=True)
    current_price = serializers.SerializerMethodField()
    prices = PriceSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceType
        fields = [
            "id",
            "code",
            "name",
            "name_zh",
            "name_en",
            "category",
            "pricing_unit",
            "required_skills",
            "required_certificates",
            "is_special",
            "is_repair",
            "is_placement",
            "task_checklist",
            "preparation_checklist",
            "valuables_check",
            "is_active",
            "current_price",
            "prices",
        ]

    @extend_schema_field(PriceSerializer(allow_null=True))
    def get_current_price(self, service_type: ServiceType) -> dict[str, Any] | None:
        # Today where the agency works, not where the server runs.
        price = intake_selectors.current_price(service_type, on=service_type.agency.today())
        return PriceSerializer(price).data if price else None


class OrderSerializer(serializers.ModelSerializer):
    """An order as a list row shows it: only what `order_selectors.orders_for` joins in."""

    status = OrderStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    branch = BranchBriefSerializer(read_only=True)
    customer = CustomerBriefSerializer(read_only=True)
    service_type = ServiceTypeBriefSerializer(read_only=True)
    district = serializers.CharField(source="needs_form.address.district", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "is_urgent",
            "starts_at",
            "ends_at",
            "branch",
            "customer",
            "service_type",
            "district",
            "created_at",
        ]
        read_only_fields = fields


class NeedsFormSerializer(serializers.ModelSerializer):
    """The needs form; of the address only the district (the street through `reveal`)."""

    district = serializers.CharField(source="address.district", read_only=True)
    special_needs = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The special needs filled in, labelled in the caller's language for display; "
        "allergies, pets, do_not_touch and access_notes carry the same values by name.",
    )
    created_by = username_field("created_by")

    class Meta:
        model = NeedsForm
        fields = [
            "id",
            "service_type",
            "district",
            "requirements",
            "checklist",
            "schedule_kind",
            "start_date",
            "end_date",
            "weekdays",
            "days",
            "time_start",
            "time_end",
            "quantity",
            "allergies",
            "pets",
            "do_not_touch",
            "access_notes",
            "special_needs",
            "budget",
            "preferred_gender",
            "preferred_language",
            "min_experience_years",
            "callback_in_days",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class QuoteSerializer(serializers.ModelSerializer):
    created_by = username_field("created_by")

    class Meta:
        model = Quote
        fields = [
            "id",
            "description",
            "unit",
            "unit_price",
            "quantity",
            "total",
            "currency",
            "price",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class CallbackBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Callback
        fields = ["id", "due_at", "reason", "done_at", "outcome"]
        read_only_fields = fields


class OrderCancellationSerializer(serializers.ModelSerializer):
    """A cancellation request as its order's detail lists it."""

    status = CancellationStatusField(read_only=True)
    requested_by = username_field("requested_by")
    decided_by = username_field("decided_by")

    class Meta:
        model = Cancellation
        fields = [
            "id",
            "status",
            "reason",
            "price",
            "fee_percent",
            "fee",
            "refund_due",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class CancellationTermsSerializer(serializers.Serializer):
    """What cancelling now would cost (`orders.intake.services.cancellation.cancellation_terms`)."""

    allowed = serializers.BooleanField()
    refusal = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    fee_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    free_until = serializers.DateTimeField()


class OrderDetailSerializer(OrderSerializer):
    """An order with its needs form, quotes, timeline, signatures, cancellations and staff."""

    needs_form = NeedsFormSerializer(read_only=True)
    confirmed_quote = QuoteSerializer(read_only=True, allow_null=True)
    quotes = QuoteSerializer(many=True, read_only=True)
    events = OrderEventSerializer(many=True, read_only=True)
    signatures = SignatureSerializer(many=True, read_only=True)
    cancellations = OrderCancellationSerializer(many=True, read_only=True)
    callbacks = CallbackBriefSerializer(many=True, read_only=True)
    cancellation_terms = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    created_by = username_field("created_by")

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "plan",
            "occurrence_date",
            "created_by",
            "needs_form",
            "confirmed_quote",
            "quotes",
            "events",
            "signatures",
            "cancellations",
            "callbacks",
            "cancellation_terms",
            "assignments",
        ]
        read_only_fields = fields

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, order: Order) -> list[dict[str, Any]]:
        # One query, with the staff: the detail selector does not prefetch them.
        assignments = order.assignments.select_related("staff").order_by("proposed_at", "id")
        return list(AssignmentSerializer(assignments, many=True).data)

    @extend_schema_field(CancellationTermsSerializer)
    def get_cancellation_terms(self, order: Order) -> dict[str, Any]:
        return dict(CancellationTermsSerializer(cancellation_terms(order)).data)


class IntakeCustomerSerializer(serializers.Serializer):
    """Who calls: found again by phone, or created (`customer_find_or_create`)."""

    name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=40)
    district = serializers.CharField(max_length=60)
    address = serializers.CharField(max_length=200)
    preferred_language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, allow_blank=True, default=""
    )


class OrderIntakeSerializer(serializers.Serializer):
    """A booking: the caller, the branch and the needs form (`orders.intake.services.booking`).

    The schedule's rules (start not in the past, end after start, weekdays of a
    recurring service, a price on the day) are the service's; its field errors
    come back as a 400 like these.
    """

    customer = IntakeCustomerSerializer()
    branch = TenantPrimaryKeyRelatedField(Branch)
    service_type = TenantPrimaryKeyRelatedField(ServiceType)
    is_urgent = serializers.BooleanField(required=False, default=False)
    schedule_kind = serializers.ChoiceField(choices=ScheduleKind.choices)
    start_date = serializers.DateField(validators=PLAUSIBLE_DATE)
    end_date = serializers.DateField(
        required=False, allow_null=True, default=None, validators=PLAUSIBLE_DATE
    )
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, default=list
    )
    days = serializers.IntegerField(required=False, allow_null=True, default=None)
    time_start = serializers.TimeField()
    time_end = serializers.TimeField()
    quantity = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True, default=None
    )
    requirements = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    checklist = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    allergies = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    pets = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    do_not_touch = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    access_notes = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    budget = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    preferred_gender = serializers.ChoiceField(
        choices=Gender.choices, required=False, allow_blank=True, default=""
    )
    preferred_language = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    min_experience_years = serializers.IntegerField(required=False, allow_null=True, default=None)
    callback_in_days = serializers.IntegerField(required=False, allow_null=True, default=None)


class OrderConfirmSerializer(serializers.Serializer):
    """The office verifies on the customer's behalf (DESIGN.md, "Intake and booking")."""

    signed_name = serializers.CharField(max_length=100)
    verification_reason = serializers.CharField(max_length=255)
    quote_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The quote the customer agreed to; default: the latest.",
    )


class ConfirmationLinkSerializer(serializers.Serializer):
    url = serializers.URLField()


class OrderCancelSerializer(serializers.Serializer):
    """The customer's cancellation request, signed by the office on their behalf."""

    reason = serializers.CharField(max_length=500)
    signed_name = serializers.CharField(max_length=100)
    verification_reason = serializers.CharField(max_length=255)


class CancellationSignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerSignature
        fields = ["id", "via", "signed_name", "signed_at", "verification_reason"]
        read_only_fields = fields


class CancellationSerializer(OrderCancellationSerializer):
    """A cancellation request with its order and the customer's signature."""

    order = OrderBriefSerializer(read_only=True)
    signature = CancellationSignatureSerializer(read_only=True)

    class Meta(OrderCancellationSerializer.Meta):
        fields = [*OrderCancellationSerializer.Meta.fields, "order", "signature"]
        read_only_fields = fields


class CancellationApproveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CancellationRejectSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, help_text="Why the cancellation is rejected.")


class CallbackSerializer(serializers.ModelSerializer):
    """A call the office owes the customer by `due_at`."""

    customer = CustomerBriefSerializer(read_only=True)
    order = OrderRefSerializer(read_only=True, allow_null=True)
    done_by = username_field("done_by")

    class Meta:
        model = Callback
        fields = [
            "id",
            "customer",
            "order",
            "due_at",
            "reason",
            "done_at",
            "done_by",
            "outcome",
            "created_at",
        ]
        read_only_fields = fields


class CallbackCompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=TEXT_MAX_LENGTH, help_text="What the customer said.")
