"""The office's quality forms: checklists (new, edit), plans, recording an inspection, and an
inspection's page. Each write goes through one service of `complaints.quality.services`;
QUALITY roles only, another agency's objects answer 404."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from agency.idempotency import RepeatedSubmission
from agency.permissions import Area
from agency.tenancy import get_tenant_object_or_404
from agency.tenant_views import ServiceFormMixin, TenantMixin, attach_errors
from complaints.models import Checklist, Inspection, InspectionPlan
from complaints.quality import selectors, services
from complaints.quality.forms import ChecklistForm, ChecklistItemFormSet, InspectionForm, PlanForm
from complaints.quality.services import Scoring


class ChecklistFormView(TenantMixin, TemplateView):
    """A new checklist: its name and its items (label, maximum score) in rows."""

    area = Area.QUALITY
    template_name = "complaints/quality/checklist_form.html"

    @property
    def checklist(self) -> Checklist | None:
        return None

    def forms(self, data: Any = None) -> tuple[ChecklistForm, Any]:
        initial = {"name": self.checklist.name} if self.checklist else None
        form = ChecklistForm(data, checklist=self.checklist, initial=initial)
        return form, ChecklistItemFormSet(data, prefix="items")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if "form" not in kwargs:
            kwargs["form"], kwargs["items"] = self.forms()
        return super().get_context_data(checklist=self.checklist, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form, items = self.forms(request.POST)
        if form.is_valid() and items.is_valid():
            try:
                self.save(form.cleaned_data, items.rows())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Checklist saved."))
                return redirect("quality")
        return self.render_to_response(self.get_context_data(form=form, items=items), status=400)

    def save(self, data: dict[str, Any], rows: list[tuple[str, int]]) -> None:
        services.checklist_create(
            agency=self.agency, actor=self.actor, name=data["name"], items=rows
        )


class ChecklistEditView(ChecklistFormView):
    """Rename a checklist, add items, retire items (past inspections keep their scores)."""

    model = Checklist

    @cached_property
    def checklist(self) -> Checklist:
        return get_tenant_object_or_404(
            Checklist.objects.all(), agency=self.agency, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            in_use=selectors.items_in_use(checklist=self.checklist), **kwargs
        )

    def save(self, data: dict[str, Any], rows: list[tuple[str, int]]) -> None:
        services.checklist_update(
            agency=self.agency,
            actor=self.actor,
            checklist=self.checklist,
            name=data["name"],
            add_items=rows,
            retire_items=data["retire"],
        )


class PlanCreateView(TenantMixin, ServiceFormMixin, FormView):
    """A monthly or quarterly plan: how many jobs of a branch or a staff member to inspect."""

    area = Area.QUALITY
    template_name = "complaints/quality/plan_form.html"
    form_class = PlanForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}

    def get_initial(self) -> dict[str, Any]:
        return {"starts_on": self.agency.today().replace(day=1), "inspector": self.user.pk}

    def perform(self, form: PlanForm) -> None:
        services.plan_create(agency=self.agency, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("Inspection plan saved."))

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        return reverse("quality")


class InspectionRecordView(TenantMixin, ServiceFormMixin, FormView):
    """An inspected job, from a plan (its checklist) or as a spot check (a checklist chosen
    first: its items are the form's score fields). A double submit records once."""

    area = Area.QUALITY
    #: From a plan, the route's `pk` is the plan's (another agency's answers 404).
    model = InspectionPlan
    template_name = "complaints/quality/inspection_form.html"
    form_class = InspectionForm
    inspection: Inspection

    @cached_property
    def plan(self) -> InspectionPlan | None:
        if "pk" not in self.kwargs:  # a spot check
            return None
        return get_tenant_object_or_404(
            InspectionPlan.objects.select_related("checklist", "branch", "staff"),
            agency=self.agency,
            pk=self.kwargs["pk"],
        )

    @cached_property
    def checklist(self) -> Checklist | None:
        if self.plan is not None:
            return self.plan.checklist
        chosen = self.request.GET.get("checklist", "")
        if not chosen:
            return None
        return get_tenant_object_or_404(
            Checklist.objects.filter(is_active=True),
            agency=self.agency,
            pk=int(chosen) if chosen.isdigit() else 0,
        )

    @property
    def scored(self) -> Checklist:
        """The checklist the form scores: get() and post() have made sure there is one."""
        return cast(Checklist, self.checklist)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.checklist is None:
            # A spot check: which checklist first (its items are the form's fields).
            checklists = selectors.checklists_of(agency=self.agency).filter(is_active=True)
            return self.render_to_response({"view": self, "checklists": checklists})
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.checklist is None:
            return redirect("quality_inspection_new")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "agency": self.agency,
            "items": selectors.items_in_use(checklist=self.scored),
            "plan": self.plan,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(plan=self.plan, checklist=self.checklist, **kwargs)

    def perform(self, form: InspectionForm) -> None:
        data = form.cleaned_data
        scoring = Scoring(
            order=data["order"],
            staff=data["staff"],
            checklist=self.scored,
            scores=data["scores"],
            notes=data["notes"],
            plan=self.plan,
        )
        try:
            self.inspection = services.inspection_record(
                agency=self.agency,
                actor=self.actor,
                scoring=scoring,
                photos=data["photos"],
                submission_key=data["submission_key"],
            )
        except RepeatedSubmission as repeat:
            # A double click: to the inspection the first click recorded.
            self.inspection = repeat.earlier
            messages.info(self.request, repeat.message)
            return
        messages.success(self.request, _("Inspection recorded."))

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        return reverse("quality_inspection", kwargs={"pk": self.inspection.pk})


class InspectionDetailView(TenantMixin, DetailView):
    """One inspection: the scores per item, the total, the inspector, the photos."""

    area = Area.QUALITY
    model = Inspection
    template_name = "complaints/quality/inspection.html"
    context_object_name = "inspection"

    def get_queryset(self) -> QuerySet[Inspection]:
        return selectors.inspection_detail(agency=self.agency).select_related("plan")
