"""The rewards and penalties pages: the list with its filters and the manager's buttons,
the supervisor's proposal, and finance's correction of a paid statement."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from django_filters.views import FilterView

from agency.action_views import QuickActionMixin
from agency.idempotency import RepeatedSubmission
from agency.permissions import Area, can_access
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin
from payroll import adjustment_selectors
from payroll.adjustment_forms import AdjustmentFilter, AdjustmentForm, CorrectionForm, DecisionForm
from payroll.adjustments import adjustment_approve, adjustment_propose, adjustment_reject
from payroll.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentStatus,
    PayAdjustment,
    PayStatement,
    StatementStatus,
)


class AdjustmentListView(TenantMixin, FilterView):
    area = Area.PAY_ADJUSTMENTS
    template_name = "payroll/adjustments/list.html"
    filterset_class = AdjustmentFilter
    paginate_by = 50

    def get_queryset(self) -> QuerySet[PayAdjustment]:
        return adjustment_selectors.adjustments_for(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            may_decide=can_access(self.membership.role, Area.PAY_DECISIONS),
            proposed=AdjustmentStatus.PROPOSED,
            **kwargs,
        )


class AdjustmentProposeView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.PAY_ADJUSTMENTS
    template_name = "payroll/adjustments/propose.html"
    form_class = AdjustmentForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}

    def get_initial(self) -> dict[str, Any]:
        staff = self.request.GET.get("staff", "")
        return {"staff": staff} if staff.isdigit() else {}

    def perform(self, form: AdjustmentForm) -> None:
        data = form.cleaned_data
        try:
            adjustment_propose(
                agency=self.agency,
                actor=self.actor,
                staff=data["staff"],
                kind=data["kind"],
                reason=data["reason"],
                amount=data["amount"],
                note=data["note"],
                submission_key=data["submission_key"],
            )
        except RepeatedSubmission as repeat:  # a double click: the first one stands
            messages.info(self.request, repeat.message)
            return
        messages.success(self.request, _("Proposed: a manager approves it."))

    def form_invalid(self, form: AdjustmentForm) -> Any:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        return reverse("pay_adjustment_list") + "?status=proposed"


class AdjustmentDecisionView(QuickActionMixin, TenantObjectMixin, View):
    """The manager's approve and reject buttons on the list; back to the list."""

    area = Area.PAY_DECISIONS
    model = PayAdjustment
    form_class = DecisionForm

    def get_queryset(self) -> QuerySet[PayAdjustment]:
        return PayAdjustment.objects.filter(agency=self.agency)

    def default_url(self) -> str:
        return reverse("pay_adjustment_list")


class AdjustmentApproveView(AdjustmentDecisionView):
    def act(self, adjustment: PayAdjustment, form: DecisionForm) -> str:
        adjustment_approve(adjustment=adjustment, actor=self.actor, note=form.cleaned_data["note"])
        return _("Approved: the next statement computed pays or deducts it.")


class AdjustmentRejectView(AdjustmentDecisionView):
    def act(self, adjustment: PayAdjustment, form: DecisionForm) -> str:
        adjustment_reject(adjustment=adjustment, actor=self.actor, note=form.cleaned_data["note"])
        return _("Rejected.")


class StatementCorrectView(TenantObjectMixin, ServiceFormMixin, FormView):
    """Finance corrects a paid statement: an adjustment paid in the next period; the
    statement itself never changes. The page lists the corrections proposed of it."""

    area = Area.PAYROLL
    model = PayStatement
    template_name = "payroll/adjustments/correct.html"
    form_class = CorrectionForm

    def get_queryset(self) -> QuerySet[PayStatement]:
        return PayStatement.objects.select_related("period", "staff", "agency")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        statement = self.object
        return super().get_context_data(
            statement=statement,
            paid=statement.status == StatementStatus.PAID,
            corrections=list(adjustment_selectors.corrections_of(statement=statement)),
            **kwargs,
        )

    def perform(self, form: CorrectionForm) -> None:
        statement = self.object
        data = form.cleaned_data
        try:
            adjustment_propose(
                agency=self.agency,
                actor=self.actor,
                staff=statement.staff,
                kind=AdjustmentKind.CORRECTION,
                reason=AdjustmentReason.CORRECTION,
                amount=data["amount"],
                note=data["note"],
                submission_key=data["submission_key"],
                corrects=statement,
            )
        except RepeatedSubmission as repeat:
            messages.info(self.request, repeat.message)
            return
        messages.success(
            self.request,
            _("Correction proposed: once a manager approves it, the next period pays it."),
        )

    def form_invalid(self, form: CorrectionForm) -> Any:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        return reverse("pay_statement_correct", kwargs={"pk": self.object.pk})
