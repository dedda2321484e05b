"""The API's shapes for the service log, change requests and acceptance. Thin, like the rest.

What field staff receive never holds the customer's phone or street address
(DESIGN.md, "Who uses it"): the masked forms only, the full ones through the
audited reveal of the staff pages. Every id written is looked up within the
request's agency (and, on a job, within its order), so a foreign id is a 400.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.bounds import TEXT_MAX_LENGTH
from agency.serializers import SignedImageField, TenantPrimaryKeyRelatedField
from orders import selectors
from orders.models import (
    AcceptanceRound,
    Assignment,
    ChangeRequest,
    ChangeStatus,
    EntryKind,
    FailedItem,
    Order,
    RoundOutcome,
    ServiceLogEntry,
    ServiceType,
    Signoff,
    Stage,
)
from orders.serializers import (
    AssignmentRoleField,
    AssignmentStatusField,
    OrderBriefSerializer,
    OrderRefSerializer,
    OrderStatusField,
    ServiceTypeBriefSerializer,
    StaffBriefSerializer,
    _username,
)
from staff.models import StaffMember

# --- named enums (a bare `status`/`stage` would collide with other endpoints') ------


@extend_schema_field(
    {"type": "integer", "enum": list(Stage.values)}, component_name="AcceptanceStageEnum"
)
class StageField(serializers.ChoiceField):
    """1 on-site lead, 2 team supervisor, 3 office supervisor, 4 customer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Stage.choices, **kwargs)


@extend_schema_field(
    {"type": "integer", "enum": [Stage.TEAM_SUPERVISOR.value, Stage.OFFICE_SUPERVISOR.value]},
    component_name="SupervisorStageEnum",
)
class SupervisorStageField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        choices = [(s.value, s.label) for s in (Stage.TEAM_SUPERVISOR, Stage.OFFICE_SUPERVISOR)]
        super().__init__(choices=choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(RoundOutcome.values)}, component_name="RoundOutcomeEnum"
)
class RoundOutcomeField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RoundOutcome.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(ChangeStatus.values)}, component_name="ChangeStatusEnum"
)
class ChangeStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ChangeStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(EntryKind.values)}, component_name="ServiceLogKindEnum"
)
class EntryKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=EntryKind.choices, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class JobItemField(TenantPrimaryKeyRelatedField):
    """An object of the agency that belongs to the job's order (`order` in the context).

    A log entry, failed item or change request of another order answers like a
    missing one: "does not exist".
    """

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        order = self.context.get("order")
        return queryset.filter(order=order) if order is not None else queryset.none()


# --- the service log --------------------------------------------------------------


class ServiceLogEntrySerializer(serializers.ModelSerializer):
    """A line of the log as it stands; a correction names the entry it replaces."""

    kind = EntryKindField(read_only=True)
    staff = StaffBriefSerializer(source="assignment.staff", read_only=True)
    author = _username("author")
    photo = SignedImageField(read_only=True)

    class Meta:
        model = ServiceLogEntry
        fields = [
            "id",
            "kind",
            "item",
            "ok",
            "text",
            "photo",
            "latitude",
            "longitude",
            "accuracy_m",
            "corrects",
            "failed_item",
            "staff",
            "author",
            "recorded_at",
        ]
        read_only_fields = fields


# --- acceptance -------------------------------------------------------------------


class FailedItemSerializer(serializers.ModelSerializer):
    """What failed, who redoes it, and when it was redone."""

    responsible = StaffBriefSerializer(read_only=True)
    reworked_by = _username("reworked_by")

    class Meta:
        model = FailedItem
        fields = [
            "id",
            "description",
            "from_checklist",
            "responsible",
            "reworked_at",
            "reworked_by",
        ]
        read_only_fields = fields


