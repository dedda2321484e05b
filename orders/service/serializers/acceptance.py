"""Acceptance's shapes: rounds, sign-offs, failed items and rework, and the inputs of
inspection, signing, the customer's verdict and the office's verification."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.bounds import TEXT_MAX_LENGTH
from agency.serializers import TenantPrimaryKeyRelatedField
from orders.models import (
    AcceptanceRound,
    FailedItem,
    Order,
    RoundOutcome,
    Signoff,
    Stage,
)
from orders.serializers import (
    OrderBriefSerializer,
    OrderStatusField,
    StaffBriefSerializer,
    username_field,
)
from orders.service.serializers.log import JobItemField
from orders.service.services.acceptance import Failure
from staff.models import StaffMember


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


class FailedItemSerializer(serializers.ModelSerializer):
    """What failed, who redoes it, and when it was redone."""

    responsible = StaffBriefSerializer(read_only=True)
    reworked_by = username_field("reworked_by")

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
    signer = username_field("signer")
    signed_via = serializers.CharField(source="signature.via", read_only=True, allow_null=True)
    verified_by = username_field("signature.verified_by")
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


def failures(items: list[dict[str, Any]]) -> list[Failure]:
    """The failed items a `FailureSerializer` read, as the acceptance services take them."""
    return [Failure(description=i["description"], responsible=i["responsible"]) for i in items]
