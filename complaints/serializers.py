"""The complaints API's shapes. Thin: they parse input and show objects; every rule is a service's.

A complaint shows every deadline side by side (DESIGN.md, "Complaints": never
only the nearest one), each with its own due, met and breach state. The
customer's phone is always masked, as everywhere in the API.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.bounds import PLAUSIBLE_DATE, TEXT_MAX_LENGTH, PlausibleDateTimeField
from agency.models import Branch, User
from agency.serializers import SignedFileField, TenantPrimaryKeyRelatedField
from complaints import models
from complaints.policy import POLICY_FIELDS
from complaints.services.procedure import possible_owners
from feedback.complaint_revisits import complaint_follow_up_of
from feedback.serializers import RevisitSerializer
from orders.models import Customer, Order
from orders.serializers import BranchBriefSerializer, CustomerBriefSerializer, StaffBriefSerializer
from staff.models import StaffMember

# Enums are named components: `status`, `kind`, `category` and `level` mean other
# things on orders, staff and the service log, which drf-spectacular cannot tell apart.


@extend_schema_field(
    {"type": "string", "enum": list(models.Status.values)}, component_name="ComplaintStatusEnum"
)
class ComplaintStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.Status.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.Tier.values)}, component_name="TierEnum"
)
class TierField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.Tier.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.Category.values)}, component_name="ComplaintCategoryEnum"
)
class ComplaintCategoryField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.Category.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.Severity.values)}, component_name="SeverityEnum"
)
class SeverityField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.Severity.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.ComplaintChannel.values)},
    component_name="ComplaintChannelEnum",
)
class ComplaintChannelField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.ComplaintChannel.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.EventKind.values)},
    component_name="ComplaintEventKindEnum",
)
class ComplaintEventKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.EventKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(models.DeadlineKind.values)}, component_name="DeadlineKindEnum"
)
class DeadlineKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.DeadlineKind.choices, **kwargs)


@extend_schema_field(
    {"type": "integer", "enum": list(models.EscalationLevel.values)},
    component_name="EscalationLevelEnum",
)
class EscalationLevelField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=models.EscalationLevel.choices, **kwargs)


#: A deadline as the desk colours it.
DEADLINE_STATES = ["running", "paused", "breached", "met", "met_late", "cancelled"]


@extend_schema_field(
    {"type": "string", "enum": DEADLINE_STATES}, component_name="DeadlineStateEnum"
)
class DeadlineStateField(serializers.SerializerMethodField):
    pass


def _username(source: str) -> serializers.CharField:
    """Who did it, by username; null when nobody (the system) did."""
    return serializers.CharField(source=f"{source}.username", read_only=True, allow_null=True)


# --- reading ------------------------------------------------------------------


class DeadlineSerializer(serializers.ModelSerializer):
    """One deadline with its own due, met and breach state.

    `seconds_left` is the wall-clock time to `due_at` (negative once overdue);
    while the complaint is paused it is the clock time that stood still
    (office minutes, for an office-hours deadline), and `due_at` moves on resume.
    """

    kind = DeadlineKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state = DeadlineStateField()
    breached = serializers.SerializerMethodField()
    paused = serializers.SerializerMethodField()
    seconds_left = serializers.SerializerMethodField()
    level_label = serializers.SerializerMethodField()

    class Meta:
        model = models.Deadline
        fields = [
            "id",
            "kind",
            "kind_label",
            "office_hours",
            "due_at",
            "met_at",
            "breached_at",
            "cancelled_at",
            "state",
            "breached",
            "paused",
            "seconds_left",
            "level",
            "level_label",
        ]
        read_only_fields = fields

    def get_state(self, deadline: models.Deadline) -> str:
        if deadline.cancelled_at is not None:
            return "cancelled"
        if deadline.met_at is not None:
            return "met_late" if deadline.breached_at is not None else "met"
        if deadline.left_when_paused is not None:
            return "paused"
        return "breached" if self.get_breached(deadline) else "running"

    def get_breached(self, deadline: models.Deadline) -> bool:
        # The sweep records the breach a few seconds late; the desk shows it at once.
        if deadline.breached_at is not None:
            return True
        if not deadline.is_running:
            return False
        if deadline.left_when_paused is not None:
            return deadline.left_when_paused <= timedelta(0)  # paused when already overdue
        return deadline.due_at <= timezone.now()

    def get_paused(self, deadline: models.Deadline) -> bool:
        return deadline.is_running and deadline.left_when_paused is not None

    def get_seconds_left(self, deadline: models.Deadline) -> int | None:
        if not deadline.is_running:
            return None
        if deadline.left_when_paused is not None:
            return int(deadline.left_when_paused.total_seconds())
        return int((deadline.due_at - timezone.now()).total_seconds())

    def get_level_label(self, deadline: models.Deadline) -> str:
        """Who has been told of the breach so far ("" before any escalation)."""
        return str(models.EscalationLevel(deadline.level).label) if deadline.level else ""


class ComplaintOrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "number"]
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint as a desk or log row shows it, with all its deadlines side by side."""

    status = ComplaintStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    tier = TierField(read_only=True)
    category = ComplaintCategoryField(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    severity = SeverityField(read_only=True)
    channel = ComplaintChannelField(read_only=True)
    branch = BranchBriefSerializer(read_only=True)
    customer = CustomerBriefSerializer(read_only=True)
    order = ComplaintOrderSerializer(read_only=True, allow_null=True)
    staff = StaffBriefSerializer(read_only=True, allow_null=True)
    taken_by = _username("taken_by")
    owner = _username("owner")
    repeat_customer = serializers.BooleanField(
        read_only=True,
        default=False,
        help_text="The same customer complained within the agency's repeat window before.",
    )
    repeat_staff = serializers.BooleanField(
        read_only=True,
        default=False,
        help_text="The same staff member was complained about for the same category within "
        "the agency's repeat window before.",
    )
    nearest_due = serializers.SerializerMethodField()
    deadlines = DeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = models.Complaint
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "tier",
            "category",
            "category_label",
            "severity",
            "channel",
            "branch",
            "customer",
            "order",
            "staff",
            "received_at",
            "taken_by",
            "owner",
            "repeat_customer",
            "repeat_staff",
            "paused_at",
            "pause_reason",
            "nearest_due",
            "deadlines",
        ]
        read_only_fields = fields

    def get_nearest_due(self, complaint: models.Complaint) -> datetime | None:
        """The earliest due time of the running deadlines (null when none runs)."""
        annotated = getattr(complaint, "nearest_due", None)
        if annotated is not None:
            return annotated
        running = [d.due_at for d in complaint.deadlines.all() if d.is_running]
        return min(running, default=None)


