"""The attendance API's shapes."""

from typing import Any

from rest_framework import serializers

from agency.models import Membership
from attendance.models import AttendanceDay


class AttendanceDaySerializer(serializers.ModelSerializer):
    corrected = serializers.SerializerMethodField()

    class Meta:
        model = AttendanceDay
        fields = ["id", "day", "clocked_in_at", "clocked_out_at", "note", "corrected"]
        read_only_fields = fields

    def get_corrected(self, record: AttendanceDay) -> bool:
        return record.corrected_at is not None


class MyAttendanceSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    today = AttendanceDaySerializer(allow_null=True)
    days = AttendanceDaySerializer(many=True)


class AttendanceClockInSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AttendanceReportRowSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="membership.pk", help_text="The membership's id")
    user = serializers.IntegerField(source="membership.user_id")
    name = serializers.SerializerMethodField()
    role = serializers.CharField(source="membership.role")
    days_worked = serializers.IntegerField()
    late_days = serializers.IntegerField()
    early_leaves = serializers.IntegerField()
    absent_days = serializers.IntegerField()
    deductions = serializers.DecimalField(max_digits=12, decimal_places=2)

    def get_name(self, row: Any) -> str:
        user = row.membership.user
        return str(user.get_full_name() or user.username)


class AttendanceReportSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    currency = serializers.CharField()
    rows = AttendanceReportRowSerializer(many=True)


class AttendanceCorrectionSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects.none(), help_text="An office member's membership id"
    )
    day = serializers.DateField()
    clocked_in = serializers.TimeField(allow_null=True, required=False, default=None)
    clocked_out = serializers.TimeField(allow_null=True, required=False, default=None)
    reason = serializers.CharField(max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.context.get("members")
        if members is not None:
            self.fields["member"].queryset = members  # type: ignore[attr-defined]
