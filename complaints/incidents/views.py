"""Incident pages: the staff member's report from the job page (phone-sized), the
office's list, record page and detail with its actions.

Data-protection incidents are the managers' only: for anyone else they are not in the
list and their page answers 404, like another agency's.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, View
from django_filters.views import FilterView

from agency.action_views import ActionMixin
from agency.errors import StateConflict
from agency.idempotency import RepeatedSubmission
from agency.permissions import Area, can_access
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin
from complaints.incidents import selectors, services
from complaints.incidents.forms import (
    ActionDoneForm,
    ActionForm,
    CloseForm,
    DamageForm,
    IncidentFilter,
    IncidentRecordForm,
    IncidentReportForm,
    OwnerForm,
    ValuablesForm,
)
from complaints.incidents.services import action_of
from complaints.incidents.valuables import (
    valuables_check_by_token,
    valuables_check_record,
    valuables_confirm_by_link,
)
from complaints.models import Incident, IncidentKind, ValuablesCheck
from orders.models import Assignment
from orders.service.views.field import OwnJobMixin


class ReportView(OwnJobMixin, FormView):
    """From the job page: tap the kind, tap send (a note and a photo if wanted)."""

    template_name = "complaints/incidents/report.html"
    form_class = IncidentReportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        assignment: Assignment = self.object
        return super().get_context_data(assignment=assignment, order=assignment.order, **kwargs)

    def form_invalid(self, form: IncidentReportForm) -> HttpResponse:
        # Like every rejected form here: the page again, its errors, status 400.
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: IncidentReportForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            incident = services.incident_report(
                assignment=self.object,
                actor=self.actor,
                kind=data["kind"],
                note=data["note"],
                photo=data["photo"],
                submission_key=data["submission_key"],
            )
        except RepeatedSubmission:
            # The first report's answer was lost on the way (its message waits in the
            # session): the same page again, nothing new to say.
            return redirect("my_job", pk=self.object.pk)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Incident %(number)s reported: your supervisor and the manager have been told.")
            % {"number": incident.number},
        )
        return redirect("my_job", pk=self.object.pk)


def _sees_data_protection(view: TenantMixin) -> bool:
    return can_access(view.membership.role, Area.DATA_PROTECTION)


class IncidentListView(TenantMixin, FilterView):
    area = Area.INCIDENTS
    template_name = "complaints/incidents/list.html"
    filterset_class = IncidentFilter
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Incident]:
        return selectors.incident_list(
            agency=self.agency, data_protection=_sees_data_protection(self)
        )


class IncidentRecordView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.INCIDENTS
    template_name = "complaints/incidents/record.html"
    form_class = IncidentRecordForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}

    def get_initial(self) -> dict[str, Any]:
        # From an order's page: the incident is recorded against that order.
        return {**super().get_initial(), "order": self.request.GET.get("order", "")[:30]}

    def form_invalid(self, form: IncidentRecordForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def perform(self, form: IncidentRecordForm) -> None:
        data = form.cleaned_data
        try:
            self.incident = services.incident_record(
                agency=self.agency,
                actor=self.actor,
                kind=data["kind"],
                branch=data["branch"],
                order=data["order"],
                note=data["note"],
                submission_key=data["submission_key"],
            )
        except RepeatedSubmission as repeat:
            self.incident = repeat.earlier

    def get_success_url(self) -> str:
        if self.incident.kind == IncidentKind.DATA_PROTECTION and not _sees_data_protection(self):
            return reverse("incident_list")
        return reverse("incident_detail", kwargs={"pk": self.incident.pk})


class IncidentMixin(TenantObjectMixin):
    area = Area.INCIDENTS
    model = Incident

    def get_queryset(self) -> QuerySet[Incident]:
        return selectors.incident_detail(
            agency=self.agency, data_protection=_sees_data_protection(self)
        )


class IncidentDetailView(IncidentMixin, DetailView):
    template_name = "complaints/incidents/detail.html"
    context_object_name = "incident"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("owner_form", OwnerForm(agency=self.agency))
        kwargs.setdefault("damage_form", DamageForm())
        kwargs.setdefault("action_form", ActionForm())
        kwargs.setdefault("close_form", CloseForm())
        return super().get_context_data(
            decides=can_access(self.membership.role, Area.INCIDENT_DECISIONS), **kwargs
        )


class IncidentActionView(ActionMixin, IncidentDetailView):
    page_name = "incident_detail"


class AssignView(IncidentActionView):
    form_context_name = "owner_form"

    def make_form(self) -> forms.Form:
        return OwnerForm(self.request.POST, agency=self.agency)

    def act(self, incident: Incident, form: OwnerForm) -> str:
        services.incident_assign(
            incident=incident, actor=self.actor, owner=form.cleaned_data["owner"]
        )
        return _("Owner assigned.")


class DamageView(IncidentActionView):
    form_class = DamageForm
    form_context_name = "damage_form"

    def act(self, incident: Incident, form: DamageForm) -> str:
        services.incident_damage(incident=incident, actor=self.actor, **form.cleaned_data)
        return _("Damage recorded.")


class AddActionView(IncidentActionView):
    form_class = ActionForm
    form_context_name = "action_form"

    def act(self, incident: Incident, form: ActionForm) -> str:
        services.incident_action_add(incident=incident, actor=self.actor, **form.cleaned_data)
        return _("Follow-up action added.")


class ActionDoneView(IncidentActionView):
    form_class = ActionDoneForm

    def act(self, incident: Incident, form: ActionDoneForm) -> str:
        services.incident_action_done(
            action=action_of(incident, form.cleaned_data["action"]), actor=self.actor
        )
        return _("Follow-up action done.")


class OpenComplaintView(IncidentActionView):
    def act(self, incident: Incident, form: None) -> str:
        incident = services.incident_open_complaint(incident=incident, actor=self.actor)
        return _("Complaint %(number)s opened.") % {"number": str(incident.complaint)}


class CloseView(IncidentActionView):
    form_class = CloseForm
    form_context_name = "close_form"

    def act(self, incident: Incident, form: CloseForm) -> str:
        services.incident_close(
            incident=incident, actor=self.actor, outcome=form.cleaned_data["outcome"]
        )
        return _("Incident closed.")


class ValuablesView(OwnJobMixin, FormView):
    """Before check-out of a marked service: the staff member and the customer check the
    valuables; the customer ticks on this phone, or gets a link to confirm later."""

    template_name = "complaints/incidents/valuables.html"
    form_class = ValuablesForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        assignment: Assignment = self.object
        check = ValuablesCheck.objects.filter(order=assignment.order).first()
        return super().get_context_data(
            assignment=assignment, order=assignment.order, check=check, **kwargs
        )

    def form_valid(self, form: ValuablesForm) -> HttpResponse:
        try:
            check = valuables_check_record(
                assignment=self.object,
                actor=self.actor,
                customer_confirmed=form.cleaned_data["customer_confirmed"],
                note_text=form.cleaned_data["note"],
            )
        except (StateConflict, PermissionDenied) as refusal:
            messages.error(self.request, str(refusal))
            return redirect("my_job", pk=self.object.pk)
        messages.success(
            self.request,
            _("Valuables check recorded.")
            if check.confirmed_at
            else _("Valuables check recorded; the customer has been sent a link to confirm."),
        )
        return redirect("my_job", pk=self.object.pk)


class ValuablesConfirmView(View):
    """The customer's signed link: confirm the valuables check (no account)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.check = valuables_check_by_token(kwargs["token"])
        except ValidationError:
            return render(request, "orders/link_invalid.html", status=404)
        customer = self.check.order.customer
        language = customer.preferred_language or self.check.order.agency.default_language
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, "complaints/incidents/valuables_confirm.html", {"check": self.check})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        check = valuables_confirm_by_link(token=kwargs["token"])
        return render(request, "complaints/incidents/valuables_confirm.html", {"check": check})
