"""The reports API: the dashboard's KPIs as data, and the weekly reports (list, PDF,
regenerate); the same selectors and services as the pages."""

from typing import Any, Literal

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agency.api import AGENCY_HEADER_PARAMETER, TenantAPIView, TenantViewSet
from agency.models import Agency
from agency.pdf import PDF_RENDERERS, PDF_RESPONSE, pdf_response
from agency.permissions import Area
from orders import figures as order_figures
from reports import formatting, selectors
from reports.kpis import KPIS, measure
from reports.models import ReportStatus, WeeklyReport
from reports.periods import PeriodKind
from reports.services import regenerate_weekly_report
from reports.views import DashboardFilterForm
from staff.models import StaffMember


class KpiSerializer(serializers.Serializer):
    key = serializers.CharField()
    group = serializers.CharField()
    name = serializers.CharField(help_text="The KPI's name in the request's language.")
    unit = serializers.CharField(
        help_text="share (a fraction), duration (seconds), money, count, score"
    )
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    shown = serializers.CharField(help_text="The value as the dashboard shows it.")
    target = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    target_shown = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    measured = serializers.IntegerField(allow_null=True)
    breakdown = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))


class DashboardSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()
    branch = serializers.IntegerField(allow_null=True)
    kpis = KpiSerializer(many=True)


PERIOD_PARAMETERS = [
    AGENCY_HEADER_PARAMETER,
    OpenApiParameter("period", str, enum=[kind.value for kind in PeriodKind]),
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (custom period)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (custom period)"),
    OpenApiParameter("branch", int),
]


class DashboardView(TenantAPIView):
    """GET /api/reports/dashboard/: every KPI of a period and branch against its target."""

    area = Area.REPORTS

    @extend_schema(
        summary="The KPIs of a period and branch against the agency's targets",
        parameters=PERIOD_PARAMETERS,
        responses=DashboardSerializer,
    )
    def get(self, request: Request) -> Response:
        agency: Agency = self.agency
        form = DashboardFilterForm(request.query_params or None, agency=agency)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        period, branch = form.chosen()
        measures = measure(agency=agency, period=period, branch=branch)
        kpis = [
            {
                "key": kpi.key,
                "group": kpi.group,
                "name": str(kpi.label),
                "unit": kpi.unit,
                "value": measures[kpi.key].value,
                "shown": formatting.shown(kpi, measures[kpi.key].value),
                "target": measures[kpi.key].target,
                "target_shown": formatting.target(kpi, measures[kpi.key]),
                "met": measures[kpi.key].met,
                "measured": measures[kpi.key].measured,
                "breakdown": measures[kpi.key].breakdown,
            }
            for kpi in KPIS
        ]
        body = {
            "first": period.first,
            "last": period.last,
            "branch": None if branch is None else branch.pk,
            "kpis": kpis,
        }
        return Response(DashboardSerializer(body).data)


class AttendanceFiguresSerializer(serializers.Serializer):
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    no_show = serializers.IntegerField()
    measured = serializers.IntegerField(help_text="Arrivals recorded: on time + late + no-show.")
    punctuality = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        allow_null=True,
        help_text="On time ÷ arrivals recorded, a fraction (null: none recorded).",
    )
    average_late_minutes = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        help_text="Over the late arrivals (null: none late).",
    )


class AttendanceRowSerializer(AttendanceFiguresSerializer):
    key = serializers.IntegerField(allow_null=True, help_text="The staff member's or branch's id.")
    name = serializers.CharField(allow_null=True)


class AttendanceSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()
    branch = serializers.IntegerField(allow_null=True)
    staff = serializers.IntegerField(allow_null=True)
    by = serializers.CharField(help_text="What the rows are: staff or branch.")
    total = AttendanceFiguresSerializer()
    rows = AttendanceRowSerializer(many=True)


ATTENDANCE_BY = ("staff", "branch")


class AttendanceView(TenantAPIView):
    """GET /api/attendance/: punctuality and no-shows of a period, per staff member or per
    branch (issue 17); the dashboard's roles."""

    area = Area.REPORTS

    @extend_schema(
        summary="Attendance: on time, late and no-shows of a period, per staff member or branch",
        description=(
            "The assignments starting in the period whose arrival is recorded. Punctuality "
            "= on time ÷ (on time + late + no-show)."
        ),
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("staff", int, description="One staff member only"),
            OpenApiParameter("by", str, enum=list(ATTENDANCE_BY), description="Default: staff"),
        ],
        responses=AttendanceSerializer,
    )
    def get(self, request: Request) -> Response:
        agency: Agency = self.agency
        form = DashboardFilterForm(request.query_params or None, agency=agency)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        period, branch = form.chosen()
        by: Literal["staff", "branch"]
        match request.query_params.get("by") or "staff":
            case "staff":
                by = "staff"
            case "branch":
                by = "branch"
            case _:
                raise ValidationError({"by": ["Choose staff or branch."]})
        staff = self._staff(agency, request.query_params.get("staff"))
        window: dict[str, Any] = {
            "agency": agency,
            "start": period.start,
            "end": period.end,
            "branch": branch,
            "staff": staff,
        }
        body = {
            "first": period.first,
            "last": period.last,
            "branch": None if branch is None else branch.pk,
            "staff": None if staff is None else staff.pk,
            "by": by,
            "total": order_figures.attendance(**window),
            "rows": [
                order_figures.with_punctuality(row)
                for row in order_figures.attendance_by(**window, by=by)
            ],
        }
        return Response(AttendanceSerializer(body).data)

    @staticmethod
    def _staff(agency: Agency, raw: str | None) -> StaffMember | None:
        """The staff member the query names, of this agency only (another's is unknown)."""
        if not raw:
            return None
        found = (
            StaffMember.objects.filter(agency=agency, pk=int(raw)).first()
            if raw.isdigit()
            else None
        )
        if found is None:
            raise ValidationError({"staff": ["No such staff member."]})
        return found


class WeeklyReportSerializer(serializers.ModelSerializer):
    requested_by: serializers.Field = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = WeeklyReport
        fields = [
            "id",
            "week",
            "branch",
            "version",
            "language",
            "status",
            "attempts",
            "last_error",
            "next_attempt_at",
            "created_at",
            "generated_at",
            "emailed_at",
            "requested_by",
            "measures",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="The weekly satisfaction reports, newest week first"),
    retrieve=extend_schema(summary="A weekly report: its state and the week's KPI values"),
)
class WeeklyReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    area = Area.WEEKLY_REPORTS
    model = WeeklyReport
    serializer_class = WeeklyReportSerializer
    filterset_fields = ["week", "branch", "status"]

    def tenant_queryset(self, agency: Agency) -> Any:
        return selectors.weekly_reports_for(agency=agency).order_by(
            "-week", "branch_id", "-version"
        )

    @extend_schema(summary="The report's PDF (once it is ready)", responses=PDF_RESPONSE)
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        report = self.get_object()
        if report.status != ReportStatus.READY:
            raise NotFound("This report has no PDF yet.")
        with report.pdf.open("rb") as file:
            return pdf_response(file.read(), filename=report.pdf.name.rsplit("/", 1)[-1])

    @extend_schema(
        summary="Regenerate: a new version, built by a worker; earlier versions stay",
        request=None,
        responses={202: WeeklyReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def regenerate(self, request: Request, pk: str | None = None) -> Response:
        new = regenerate_weekly_report(report=self.get_object(), actor=self.actor)
        return Response(WeeklyReportSerializer(new).data, status=status.HTTP_202_ACCEPTED)