class SignoffSerializer(serializers.ModelSerializer):
    """One signed stage. The customer's: `signed_via` link or device (with their score), or
    office when the office verified on their behalf (`verified_by`, `verification_reason`)."""

    stage = StageField(read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    signer = _username("signer")
    signed_via = serializers.CharField(source="signature.via", read_only=True, allow_null=True)
    verified_by = _username("signature.verified_by")
    verification_reason = serializers.CharField(
        source="signature.verification_reason", read_only=True, allow_null=True
    )
    failed_items = FailedItemSerializer(many=True, read_only=True)

    class Meta:
        model = Signoff
        fields = [
            "id",
            "stage",
            "stage_label",
            "passed",
            "signer",
            "signer_name",
            "signed_via",
            "verified_by",
            "verification_reason",
            "score",
            "comment",
            "signed_at",
            "failed_items",
        ]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    """A round of acceptance; `waiting_stage` is the stage to sign next while it is open."""

    outcome = RoundOutcomeField(read_only=True)
    waiting_stage = StageField(source="next_stage", read_only=True, allow_null=True)

    class Meta:
        model = AcceptanceRound
        fields = ["id", "number", "outcome", "waiting_stage", "opened_at", "closed_at"]
        read_only_fields = fields


class RoundWithSignoffsSerializer(RoundSerializer):
    signoffs = SignoffSerializer(many=True, read_only=True)

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "signoffs"]
        read_only_fields = fields


class RoundOrderSerializer(OrderBriefSerializer):
    status = OrderStatusField(read_only=True)
    branch = serializers.CharField(source="branch.code", read_only=True)

    class Meta(OrderBriefSerializer.Meta):
        fields = [*OrderBriefSerializer.Meta.fields, "status", "branch"]
        read_only_fields = fields


class AcceptanceRoundSerializer(RoundSerializer):
    """A round in the office's queue, with its order."""

    order = RoundOrderSerializer(read_only=True)

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "order"]
        read_only_fields = fields


class AcceptanceRoundDetailSerializer(AcceptanceRoundSerializer):
    """A round with its sign-offs, each with the items that failed."""

    signoffs = SignoffSerializer(many=True, read_only=True)

    class Meta(AcceptanceRoundSerializer.Meta):
        fields = [*AcceptanceRoundSerializer.Meta.fields, "signoffs"]
        read_only_fields = fields


class ReworkItemSerializer(FailedItemSerializer):
    """A failed item to redo (返工), with its order and where it failed."""

    order = OrderBriefSerializer(read_only=True)
    round = serializers.IntegerField(source="signoff.round.number", read_only=True)
    stage = StageField(source="signoff.stage", read_only=True)

    class Meta(FailedItemSerializer.Meta):
        fields = [*FailedItemSerializer.Meta.fields, "order", "round", "stage"]
        read_only_fields = fields


# --- change requests --------------------------------------------------------------


