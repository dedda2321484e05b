"""The schedule board's API shapes: the query, the lanes with their jobs, the jobs
needing staff, and the actions' inputs."""

from rest_framework import serializers

from agency.models import Branch
from agency.serializers import TenantPrimaryKeyRelatedField
from orders.models import Assignment, ServiceType
from orders.schedule.selectors import NEEDING_DAYS
from orders.serializers import AssignmentStatusField, OrderStatusField, StaffBriefSerializer
from staff.models import StaffMember


class ScheduleQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text="The first day (the agency's today if left out)."
    )
    days = serializers.IntegerField(
        required=False, default=7, min_value=1, max_value=31, help_text="How many days."
    )
    branch = TenantPrimaryKeyRelatedField(
        Branch, required=False, help_text="Staff of this home branch only."
    )
    staff = TenantPrimaryKeyRelatedField(
        StaffMember, many=True, required=False, help_text="Only these staff (repeat the field)."
    )
    skill = serializers.CharField(required=False, default="", max_length=50)
    level = serializers.IntegerField(
        required=False, min_value=1, max_value=5, help_text="Least level of `skill` (any skill)."
    )
    service = TenantPrimaryKeyRelatedField(
        ServiceType, required=False, help_text="Staff with every skill the service needs."
    )


class JobSerializer(serializers.Serializer):
    """One job on a lane: an assignment and its order."""

    assignment = serializers.IntegerField(source="assignment_id")
    assignment_status = AssignmentStatusField()
    role = serializers.CharField()
    order = serializers.IntegerField(source="order_id")
    number = serializers.CharField()
    order_status = OrderStatusField()
    service = serializers.CharField()
    district = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    check_in_opens_at = serializers.DateTimeField(source="check_in_opens")
    tone = serializers.CharField(
        help_text="proposed, assigned, in-service, done; late or no-show (shown red)."
    )
    punctuality = serializers.CharField(help_text="on_time, late, no_show, or empty.")
    travel_warning = serializers.CharField(
        help_text="The neighbouring job (order number) in another district with less than "
        "the agency's travel gap between them; empty when none.",
    )


class ShadeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="time-off or off-hours")
    left = serializers.FloatField(help_text="Start, in percent of the period.")
    width = serializers.FloatField(help_text="Length, in percent of the period.")


class LaneSerializer(serializers.Serializer):
    staff = StaffBriefSerializer()
    load_hours = serializers.FloatField(help_text="Hours booked inside the period.")
    jobs = JobSerializer(source="blocks", many=True)
    shades = ShadeSerializer(many=True)


class NeedingSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="order.pk")
    number = serializers.CharField(source="order.number")
    service = serializers.CharField(source="order.service_type.name")
    district = serializers.CharField(source="order.needs_form.address.district")
    starts_at = serializers.DateTimeField(source="order.starts_at")
    ends_at = serializers.DateTimeField(source="order.ends_at")
    why = serializers.CharField(
        help_text="unstaffed, declined (the customer refused the proposal) or replacement."
    )


class ScheduleSerializer(serializers.Serializer):
    start = serializers.DateTimeField(source="period.start")
    end = serializers.DateTimeField(source="period.end")
    lanes = LaneSerializer(many=True)
    needing = NeedingSerializer(
        many=True, help_text=f"Jobs needing staff over the next {NEEDING_DAYS} days, soonest first."
    )
    stamp = serializers.IntegerField(help_text="The agency's change number when this was read.")


class ProposeOneSerializer(serializers.Serializer):
    staff = TenantPrimaryKeyRelatedField(StaffMember, help_text="Proposed as the on-site lead.")


class MoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="The new start; the length is kept.")


class SwapSerializer(serializers.Serializer):
    second = TenantPrimaryKeyRelatedField(
        Assignment, help_text="The other job's assignment whose person takes this one's place."
    )


class ReleaseOneSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)
