"""Pages of performance: the scorecards (per branch and staff member), a staff member's own
performance page, the levels (the manager's) and the promotions queue. Thin: reads through
`performance.scorecard` and the selectors, writes through the services."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from agency.errors import StateConflict
from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin
from performance import levels as level_services
from performance import promotions as promotion_services
from performance.forms import (
    BranchFilterForm,
    DecisionForm,
    FirstLevelForm,
    InductionForm,
    LevelForm,
    ProposeForm,
)
from performance.models import Promotion, PromotionStatus
from performance.scorecard import branch_scores, staff_score, staff_scores, window_for
from staff.models import Level, StaffMember


class ScorecardView(TenantMixin, TemplateView):
    """The branch table and the staff table over the last 12 months; filter by branch."""

    area = Area.PERFORMANCE
    template_name = "performance/scorecard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = BranchFilterForm(self.request.GET or None, agency=self.agency)
        branch = form.cleaned_data["branch"] if form.is_valid() else None
        window = window_for(self.agency)
        scores = staff_scores(agency=self.agency, window=window)
        shown = [s for s in scores if branch is None or s.staff.home_branch_id == branch.pk]
        return super().get_context_data(
            form=form,
            window=window,
            branches=branch_scores(agency=self.agency, scores=scores),
            scores=shown,
            **kwargs,
        )


class StaffPerformanceView(TenantObjectMixin, TemplateView):
    """One staff member's scorecard, level, promotions; propose one, or give a first level."""

    area = Area.PERFORMANCE
    model = StaffMember
    template_name = "performance/staff.html"

    def get_queryset(self) -> QuerySet[StaffMember]:
        return StaffMember.objects.filter(agency=self.agency).select_related("home_branch", "level")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        staff: StaffMember = self.object
        levels = list(Level.objects.filter(agency=self.agency, is_active=True))
        target = promotion_services.next_level(levels, staff.level)
        score = staff_score(staff=staff)
        return super().get_context_data(
            staff=staff,
            score=score,
            window=window_for(self.agency),
            next_level=target,
            unmet=promotion_services.unmet_criteria(target, score) if target and score else [],
            promotions=promotion_services.promotions_for(agency=self.agency).filter(staff=staff),
            propose_form=ProposeForm(),
            first_level_form=FirstLevelForm(agency=self.agency),
            **kwargs,
        )


class PromotionProposeView(TenantObjectMixin, View):
    """POST: a supervisor proposes the staff member for the next level."""

    area = Area.PERFORMANCE
    model = StaffMember

    def get_queryset(self) -> QuerySet[StaffMember]:
        return StaffMember.objects.filter(agency=self.agency).select_related("level", "agency")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff = self.object
        form = ProposeForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            promotion = promotion_services.promotion_propose(
                staff=staff, actor=self.actor, note=note
            )
        except (ValidationError, StateConflict) as error:
            messages.error(request, " ".join(_messages(error)))
        else:
            messages.success(
                request,
                _("%(name)s proposed for %(level)s.")
                % {"name": staff.name, "level": promotion.to_level.name},
            )
        return redirect("performance_staff", pk=staff.pk)


class FirstLevelView(TenantObjectMixin, View):
    """POST: the manager gives a staff member without a level their first one."""

    area = Area.PAY_DECISIONS
    model = StaffMember

    def get_queryset(self) -> QuerySet[StaffMember]:
        return StaffMember.objects.filter(agency=self.agency).select_related("agency")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff = self.object
        form = FirstLevelForm(request.POST, agency=self.agency)
        if not form.is_valid():
            messages.error(request, _("Choose a level."))
            return redirect("performance_staff", pk=staff.pk)
        try:
            level_services.staff_first_level(
                staff=staff, actor=self.actor, level=form.cleaned_data["level"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(_messages(error)))
        else:
            messages.success(request, _("Level set."))
        return redirect("performance_staff", pk=staff.pk)


class LevelListView(TenantMixin, TemplateView):
    """The manager's levels page: the levels with their criteria, and the induction course."""

    area = Area.PAY_DECISIONS
    template_name = "performance/levels.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = level_services.policy_for(self.agency)
        return super().get_context_data(
            levels=level_services.levels_for(agency=self.agency),
            induction_form=InductionForm(initial={"induction_course": policy.induction_course}),
            **kwargs,
        )


class InductionCourseView(TenantMixin, View):
    """POST: the manager names the induction course (or clears it)."""

    area = Area.PAY_DECISIONS

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InductionForm(request.POST)
        if form.is_valid():
            policy = level_services.induction_course_save(
                agency=self.agency, actor=self.actor, course=form.cleaned_data["induction_course"]
            )
            if policy.induction_course:
                messages.success(
                    request,
                    _("Staff must have done %(course)s before a job.")
                    % {"course": policy.induction_course},
                )
            else:
                messages.success(request, _("No induction training is required."))
        else:
            messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("level_list")


class LevelCreateView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.PAY_DECISIONS
    template_name = "performance/level_form.html"
    form_class = LevelForm
    success_url = reverse_lazy("level_list")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": Level(agency=self.agency)}

    def perform(self, form: LevelForm) -> None:
        level = level_services.level_save(agency=self.agency, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("Level %(name)s added.") % {"name": level.name})


class LevelUpdateView(TenantObjectMixin, ServiceFormMixin, FormView):
    area = Area.PAY_DECISIONS
    model = Level
    template_name = "performance/level_form.html"
    form_class = LevelForm
    success_url = reverse_lazy("level_list")

    def get_queryset(self) -> QuerySet[Level]:
        return level_services.levels_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form: LevelForm) -> None:
        level = level_services.level_save(
            agency=self.agency, actor=self.actor, level=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Level %(name)s saved.") % {"name": level.name})


class PromotionQueueView(TenantMixin, TemplateView):
    """The promotions waiting for the manager, then the decided ones (latest 50)."""

    area = Area.PERFORMANCE
    template_name = "performance/promotions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        promotions = promotion_services.promotions_for(agency=self.agency)
        return super().get_context_data(
            waiting=promotions.filter(status=PromotionStatus.PROPOSED),
            decided=promotions.exclude(status=PromotionStatus.PROPOSED)[:50],
            decision_form=DecisionForm(),
            **kwargs,
        )


class PromotionDecisionView(TenantObjectMixin, View):
    """POST: the manager approves or rejects (with a note) a proposed promotion."""

    area = Area.PAY_DECISIONS
    model = Promotion
    decision = "approve"

    def get_queryset(self) -> QuerySet[Promotion]:
        return Promotion.objects.filter(agency=self.agency)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        promotion = self.object
        form = DecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            if self.decision == "approve":
                promotion_services.promotion_approve(
                    promotion=promotion, actor=self.actor, note=note
                )
                messages.success(request, _("Promotion approved; the level is changed."))
            else:
                promotion_services.promotion_reject(
                    promotion=promotion, actor=self.actor, note=note
                )
                messages.success(request, _("Promotion rejected."))
        except (ValidationError, StateConflict) as error:
            messages.error(request, " ".join(_messages(error)))
        return redirect(reverse("promotion_queue"))


def _messages(error: ValidationError | StateConflict) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]
