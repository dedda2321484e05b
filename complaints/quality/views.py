"""The quality and risk pages: the inspections overview (plans, what is due, results) and
the risk register (overdue reviews first, the manager's form to add a plan)."""

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from agency.permissions import Area, can_access
from agency.tenant_views import ServiceFormMixin, TenantMixin
from complaints.quality import selectors
from complaints.quality.forms import RiskDocumentForm
from complaints.quality.services import RiskPlan, risk_document_save

#: The overview's results cover this many days back from today.
RESULTS_DAYS = 90
#: The latest inspections the overview lists.
LATEST = 20


class QualityView(TenantMixin, TemplateView):
    """This month's and quarter's plans with their progress, the latest inspections, and the
    results per staff member and branch (the lowest first)."""

    area = Area.QUALITY
    template_name = "complaints/quality/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = self.agency.today()
        end = datetime.combine(today + timedelta(days=1), time(), self.agency.zone)
        start = end - timedelta(days=RESULTS_DAYS)
        window: dict[str, Any] = {"agency": self.agency, "start": start, "end": end}
        return super().get_context_data(
            plans=selectors.plans_running(agency=self.agency, today=today),
            inspections=selectors.inspections_of(agency=self.agency)[:LATEST],
            by_staff=selectors.results(by="staff", **window),
            by_branch=selectors.results(by="branch", **window),
            checklists=selectors.checklists_of(agency=self.agency),
            results_days=RESULTS_DAYS,
            **kwargs,
        )


class RiskRegisterView(TenantMixin, ServiceFormMixin, FormView):
    """The register for the office, overdue reviews first; managers add plans here."""

    area = Area.RISK_REGISTER
    template_name = "complaints/quality/risks.html"
    form_class = RiskDocumentForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_access(self.membership.role, Area.RISK_PLANS):
            raise PermissionDenied(_("The manager keeps the risk register."))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}

    def perform(self, form: RiskDocumentForm) -> None:
        risk_document_save(agency=self.agency, actor=self.actor, plan=RiskPlan(**form.cleaned_data))
        messages.success(self.request, _("Emergency plan saved."))

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        return self.request.path

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            documents=selectors.risk_register(agency=self.agency, today=self.agency.today()),
            may_edit=can_access(self.membership.role, Area.RISK_PLANS),
            **kwargs,
        )
