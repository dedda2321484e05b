"""The reports pages: the dashboard, and the weekly satisfaction reports (list, PDF, regenerate)."""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from agency import selectors as agency_selectors
from agency.action_views import ActionMixin
from agency.bounds import PLAUSIBLE_DATE
from agency.models import Agency, Branch
from agency.pdf import pdf_response
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from agency.widgets import DateInput
from reports import selectors
from reports.dashboard import dashboard
from reports.models import ReportStatus, WeeklyReport
from reports.periods import PERIOD_CHOICES, Period, PeriodKind, period_for
from reports.services import regenerate_weekly_report


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("period"), choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(
        label=_("from"),
        required=False,
        widget=DateInput(),
        validators=PLAUSIBLE_DATE,
    )
    end = forms.DateField(
        label=_("to"),
        required=False,
        widget=DateInput(),
        validators=PLAUSIBLE_DATE,
    )
    branch = forms.ModelChoiceField(
        label=_("branch"), queryset=Branch.objects.none(), required=False, empty_label=_("all")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["branch"].queryset = agency_selectors.branches_for(agency=agency)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period") == PeriodKind.CUSTOM and not (
            cleaned.get("start") and cleaned.get("end")
        ):
            raise forms.ValidationError(_("A custom period needs both days."))
        return cleaned

    def chosen(self) -> tuple[Period, Branch | None]:
        """The period and branch the query chose; this week and all branches when there
        is no query or the form refused it (the page shows why)."""
        if not (self.is_bound and self.is_valid()):
            return period_for(self.agency), None
        data = self.cleaned_data
        period = period_for(
            self.agency,
            data.get("period") or PeriodKind.THIS_WEEK,
            first=data.get("start"),
            last=data.get("end"),
        )
        return period, data.get("branch")


class DashboardView(TenantMixin, TemplateView):
    """KPIs of a period and branch against the agency's targets (DESIGN.md, "Targets the
    reports measure"); each links to the rows behind it where a page lists them."""

    area = Area.REPORTS
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = DashboardFilterForm(self.request.GET or None, agency=self.agency)
        period, branch = form.chosen()
        context.update(
            filter_form=form,
            period=period,
            branch=branch,
            groups=dashboard(agency=self.agency, period=period, branch=branch),
        )
        return context


class WeeklyReportListView(TenantMixin, TemplateView):
    """The weekly satisfaction reports, newest week first: the agency's and each branch's,
    every version, with their state (being prepared, ready, failed and why)."""

    area = Area.WEEKLY_REPORTS
    template_name = "reports/weekly_list.html"
    weeks_per_page = 8

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        weeks = Paginator(selectors.report_weeks(agency=self.agency), self.weeks_per_page)
        page = weeks.get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            weeks=selectors.reports_of_weeks(agency=self.agency, weeks=list(page.object_list)),
            statuses=ReportStatus,
        )
        return context


class WeeklyReportPdfView(TenantObjectMixin, View):
    area = Area.WEEKLY_REPORTS
    model = WeeklyReport

    def get_queryset(self) -> Any:
        return selectors.weekly_reports_for(agency=self.agency)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = self.object
        if report.status != ReportStatus.READY:
            raise Http404(_("This report has no PDF yet."))
        with report.pdf.open("rb") as file:
            return pdf_response(file.read(), filename=report.pdf.name.rsplit("/", 1)[-1])


class WeeklyReportRegenerateView(ActionMixin, TenantObjectMixin, View):
    """A manager asks for a new version; the earlier versions stay."""

    area = Area.WEEKLY_REPORTS
    model = WeeklyReport

    def get_queryset(self) -> Any:
        return selectors.weekly_reports_for(agency=self.agency)

    def act(self, obj: WeeklyReport, form: None) -> str:
        new = regenerate_weekly_report(report=obj, actor=self.actor)
        return _("Version %(version)s is being prepared.") % {"version": new.version}

    def back(self) -> HttpResponse:
        return redirect("weekly_reports")
