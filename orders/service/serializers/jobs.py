"""The field staff's job (我的工单) as the API shows it: the order, masked contact, the
service log, the open round, the failed items and the changes."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.models import (
    Assignment,
    EntryKind,
    FailedItem,
    Order,
    RoundOutcome,
)
from orders.serializers import (
    AssignmentRoleField,
    AssignmentStatusField,
    OrderStatusField,
    ServiceTypeBriefSerializer,
)
from orders.service import selectors
from orders.service.serializers.acceptance import FailedItemSerializer, RoundWithSignoffsSerializer
from orders.service.serializers.log import ChangeRequestSerializer, ServiceLogEntrySerializer


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
        fields = [
            "id",
            "role",
            "status",
            "starts_at",
            "ends_at",
            "acknowledged_at",
            "ack_due_at",
            "order",
        ]
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