class ComplaintEventSerializer(serializers.ModelSerializer):
    kind = ComplaintEventKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = _username("actor")

    class Meta:
        model = models.ComplaintEvent
        fields = ["id", "kind", "kind_label", "text", "actor", "created_at"]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    """An escalation done; `deadline` is null for a major complaint's report at intake."""

    level = EscalationLevelField(read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    deadline_kind = serializers.SerializerMethodField()

    class Meta:
        model = models.Escalation
        fields = ["id", "level", "level_label", "deadline", "deadline_kind", "created_at"]
        read_only_fields = fields

    @extend_schema_field(DeadlineKindField(allow_null=True))
    def get_deadline_kind(self, escalation: models.Escalation) -> str | None:
        # Named from the complaint's deadlines already loaded, not one query per row.
        kinds: dict[int, str] = self.context.get("deadline_kinds", {})
        return kinds.get(escalation.deadline_id) if escalation.deadline_id else None


class AttachmentSerializer(serializers.ModelSerializer):
    """An attachment with its URL (absolute when the request is known)."""

    name = serializers.SerializerMethodField()
    url = SignedFileField(source="file", read_only=True)
    uploaded_by = _username("uploaded_by")

    class Meta:
        model = models.Attachment
        fields = ["id", "name", "url", "uploaded_by", "uploaded_at"]
        read_only_fields = fields

    def get_name(self, attachment: models.Attachment) -> str:
        return attachment.display_name


class ComplaintDetailSerializer(ComplaintSerializer):
    """A complaint: its deadlines, timeline, escalations and attachments."""

    events = ComplaintEventSerializer(many=True, read_only=True)
    escalations = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    follow_up = serializers.SerializerMethodField(
        help_text="A hard complaint's satisfaction follow-up: the revisit call that is its "
        "only record (null until the complaint is resolved)."
    )

    class Meta(ComplaintSerializer.Meta):
        fields = [
            *ComplaintSerializer.Meta.fields,
            "description",
            "desired_outcome",
            "resolved_at",
            "upheld",
            "satisfaction",
            "closed_at",
            "root_cause",
            "root_cause_note",
            "warranty_verdict",
            "warranty_note",
            "events",
            "escalations",
            "attachments",
            "follow_up",
        ]
        read_only_fields = fields

    @extend_schema_field(RevisitSerializer(allow_null=True))
    def get_follow_up(self, complaint: models.Complaint) -> dict[str, Any] | None:
        revisit = complaint_follow_up_of(agency=complaint.agency, source=complaint.follow_up_source)
        return None if revisit is None else dict(RevisitSerializer(revisit).data)

    @extend_schema_field(EscalationSerializer(many=True))
    def get_escalations(self, complaint: models.Complaint) -> list[dict[str, Any]]:
        kinds = {deadline.pk: deadline.kind for deadline in complaint.deadlines.all()}
        context = {**self.context, "deadline_kinds": kinds}
        return list(
            EscalationSerializer(complaint.escalations.all(), many=True, context=context).data
        )


# --- writing ------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class OwnerField(serializers.PrimaryKeyRelatedField):
    """An office member of the request's agency: anyone else's id fails like a missing one."""

    def get_queryset(self) -> QuerySet[User]:
        agency = getattr(self.context.get("request"), "agency", None)
        return possible_owners(agency) if agency else User.objects.none()


class ComplaintTakeSerializer(serializers.Serializer):
    """What the office records when a customer complains (JSON, or multipart with files)."""

    branch = TenantPrimaryKeyRelatedField(Branch)
    customer = TenantPrimaryKeyRelatedField(Customer)
    order = TenantPrimaryKeyRelatedField(Order, required=False, allow_null=True, default=None)
    staff = TenantPrimaryKeyRelatedField(
        StaffMember,
        required=False,
        allow_null=True,
        default=None,
        help_text="The staff member the complaint is about, if any.",
    )
    channel = ComplaintChannelField()
    category = ComplaintCategoryField()
    tier = TierField(
        required=False,
        help_text="Leave out to take the tier the category suggests "
        "(damage, fault, loss: hard; the others: soft).",
    )
    severity = SeverityField(required=False, default=models.Severity.NORMAL)
    description = serializers.CharField(
        max_length=TEXT_MAX_LENGTH,
    )
    desired_outcome = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    received_at = PlausibleDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the customer complained; the deadlines count from here. Default: now.",
    )
    owner = OwnerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The user id of an office member of the agency who answers for it. "
        "Default: the caller.",
    )
    reply_by = PlausibleDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A soft complaint: the time the customer was promised an answer (a deadline).",
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Photos or scans (PDF, JPEG or PNG, at most 5 MB each), as multipart/form-data.",
    )


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH, help_text="What was said or done.")


