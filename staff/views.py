"""The staff pages: list, record, certificates, trainings, working pattern, time off.

Thin, like the orders pages: reads through `staff.selectors` for the active
agency, writes through `staff.services`. A form page shows a service's
ValidationError next to the field it names; a refused decision (wrong role,
already decided) comes back as a message on the staff member's page.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, View
from django_filters.views import FilterView

from agency.action_views import QuickActionMixin
from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin
from messaging.views.log import page_log
from staff import selectors
from staff.filters import StaffFilter
from staff.forms import (
    CertificateForm,
    DecisionForm,
    SkillsForm,
    StaffForm,
    TimeOffForm,
    TrainingForm,
    WorkingPatternFormSet,
)
from staff.models import Certificate, StaffMember, TimeOff, Training
from staff.services.qualifications import certificate_add, certificate_update, training_add
from staff.services.records import staff_create, staff_skills_set, staff_update
from staff.services.time_off import time_off_approve, time_off_reject, time_off_request
from staff.services.working_hours import working_hours_set
from staff.skills import skill_choices

#: Blank rows offered under the working pattern for new blocks.
BLANK_PATTERN_ROWS = 3


class StaffListView(TenantMixin, FilterView):
    """The agency's staff: search, filters, trainings this year, certificates due."""

    area = Area.STAFF
    template_name = "staff/list.html"
    filterset_class = StaffFilter
    paginate_by = 50

    def get_queryset(self) -> QuerySet[StaffMember]:
        return selectors.staff_list(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            skill_options=skill_choices(selectors.skill_codes_for(agency=self.agency)),
            training_target=self.agency.trainings_per_year,
            year=self.agency.today().year,
            **kwargs,
        )


class StaffDetailView(TenantObjectMixin, DetailView):
    """A staff member's record. Office roles only (Area.STAFF), so the phone is shown."""

    area = Area.STAFF
    model = StaffMember
    template_name = "staff/detail.html"
    context_object_name = "staff"

    def get_queryset(self) -> QuerySet[StaffMember]:
        return selectors.trainings_count_this_year(
            selectors.staff_detail(agency=self.agency), agency=self.agency
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = self.agency.today()
        staff: StaffMember = self.object
        return super().get_context_data(
            today=today,
            warn_until=today + timedelta(days=selectors.EXPIRY_WARNING_DAYS),
            training_target=self.agency.trainings_per_year,
            this_year=[t for t in staff.trainings.all() if t.held_on.year == today.year],
            decision_form=DecisionForm(),
            **page_log(agency=self.agency, topic=f"staff:{staff.pk}"),
            **kwargs,
        )


class StaffCreateView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.STAFF
    template_name = "staff/staff_form.html"
    form_class = StaffForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "agency": self.agency,
            "instance": StaffMember(agency=self.agency),
        }

    def get_initial(self) -> dict[str, Any]:
        return {"started_on": self.agency.today(), "home_branch": self.membership.branch_id}

    def perform(self, form: StaffForm) -> None:
        self.created = staff_create(agency=self.agency, actor=self.actor, **form.service_fields())
        messages.success(self.request, _("%(name)s added.") % {"name": self.created.name})

    def get_success_url(self) -> str:
        return reverse("staff_detail", kwargs={"pk": self.created.pk})


class StaffObjectMixin(TenantObjectMixin):
    """A page about one staff member of the agency (another agency's: 404)."""

    area = Area.STAFF
    model = StaffMember

    def get_queryset(self) -> QuerySet[StaffMember]:
        return selectors.staff_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        self.object  # noqa: B018 - another agency's staff member is a 404 before any form
        return super().get_form_kwargs()  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(staff=self.object, **kwargs)  # type: ignore[misc]

    def get_success_url(self) -> str:
        return reverse("staff_detail", kwargs={"pk": self.object.pk})


class StaffUpdateView(StaffObjectMixin, ServiceFormMixin, FormView):
    template_name = "staff/staff_form.html"
    form_class = StaffForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency, "instance": self.object}

    def perform(self, form: StaffForm) -> None:
        staff_update(staff=self.object, actor=self.actor, **form.service_fields())
        messages.success(self.request, _("%(name)s saved.") % {"name": self.object.name})


class StaffSkillsView(StaffObjectMixin, ServiceFormMixin, FormView):
    template_name = "staff/skills_form.html"
    form_class = SkillsForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "codes": selectors.skill_codes_for(agency=self.agency),
            "current": {skill.code: skill.level for skill in self.object.skills.all()},
        }

    def perform(self, form: SkillsForm) -> None:
        staff_skills_set(staff=self.object, actor=self.actor, skills=form.skills())
        messages.success(self.request, _("Skills of %(name)s saved.") % {"name": self.object.name})


