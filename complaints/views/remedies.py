"""The remedies on the complaint page — solutions, compensation, the customer's charge, the
inspection visit — and finance's list of compensations to pay out.

The complaint page includes `complaints/remedies/_panel.html` with `remedy_context`; the
creates post to the complaint's own action URLs (a rejected form comes back on the page,
400), the steps on one solution, compensation or visit are buttons that come back with
their message (`QuickActionMixin`).
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, View

from agency.action_views import QuickActionMixin
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from complaints import remedy_selectors
from complaints.models import (
    Compensation,
    CompensationStatus,
    Complaint,
    InspectionVisit,
    Solution,
)
from complaints.remedy_forms import (
    ChargeForm,
    CompensationDecideForm,
    CompensationPayForm,
    CompensationProposeForm,
    InspectionRecordForm,
    InspectionScheduleForm,
    SolutionOfferForm,
)
from complaints.services import remedies
from complaints.views.detail import ComplaintActionView
from complaints.views.remedy_panel import WITH_AGENCY


class RemedyActionView(ComplaintActionView):
    """A create on the complaint: its form is one of the remedies panel's."""

    def form_kwargs(self) -> dict[str, Any]:
        kwargs = super().form_kwargs()
        if self.form_class in WITH_AGENCY:
            kwargs["agency"] = self.agency
        return kwargs


class SolutionOfferView(RemedyActionView):
    form_class = SolutionOfferForm
    form_context_name = "offer_form"

    def act(self, complaint: Complaint, form: SolutionOfferForm) -> str:
        solution = remedies.solution_offer(
            complaint=complaint, actor=self.actor, **form.cleaned_data
        )
        return _("Solution offered: %(kind)s.") % {"kind": solution.get_kind_display()}


class CompensationProposeView(RemedyActionView):
    form_class = CompensationProposeForm
    form_context_name = "compensation_form"

    def act(self, complaint: Complaint, form: CompensationProposeForm) -> str:
        remedies.compensation_propose(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("Compensation proposed; it waits for approval.")


class ChargeView(RemedyActionView):
    form_class = ChargeForm
    form_context_name = "charge_form"

    def act(self, complaint: Complaint, form: ChargeForm) -> str:
        charge = remedies.charge_customer(
            complaint=complaint, actor=self.actor, **form.cleaned_data
        )
        return _("%(amount)s charged on the customer's invoice.") % {"amount": charge.amount}


class InspectionScheduleView(RemedyActionView):
    form_class = InspectionScheduleForm
    form_context_name = "inspection_form"

    def act(self, complaint: Complaint, form: InspectionScheduleForm) -> str:
        remedies.inspection_schedule(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("Inspection visit scheduled.")


class _OnComplaintPage(QuickActionMixin, TenantObjectMixin, View):
    """A step on one of the complaint's remedies: back to the complaint's page."""

    area = Area.COMPLAINTS

    def default_url(self) -> str:
        return reverse("complaint_detail", args=[self.object.complaint_id])


class SolutionAgreeView(_OnComplaintPage):
    model = Solution

    def get_queryset(self) -> QuerySet[Solution]:
        return Solution.objects.select_related("complaint")

    def act(self, solution: Solution, form: None) -> str:
        remedies.solution_agree(solution=solution, actor=self.actor)
        return _("The customer's agreement is recorded, and the customer is told.")


class CompensationDecideView(_OnComplaintPage):
    model = Compensation
    form_class = CompensationDecideForm

    def get_queryset(self) -> QuerySet[Compensation]:
        return Compensation.objects.all()

    def act(self, compensation: Compensation, form: CompensationDecideForm) -> str:
        decided = remedies.compensation_decide(
            compensation=compensation, actor=self.actor, **form.cleaned_data
        )
        return (
            _("Compensation approved; finance pays it out.")
            if decided.status == CompensationStatus.APPROVED
            else _("Compensation refused.")
        )


class InspectionRecordView(_OnComplaintPage):
    model = InspectionVisit
    form_class = InspectionRecordForm

    def get_queryset(self) -> QuerySet[InspectionVisit]:
        return InspectionVisit.objects.all()

    def make_form(self) -> InspectionRecordForm:
        return InspectionRecordForm(self.request.POST, self.request.FILES)

    def act(self, visit: InspectionVisit, form: InspectionRecordForm) -> str:
        remedies.inspection_record(visit=visit, actor=self.actor, **form.cleaned_data)
        return _("Inspection visit recorded.")


# --- finance: compensations to pay out ----------------------------------------------------


class CompensationListView(TenantMixin, ListView):
    """Compensation approved and paid: money paid out, not invoice refunds (finance)."""

    area = Area.BILLING
    template_name = "complaints/remedies/compensations.html"
    context_object_name = "compensations"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Compensation]:
        return remedy_selectors.compensations_for(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            pay_form=CompensationPayForm(auto_id="id_pay_form_%s"),
            approved=CompensationStatus.APPROVED,
            approval_limit=remedies.remedy_policy_for(self.agency).approval_limit,
            **kwargs,
        )


class CompensationPayView(QuickActionMixin, TenantObjectMixin, View):
    area = Area.BILLING
    model = Compensation
    form_class = CompensationPayForm
    invalid_message = gettext_lazy("Choose how the money was paid.")

    def get_queryset(self) -> QuerySet[Compensation]:
        return Compensation.objects.all()

    def default_url(self) -> str:
        return reverse("compensation_list")

    def act(self, compensation: Compensation, form: CompensationPayForm) -> str:
        paid = remedies.compensation_pay(
            compensation=compensation, actor=self.actor, **form.cleaned_data
        )
        return _("%(amount)s paid out for %(item)s.") % {"amount": paid.amount, "item": paid.item}