class RespondSerializer(TextSerializer):
    reply_by = PlausibleDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A soft complaint: the next answer promised by then (a deadline).",
    )


class PromiseReplySerializer(serializers.Serializer):
    reply_by = PlausibleDateTimeField(
        help_text="The time a soft complaint's customer is promised an answer: a deadline "
        "met by the next response."
    )


class CloseSerializer(TextSerializer):
    root_cause = serializers.ChoiceField(
        choices=models.RootCause.choices, help_text="Why it happened; required to close."
    )
    root_cause_note = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, help_text="The root cause in words; required to close."
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class AssignSerializer(ReasonSerializer):
    owner = OwnerField(
        help_text="The user id of an office member of the agency.",
    )


class SeveritySerializer(ReasonSerializer):
    severity = SeverityField()


class WarrantySerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=models.WarrantyVerdict.choices)
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH, help_text="What was found.")


class SecondResponseSerializer(TextSerializer):
    resolve_by = PlausibleDateTimeField(
        help_text="When the complaint will be resolved: the resolution deadline.",
    )


class ResolveSerializer(TextSerializer):
    upheld = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Upheld against the staff member concerned (the agency's penalty applies); "
        "null when it does not apply.",
    )
    do_not_send = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Never send the staff member concerned to this customer again.",
    )


class FollowUpSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(
        min_value=1, max_value=5, help_text="The customer's satisfaction with the handling, 1–5."
    )
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class PauseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=300, help_text="What the complaint waits for from the customer."
    )


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG or PNG, at most 5 MB (multipart/form-data).")


# --- the SLA policy ---------------------------------------------------------------


class OfficeHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.OfficeHours
        fields = ["id", "weekday", "opens", "closes"]
        read_only_fields = ["id"]


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Holiday
        fields = ["id", "day", "name"]
        read_only_fields = ["id"]
        extra_kwargs = {"day": {"validators": PLAUSIBLE_DATE}}


class SlaPolicySerializer(serializers.ModelSerializer):
    """The agency's SLA policy. Durations read and write as "HH:MM:SS" (or "D HH:MM:SS")."""

    class Meta:
        model = models.SlaPolicy
        fields = [*POLICY_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]


class SlaPolicyDetailSerializer(SlaPolicySerializer):
    """The policy with the office calendar its office-hours clocks count by."""

    office_hours = OfficeHoursSerializer(many=True, read_only=True)
    holidays = HolidaySerializer(many=True, read_only=True)

    class Meta(SlaPolicySerializer.Meta):
        fields = [*SlaPolicySerializer.Meta.fields, "office_hours", "holidays"]
        read_only_fields = ["updated_at", "office_hours", "holidays"]


class OfficeHoursSetSerializer(serializers.Serializer):
    """The whole weekly calendar; periods left out are removed."""

    office_hours = OfficeHoursSerializer(many=True, allow_empty=True)