class CertificateAddView(StaffObjectMixin, ServiceFormMixin, FormView):
    template_name = "staff/record_form.html"
    form_class = CertificateForm
    heading = gettext_lazy("Add a certificate")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": Certificate(staff=self.object)}

    def perform(self, form: CertificateForm) -> None:
        certificate_add(staff=self.object, actor=self.actor, **form.service_fields())
        messages.success(self.request, _("Certificate added."))


class CertificateEditView(TenantObjectMixin, ServiceFormMixin, FormView):
    """Correct or renew a certificate (a new scan replaces the old one)."""

    area = Area.STAFF
    model = Certificate
    template_name = "staff/record_form.html"
    form_class = CertificateForm
    heading = gettext_lazy("Edit certificate")

    def get_queryset(self) -> QuerySet[Certificate]:
        return selectors.certificates_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(staff=self.object.staff, **kwargs)

    def perform(self, form: CertificateForm) -> None:
        certificate_update(certificate=self.object, actor=self.actor, **form.service_fields())
        messages.success(self.request, _("Certificate saved."))

    def get_success_url(self) -> str:
        return reverse("staff_detail", kwargs={"pk": self.object.staff_id})


class TrainingAddView(StaffObjectMixin, ServiceFormMixin, FormView):
    template_name = "staff/record_form.html"
    form_class = TrainingForm
    heading = gettext_lazy("Record a training or assessment")

    def get_initial(self) -> dict[str, Any]:
        return {"held_on": self.agency.today(), "kind": "training"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": Training(staff=self.object)}

    def perform(self, form: TrainingForm) -> None:
        training_add(staff=self.object, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("Training recorded."))


class TimeOffRequestView(StaffObjectMixin, ServiceFormMixin, FormView):
    template_name = "staff/record_form.html"
    form_class = TimeOffForm
    heading = gettext_lazy("Request time off")

    def perform(self, form: TimeOffForm) -> None:
        time_off_request(staff=self.object, actor=self.actor, **form.cleaned_data)
        messages.success(
            self.request,
            _("Time off requested; a supervisor or manager approves it."),
        )


class WorkingPatternView(StaffObjectMixin, FormView):
    """The weekly pattern, one row per block; emptying a row's times removes it."""

    template_name = "staff/working_pattern.html"

    def get_form(self, form_class: Any = None) -> Any:
        rows = [
            {"weekday": h.weekday, "starts": h.starts, "ends": h.ends}
            for h in self.object.working_hours.order_by("weekday", "starts")
        ]
        if not rows:
            # A first pattern: one row per weekday, Monday to Sunday.
            rows = [{"weekday": day} for day in range(7)]
        rows += [{"weekday": 0}] * BLANK_PATTERN_ROWS
        return WorkingPatternFormSet(
            self.request.POST if self.request.method == "POST" else None,
            initial=rows,
            prefix="blocks",
        )

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            working_hours_set(staff=self.object, actor=self.actor, blocks=form.blocks())
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(form=form, pattern_errors=error.messages)
            )
        messages.success(
            self.request, _("Working pattern of %(name)s saved.") % {"name": self.object.name}
        )
        return redirect(self.get_success_url())


class CertificatesExpiringView(TenantMixin, ListView):
    """Certificates that expire within 30 days and were not renewed."""

    area = Area.STAFF
    template_name = "staff/certificates_expiring.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Certificate]:
        return selectors.certificates_expiring(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            within_days=selectors.EXPIRY_WARNING_DAYS, today=self.agency.today(), **kwargs
        )


class TimeOffPendingView(TenantMixin, ListView):
    """Time off waiting for a supervisor or manager (请假审批)."""

    area = Area.STAFF
    template_name = "staff/time_off_pending.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[TimeOff]:
        return selectors.time_off_pending(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            decision_form=DecisionForm(),
            **kwargs,
        )


class TimeOffDecisionView(QuickActionMixin, TenantObjectMixin, View):
    """A decision on time off, then back to the page its buttons were on (`next`), else the
    staff member's page. The service enforces who may decide (supervisor or manager)."""

    area = Area.STAFF
    model = TimeOff

    def get_queryset(self) -> QuerySet[TimeOff]:
        return selectors.time_off_for(agency=self.agency)

    def default_url(self) -> str:
        return reverse("staff_detail", kwargs={"pk": self.object.staff_id})


class TimeOffApproveView(TimeOffDecisionView):
    def act(self, time_off: TimeOff, form: None) -> str:
        time_off_approve(time_off=time_off, actor=self.actor)
        return _("Time off of %(name)s approved.") % {"name": time_off.staff.name}


class TimeOffRejectView(TimeOffDecisionView):
    def act(self, time_off: TimeOff, form: None) -> str:
        # The note is optional: one that does not fit is left out, the rejection still made.
        decision = DecisionForm(self.request.POST)
        note = decision.cleaned_data["note"] if decision.is_valid() else ""
        time_off_reject(time_off=time_off, actor=self.actor, note=note)
        return _("Time off of %(name)s rejected.") % {"name": time_off.staff.name}