class ChangeRequestSerializer(serializers.ModelSerializer):
    """A change of content or fee, priced from the price list, and the customer's answer."""

    order = OrderRefSerializer(read_only=True)
    service_type = ServiceTypeBriefSerializer(read_only=True)
    status = ChangeStatusField(read_only=True)
    requested_by = _username("requested_by")
    signed_via = serializers.CharField(source="signature.via", read_only=True, allow_null=True)
    signed_name = serializers.CharField(
        source="signature.signed_name", read_only=True, allow_null=True
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "order",
            "description",
            "service_type",
            "quantity",
            "unit",
            "unit_price",
            "amount",
            "currency",
            "status",
            "requested_by",
            "requested_at",
            "signed_via",
            "signed_name",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


# --- field staff's jobs -------------------------------------------------------------


class JobOrderSerializer(serializers.ModelSerializer):
    """The order as its staff see it: the customer's name, the district, no phone."""

    status = OrderStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    service_type = ServiceTypeBriefSerializer(read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    address = serializers.CharField(
        source="needs_form.address.masked",
        read_only=True,
        help_text="The district only; the full address through the audited reveal.",
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "service_type",
            "customer_name",
            "address",
            "starts_at",
            "ends_at",
        ]
        read_only_fields = fields


class MyJobSerializer(serializers.ModelSerializer):
    """One of the requesting staff member's jobs: their assignment and its order."""

    role = AssignmentRoleField(read_only=True)
    status = AssignmentStatusField(read_only=True)
    starts_at = serializers.DateTimeField(source="period.lower", read_only=True)
    ends_at = serializers.DateTimeField(source="period.upper", read_only=True)
    order = JobOrderSerializer(read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "role", "status", "starts_at", "ends_at", "order"]
        read_only_fields = fields


class MyJobDetailSerializer(MyJobSerializer):
    """The job with what the team works from and writes to: checklists, the log, acceptance."""

    requirements = serializers.CharField(source="order.needs_form.requirements", read_only=True)
    special_needs = serializers.DictField(
        source="order.needs_form.special_needs",
        child=serializers.CharField(),
        read_only=True,
        help_text="Allergies, pets, things not to touch, access notes; labelled for display.",
    )
    preparation_checklist = serializers.ListField(
        source="order.service_type.preparation_checklist",
        child=serializers.CharField(),
        read_only=True,
    )
    task_checklist = serializers.ListField(
        source="order.needs_form.checklist", child=serializers.CharField(), read_only=True
    )
    prepared = serializers.SerializerMethodField()
    tasks_done = serializers.SerializerMethodField()
    log = serializers.SerializerMethodField()
    open_round = serializers.SerializerMethodField()
    rework_items = serializers.SerializerMethodField()
    change_requests = serializers.SerializerMethodField()

    class Meta(MyJobSerializer.Meta):
        fields = [
            *MyJobSerializer.Meta.fields,
            "requirements",
            "special_needs",
            "preparation_checklist",
            "task_checklist",
            "prepared",
            "tasks_done",
            "log",
            "open_round",
            "rework_items",
            "change_requests",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_prepared(self, job: Assignment) -> list[str]:
        ticked = selectors.ticked_items(job.order, EntryKind.PREPARATION)
        return [line for line in job.order.service_type.preparation_checklist if line in ticked]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tasks_done(self, job: Assignment) -> list[str]:
        ticked = selectors.ticked_items(job.order, EntryKind.TASK)
        return [line for line in job.order.needs_form.checklist if line in ticked]

    @extend_schema_field(ServiceLogEntrySerializer(many=True))
    def get_log(self, job: Assignment) -> list[dict[str, Any]]:
        entries = selectors.effective_log(job.order)
        return list(ServiceLogEntrySerializer(entries, many=True, context=self.context).data)

    @extend_schema_field(RoundWithSignoffsSerializer(allow_null=True))
    def get_open_round(self, job: Assignment) -> dict[str, Any] | None:
        round_ = selectors.acceptance_history(job.order).filter(outcome=RoundOutcome.OPEN).first()
        return dict(RoundWithSignoffsSerializer(round_).data) if round_ else None

    @extend_schema_field(FailedItemSerializer(many=True))
    def get_rework_items(self, job: Assignment) -> list[dict[str, Any]]:
        items = (
            FailedItem.objects.filter(
                agency_id=job.agency_id, order_id=job.order_id, reworked_at__isnull=True
            )
            .select_related("responsible")
            .order_by("id")
        )
        return list(FailedItemSerializer(items, many=True).data)

    @extend_schema_field(ChangeRequestSerializer(many=True))
    def get_change_requests(self, job: Assignment) -> list[dict[str, Any]]:
        changes = selectors.change_requests_for(agency=job.order.agency).filter(order=job.order)
        return list(ChangeRequestSerializer(changes, many=True).data)


# --- input: the service log -------------------------------------------------------


class PositionSerializer(serializers.Serializer):
    """Where the device was, if it offered its position: latitude and longitude together."""

    latitude = serializers.FloatField(
        min_value=-90, max_value=90, required=False, allow_null=True, default=None
    )
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True, default=None
    )
    accuracy_m = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("latitude", "longitude") if attrs[name] is not None]
        if len(given) == 1:
            missing = "longitude" if given == ["latitude"] else "latitude"
            raise serializers.ValidationError(
                {missing: [_("Send latitude and longitude together, or neither.")]}
            )
        if not given and attrs["accuracy_m"] is not None:
            raise serializers.ValidationError(
                {"accuracy_m": [_("An accuracy comes with a position.")]}
            )
        return attrs


class PreparationSerializer(serializers.Serializer):
    item = serializers.CharField(
        max_length=200, help_text="A line of the service's preparation checklist."
    )


class TaskSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200, help_text="A task of the needs form's checklist.")
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class NoteSerializer(serializers.Serializer):
    """A note, a photo (multipart/form-data), or both."""

    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    photo = serializers.ImageField(required=False, allow_null=True, default=None)


