"""The staff member's own statements in the API (`/api/my/pay-statements/`): read only."""

from rest_framework import serializers

from payroll.models import PayLine, PayPeriod, PayStatement


class MyPayPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayPeriod
        fields = ["starts_on", "ends_on"]
        read_only_fields = fields


class MyPayLineSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = PayLine
        fields = [
            "position",
            "kind",
            "kind_display",
            "day",
            "description",
            "quantity",
            "rate",
            "amount",
        ]
        read_only_fields = fields


class MyPayStatementSerializer(serializers.ModelSerializer):
    period = MyPayPeriodSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PayStatement
        fields = [
            "id",
            "period",
            "status",
            "status_display",
            "language",
            "earnings",
            "deductions",
            "net",
            "approved_at",
            "paid_at",
        ]
        read_only_fields = fields


class MyPayStatementDetailSerializer(MyPayStatementSerializer):
    lines = MyPayLineSerializer(many=True, read_only=True)

    class Meta(MyPayStatementSerializer.Meta):
        fields = [*MyPayStatementSerializer.Meta.fields, "lines"]
        read_only_fields = fields
