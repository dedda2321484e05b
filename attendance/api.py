"""The attendance API under /api/office-attendance/ (/api/attendance/ is the field staff's
punctuality report, issue 17): one's own days, clocking in and out, the manager's report
and corrections."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import AGENCY_HEADER_PARAMETER, TenantAPIView
from agency.permissions import Area
from attendance import selectors, services
from attendance.serializers import (
    AttendanceClockInSerializer,
    AttendanceCorrectionSerializer,
    AttendanceDaySerializer,
    AttendanceReportSerializer,
    MyAttendanceSerializer,
)

MONTH_PARAMETER = OpenApiParameter(
    "month", str, description="The month as YYYY-MM; default: this month (the agency's)"
)


class _MonthMixin(TenantAPIView):
    def month(self, request: Request) -> date:
        try:
            return selectors.parse_month(request.query_params.get("month"), agency=self.agency)
        except ValueError:
            raise ValidationError({"month": ["Name the month as YYYY-MM, e.g. 2026-12."]}) from None


class MyAttendanceView(_MonthMixin):
    """GET /api/office-attendance/: my days of a month, and today's."""

    area = Area.OFFICE_ATTENDANCE

    @extend_schema(
        summary="My office attendance: today's clock-in and clock-out and my days of a month",
        parameters=[AGENCY_HEADER_PARAMETER, MONTH_PARAMETER],
        responses=MyAttendanceSerializer,
    )
    def get(self, request: Request) -> Response:
        month = self.month(request)
        data = {
            "month": month.strftime("%Y-%m"),
            "today": selectors.today_for(agency=self.agency, user=self.user),
            "days": selectors.days_of(agency=self.agency, user=self.user, month=month),
        }
        return Response(MyAttendanceSerializer(data).data)


class ClockInView(TenantAPIView):
    """POST /api/office-attendance/clock-in/."""

    area = Area.OFFICE_ATTENDANCE

    @extend_schema(
        summary="Clock in at the office, once a day",
        description=(
            "201 with the day when clocked in now; 200 with the same day, unchanged, when "
            "already clocked in today (a repeated request answers the first)."
        ),
        parameters=[AGENCY_HEADER_PARAMETER],
        request=AttendanceClockInSerializer,
        responses={201: AttendanceDaySerializer, 200: AttendanceDaySerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = AttendanceClockInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.clock_in(
            agency=self.agency, actor=self.actor, note=serializer.validated_data["note"]
        )
        return Response(
            AttendanceDaySerializer(result.day).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class ClockOutView(TenantAPIView):
    """POST /api/office-attendance/clock-out/."""

    area = Area.OFFICE_ATTENDANCE

    @extend_schema(
        summary="Clock out of the office, after clocking in the same day",
        description="400 before a clock-in, and for a second clock-out (the first stands).",
        parameters=[AGENCY_HEADER_PARAMETER],
        request=None,
        responses=AttendanceDaySerializer,
    )
    def post(self, request: Request) -> Response:
        record = services.clock_out(agency=self.agency, actor=self.actor)
        return Response(AttendanceDaySerializer(record).data)


class ReportView(_MonthMixin):
    """GET /api/office-attendance/report/: the manager's month."""

    area = Area.ATTENDANCE_REPORT

    @extend_schema(
        summary="The office's month: days worked, late, early and absent days, deductions",
        description=(
            "Per active office member. Late: a working day's clock-in after the opening and "
            "the grace; early leave: a clock-out before the closing; absent: a working day "
            "(the policy's weekdays, not an office day off) without a clock-in, from the day "
            "the member joined up to yesterday, and today once the office has closed."
        ),
        parameters=[AGENCY_HEADER_PARAMETER, MONTH_PARAMETER],
        responses=AttendanceReportSerializer,
    )
    def get(self, request: Request) -> Response:
        month = self.month(request)
        report = selectors.month_report(agency=self.agency, month=month)
        data = {
            "month": month.strftime("%Y-%m"),
            "currency": self.agency.currency,
            "rows": report.rows,
        }
        return Response(AttendanceReportSerializer(data).data)


class CorrectionView(TenantAPIView):
    """POST /api/office-attendance/corrections/: a manager sets a member's day."""

    area = Area.ATTENDANCE_REPORT

    @extend_schema(
        summary="Correct an office member's clock-in and clock-out of a day, with a reason",
        description=(
            "Times are the agency's local times; no clock-in marks the day not attended. "
            "The reason goes to the audit log."
        ),
        parameters=[AGENCY_HEADER_PARAMETER],
        request=AttendanceCorrectionSerializer,
        responses=AttendanceDaySerializer,
    )
    def post(self, request: Request) -> Response:
        serializer = AttendanceCorrectionSerializer(
            data=request.data, context={"members": selectors.office_members(self.agency)}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = services.attendance_correct(
            agency=self.agency,
            actor=self.actor,
            membership=data["member"],
            day=data["day"],
            clocked_in=data["clocked_in"],
            clocked_out=data["clocked_out"],
            reason=data["reason"],
        )
        return Response(AttendanceDaySerializer(record).data)
