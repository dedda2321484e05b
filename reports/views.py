"""The reports pages: the supervisor's and manager's dashboard."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agency import selectors as agency_selectors
from agency.models import Agency, Branch
from agency.permissions import Area
from agency.tenant_views import TenantMixin
from reports.dashboard import PERIOD_CHOICES, PeriodKind, dashboard, period_for


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("period"), choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    branch = forms.ModelChoiceField(
        label=_("branch"), queryset=Branch.objects.none(), required=False, empty_label=_("all")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = agency_selectors.branches_for(agency=agency)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period") == PeriodKind.CUSTOM and not (
            cleaned.get("start") and cleaned.get("end")
        ):
            raise forms.ValidationError(_("A custom period needs both days."))
        return cleaned


class DashboardView(TenantMixin, TemplateView):
    """KPIs of a period and branch against the agency's targets (DESIGN.md, "Targets the
    reports measure"); each links to the rows behind it where a page lists them."""

    area = Area.REPORTS
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = DashboardFilterForm(self.request.GET or None, agency=self.agency)
        branch = None
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            period = period_for(
                self.agency,
                data.get("period") or PeriodKind.THIS_WEEK,
                first=data.get("start"),
                last=data.get("end"),
            )
            branch = data.get("branch")
        else:
            period = period_for(self.agency)
        context.update(
            filter_form=form,
            period=period,
            branch=branch,
            groups=dashboard(agency=self.agency, period=period, branch=branch),
        )
        return context
