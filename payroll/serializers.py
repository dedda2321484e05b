"""The payroll API's shapes: periods with their figures, statements with their lines, the
rates and the policy. Writable relations are limited to the request's agency."""

from typing import Any

from rest_framework import serializers

from agency.serializers import TenantPrimaryKeyRelatedField
from orders.models import ServiceType
from payroll.models import PayLine, PayPeriod, PayPolicy, PayRate, PayStatement
from payroll.rules import RATE_FIELDS, policy_fields
from staff.models import Level, StaffMember


class PayPeriodSerializer(serializers.ModelSerializer):
    statement_count = serializers.IntegerField(read_only=True)
    attention_count = serializers.IntegerField(
        read_only=True, help_text="Statements that need attention (a rate missing, hours…)."
    )
    paid_count = serializers.IntegerField(read_only=True)
    net_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = PayPeriod
        fields = [
            "id",
            "starts_on",
            "ends_on",
            "computed_at",
            "statement_count",
            "attention_count",
            "paid_count",
            "net_total",
        ]
        read_only_fields = fields


class PayPeriodOpenSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)


class PeriodCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many statements it computed or changed.")


class PayStatementSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    staff_number = serializers.SerializerMethodField()
    branch = serializers.CharField(source="staff.home_branch.name", read_only=True)
    level = serializers.CharField(source="staff.level.name", read_only=True, default=None)

    class Meta:
        model = PayStatement
        fields = [
            "id",
            "period",
            "staff",
            "staff_name",
            "staff_number",
            "branch",
            "level",
            "status",
            "language",
            "earnings",
            "deductions",
            "net",
            "computed_at",
            "approved_at",
            "paid_at",
        ]
        read_only_fields = fields

    def get_staff_number(self, statement: PayStatement) -> str | None:
        """Four digits, as on the staff card (0007); null when not given yet."""
        number = statement.staff.staff_number
        return f"{number:04d}" if number else None


class PayLineSerializer(serializers.ModelSerializer):
    order = serializers.SerializerMethodField()

    class Meta:
        model = PayLine
        fields = [
            "position",
            "kind",
            "day",
            "description",
            "quantity",
            "rate",
            "amount",
            "problem",
            "order",
            "assignment",
            "placement",
            "adjustment",
        ]
        read_only_fields = fields

    def get_order(self, line: PayLine) -> int | None:
        """The order of the job the line pays for."""
        return line.assignment.order_id if line.assignment_id and line.assignment else None


class PayStatementDetailSerializer(PayStatementSerializer):
    lines = PayLineSerializer(many=True, read_only=True)

    class Meta(PayStatementSerializer.Meta):
        fields = [*PayStatementSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class PayRateSerializer(serializers.ModelSerializer):
    service_type = TenantPrimaryKeyRelatedField(ServiceType)
    level = TenantPrimaryKeyRelatedField(
        Level, allow_null=True, required=False, help_text="Empty: any level."
    )
    staff = TenantPrimaryKeyRelatedField(
        StaffMember,
        allow_null=True,
        required=False,
        help_text="One staff member's own rate (an override); then no level.",
    )

    class Meta:
        model = PayRate
        fields = ["id", *RATE_FIELDS]
        # The service checks the constraints, with messages of its own.
        validators: list[Any] = []


class PayPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = PayPolicy
        fields = policy_fields()