class CorrectionSerializer(serializers.Serializer):
    """Correct one's own entry by a new one: what it should say, or withdraw it."""

    entry = JobItemField(ServiceLogEntry)
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    withdraw = serializers.BooleanField(required=False, default=False)


class InspectionSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200)
    ok = serializers.BooleanField()
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="What is wrong, when not ok.",
    )


# --- input: acceptance ------------------------------------------------------------


class FailureSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    responsible = TenantPrimaryKeyRelatedField(
        StaffMember,
        required=False,
        allow_null=True,
        default=None,
        help_text="A staff member on the order's team; default: the on-site lead.",
    )


class SignSerializer(serializers.Serializer):
    """A stage signed: passed, or failed with at least one item."""

    passed = serializers.BooleanField()
    failed_items = FailureSerializer(many=True, required=False, default=list)
    comment = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class SupervisorSignSerializer(SignSerializer):
    stage = SupervisorStageField(help_text="2 team supervisor, 3 office supervisor.")


class CustomerAcceptanceSerializer(serializers.Serializer):
    """The customer signs on the staff member's device, with a satisfaction score."""

    signed_name = serializers.CharField(max_length=100)
    passed = serializers.BooleanField()
    failed_items = FailureSerializer(many=True, required=False, default=list)
    score = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Satisfaction from 1 to 5."
    )
    comment = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class OfficeVerifySerializer(serializers.Serializer):
    """The office signs the customer's stage on their behalf, saying why; no score."""

    signed_name = serializers.CharField(max_length=100)
    verification_reason = serializers.CharField(max_length=255)
    passed = serializers.BooleanField()
    failed_items = FailureSerializer(many=True, required=False, default=list)
    # Accepted only to be refused by the service (400), not silently dropped.
    score = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Leave empty: customer only."
    )
    comment = serializers.CharField(
        max_length=TEXT_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Leave empty: customer only.",
    )


class RoundCreateSerializer(serializers.Serializer):
    order = TenantPrimaryKeyRelatedField(Order, help_text="An order in rework, every item redone.")


class ReworkDoneSerializer(serializers.Serializer):
    item = JobItemField(FailedItem, help_text="A failed item of this job's order.")
    note = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ReworkReassignSerializer(serializers.Serializer):
    staff = TenantPrimaryKeyRelatedField(StaffMember, help_text="A member of the order's team.")


class CustomerLinkSerializer(serializers.Serializer):
    url = serializers.URLField()


# --- input: change requests -------------------------------------------------------


class ChangeRequestCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    quantity = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        help_text="More (or, negative, less) in the service's pricing unit; 0 for content only.",
    )
    service_type = TenantPrimaryKeyRelatedField(
        ServiceType,
        required=False,
        allow_null=True,
        default=None,
        help_text="The service the change is priced as; default: the order's.",
    )


class OfficeChangeRequestCreateSerializer(ChangeRequestCreateSerializer):
    order = TenantPrimaryKeyRelatedField(Order)


class ChangeApproveSerializer(serializers.Serializer):
    change = JobItemField(ChangeRequest, help_text="A change request of this job's order.")
    signed_name = serializers.CharField(max_length=100)


class ChangeDeclineSerializer(serializers.Serializer):
    change = JobItemField(ChangeRequest, help_text="A change request of this job's order.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ChangeWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class JobChangeWithdrawSerializer(ChangeWithdrawSerializer):
    change = JobItemField(ChangeRequest, help_text="A change request of this job's order.")
