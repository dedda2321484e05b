"""The field staff's actions on their own job: the service log, stage 1, changes, rework.

DESIGN.md, "Service" and "Acceptance". Each action is a POST to its own URL
under the job (the Assignment), looked up like the job page itself, so someone
else's job answers 404. A rejected form re-renders the job page with the
errors next to the fields (400); a refused action (wrong status, not yours,
not yet) and a success both redirect to the job page, which shows the reason or
the result on top (a reload then shows the page, it does not post again).
The services do all the writing, each in one transaction.

The customer's page (`my_job_customer`) is the one the staff member opens and
hands over: the customer reads what was done, answers pending changes and
signs the acceptance on the device (SignedVia.DEVICE).
"""

from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from agency.action_views import ActionMixin
from orders.models import (
    Assignment,
    AssignmentStatus,
    ChangeRequest,
    ChangeStatus,
    EntryKind,
    FailedItem,
    ServiceLogEntry,
    SignedVia,
    Stage,
)
from orders.service import selectors
from orders.service.forms import (
    APPROVE,
    ChangeAnswerForm,
    ChangeForm,
    ChangeRequestForm,
    ChecklistLineForm,
    CorrectionForm,
    CustomerVerdictForm,
    InspectionForm,
    JobDeclineForm,
    LeadSignoffForm,
    NoteForm,
    PositionForm,
    ReworkForm,
)
from orders.service.services import acceptance, changes, field, service_log
from orders.service.views.customer_link import photos_and_notes
from orders.service.views.field import UNIT_LABELS, MyJobView, OwnJobMixin
from orders.staffing import selectors as staffing_selectors


class JobActionView(ActionMixin, MyJobView):
    """Parse the form, call one service, back to the job page (at the action's `anchor`)."""

    page_name = "my_job"
    #: Where on the job page to land afterwards.
    anchor: ClassVar[str] = ""

    def succeeded(self) -> HttpResponse:
        url = reverse("my_job", kwargs={"pk": self.object.pk})
        return redirect(f"{url}#{self.anchor}" if self.anchor else url)


class PrepareView(JobActionView):
    form_context_name = "prepare_form"
    anchor = "preparation"

    def make_form(self) -> forms.Form:
        return ChecklistLineForm(self.request.POST)

    def act(self, assignment: Assignment, form: ChecklistLineForm) -> str:
        item = form.cleaned_data["item"]
        service_log.log_preparation(assignment=self.object, actor=self.actor, item=item)
        return _("Ready: %(item)s.") % {"item": item}


class AcknowledgeView(JobActionView):
    """确认接单: the staff member takes the job on."""

    anchor = "acknowledge"

    def act(self, assignment: Assignment, form: None) -> str:
        field.job_acknowledge(assignment=self.object, actor=self.actor)
        return _("You have acknowledged this job.")


class DeclineView(JobActionView):
    """The staff member cannot take the job: released, the dispatchers told, and off to
    their list (the job's page is no longer theirs)."""

    form_context_name = "decline_form"
    anchor = "acknowledge"

    def make_form(self) -> forms.Form:
        return JobDeclineForm(self.request.POST)

    def act(self, assignment: Assignment, form: JobDeclineForm) -> str:
        field.job_decline(
            assignment=self.object, actor=self.actor, reason=form.cleaned_data["reason"]
        )
        return _("You have declined this job; the dispatcher has been told.")

    def succeeded(self) -> HttpResponse:
        return redirect("my_jobs")


class DepartView(JobActionView):
    """出发: set out; the customer hears the staff member is on the way."""

    anchor = "service"

    def act(self, assignment: Assignment, form: None) -> str:
        service_log.log_departure(assignment=self.object, actor=self.actor)
        return _("Set out: the customer has been told you are on the way.")


class CheckInView(JobActionView):
    form_context_name = "check_in_form"
    anchor = "service"

    def make_form(self) -> forms.Form:
        return PositionForm(self.request.POST)

    def act(self, assignment: Assignment, form: PositionForm) -> str:
        service_log.log_check_in(assignment=self.object, actor=self.actor, position=form.position())
        return _("Checked in.")


class TaskView(JobActionView):
    form_context_name = "task_form"
    anchor = "tasks"

    def make_form(self) -> forms.Form:
        return ChecklistLineForm(self.request.POST)

    def act(self, assignment: Assignment, form: ChecklistLineForm) -> str:
        item = form.cleaned_data["item"]
        service_log.log_task(
            assignment=self.object, actor=self.actor, item=item, text=form.cleaned_data["text"]
        )
        return _("Done: %(item)s.") % {"item": item}


class NoteView(JobActionView):
    form_context_name = "note_form"
    anchor = "note"

    def make_form(self) -> forms.Form:
        return NoteForm(self.request.POST, self.request.FILES)

    def act(self, assignment: Assignment, form: NoteForm) -> str:
        photo = form.cleaned_data["photo"] or None
        service_log.log_note(
            assignment=self.object, actor=self.actor, text=form.cleaned_data["text"], photo=photo
        )
        return _("Photo saved.") if photo else _("Note saved.")


class CorrectView(JobActionView):
    """Correct one of my entries (its id in the POST body): new text, or withdrawn."""

    form_context_name = "correct_form"
    anchor = "log"

    def make_form(self) -> forms.Form:
        order = self.object.order
        mine = ServiceLogEntry.objects.filter(
            agency_id=order.agency_id, order=order, author=self.user
        ).select_related("assignment")
        return CorrectionForm(self.request.POST, entries=mine)

    def act(self, assignment: Assignment, form: CorrectionForm) -> str:
        data = form.cleaned_data
        service_log.log_correction(
            entry=data["entry"], actor=self.actor, text=data["text"], withdraw=data["withdraw"]
        )
        return _("Entry withdrawn.") if data["withdraw"] else _("Entry corrected.")


class CheckOutView(JobActionView):
    form_context_name = "check_out_form"
    anchor = "service"

    def make_form(self) -> forms.Form:
        return PositionForm(self.request.POST)

    def act(self, assignment: Assignment, form: PositionForm) -> str:
        service_log.log_check_out(
            assignment=self.object, actor=self.actor, position=form.position()
        )
        return _("Checked out.")


class InspectView(JobActionView):
    form_context_name = "inspect_form"
    anchor = "inspection"

    def make_form(self) -> forms.Form:
        return InspectionForm(self.request.POST)

    def act(self, assignment: Assignment, form: InspectionForm) -> str:
        data = form.cleaned_data
        service_log.log_inspection(
            assignment=self.object,
            actor=self.actor,
            item=data["item"],
            ok=data["ok"],
            text=data["text"],
        )
        return _("Inspected: %(item)s.") % {"item": data["item"]}


class SignView(JobActionView):
    """Stage 1 of the open acceptance round, by the on-site lead."""

    form_context_name = "sign_form"
    anchor = "inspection"

    def make_form(self) -> forms.Form:
        order = self.object.order
        return LeadSignoffForm(
            self.request.POST,
            checklist=order.needs_form.checklist,
            team=list(staffing_selectors.team(order)),
        )

    def act(self, assignment: Assignment, form: LeadSignoffForm) -> str:
        acceptance.acceptance_sign_lead(
            assignment=self.object,
            actor=self.actor,
            passed=form.passed,
            failures=form.failures(),
            comment=form.cleaned_data["comment"],
        )
        if form.passed:
            return _("Stage 1 signed as passed; the supervisors sign next.")
        return _("Stage 1 signed as failed; the failed items go to rework.")


class ChangeView(JobActionView):
    form_context_name = "change_form"
    anchor = "changes"

    def make_form(self) -> forms.Form:
        return ChangeRequestForm(self.request.POST, agency=self.agency)

    def act(self, assignment: Assignment, form: ChangeRequestForm) -> str:
        data = form.cleaned_data
        changes.change_request_create(
            order=self.object.order,
            actor=self.actor,
            description=data["description"],
            quantity=data["quantity"],
            service_type=data["service_type"],
        )
        return _("Change requested: hand the phone to the customer to approve it.")


class ChangeWithdrawView(JobActionView):
    """A change the customer will not answer (they left): taken back, with a reason."""

    form_context_name = "change_withdraw_form"
    anchor = "changes"

    def make_form(self) -> forms.Form:
        return ChangeForm(self.request.POST, order=self.object.order)

    def act(self, assignment: Assignment, form: ChangeForm) -> str:
        changes.change_request_withdraw(
            change=form.cleaned_data["change"],
            actor=self.actor,
            reason=form.cleaned_data["reason"],
        )
        return _("Change withdrawn: %(what)s.") % {"what": form.cleaned_data["change"].description}


class ReworkView(JobActionView):
    """A failed item (its id in the POST body) redone."""

    form_context_name = "rework_form"
    anchor = "rework"

    def make_form(self) -> forms.Form:
        order = self.object.order
        items = FailedItem.objects.filter(agency_id=order.agency_id, order=order)
        return ReworkForm(self.request.POST, items=items)

    def act(self, assignment: Assignment, form: ReworkForm) -> str:
        item = acceptance.rework_done(
            item=form.cleaned_data["item"], actor=self.actor, text=form.cleaned_data["text"]
        )
        return _("Redone: %(item)s.") % {"item": item.description}


class ReworkSubmitView(JobActionView):
    """Every failed item redone: the lead asks for the next acceptance round."""

    form_context_name = "rework_submit_form"
    anchor = "rework"

    def make_form(self) -> forms.Form:
        return forms.Form(self.request.POST)

    def act(self, assignment: Assignment, form: forms.Form) -> str:
        round_ = acceptance.rework_submit(order=self.object.order, actor=self.actor)
        return _("Ready for re-inspection: acceptance round %(number)s.") % {
            "number": round_.number
        }


# --- the customer, on the staff member's phone -----------------------------------

#: The customer page carries two kinds of form; a hidden field says which was sent.
CHANGE = "change"


class CustomerView(ActionMixin, OwnJobMixin, DetailView):
    """What was done, pending changes to approve, and the customer's acceptance on the device.

    Shown without the staff's navigation, and without the customer's own
    address or phone, since it is read by whoever holds the phone.
    """

    template_name = "orders/field/customer.html"
    context_object_name = "assignment"
    http_method_names = DetailView.http_method_names
    page_name = "my_job_customer"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        assignment: Assignment = self.object
        order = assignment.order
        log = list(selectors.effective_log(order))
        done = {e.item for e in log if e.kind == EntryKind.TASK}
        changes = list(
            selectors.change_requests_for(agency=self.agency)
            .filter(order=order, status__in=(ChangeStatus.AWAITING_CUSTOMER, ChangeStatus.APPROVED))
            .order_by("requested_at", "id")
        )
        for change in changes:
            change.unit_label = UNIT_LABELS.get(change.unit, change.unit)  # type: ignore[attr-defined]
        waiting = selectors.open_round(order)
        can_accept = (
            assignment.status == AssignmentStatus.CONFIRMED
            and waiting is not None
            and waiting.next_stage == Stage.CUSTOMER
        )
        if can_accept:
            kwargs.setdefault("verdict_form", CustomerVerdictForm(order=order))
        kwargs.setdefault("answer_form", None)
        return super().get_context_data(
            order=order,
            tasks=[(task, task in done) for task in order.needs_form.checklist],
            extra_tasks=sorted(done - set(order.needs_form.checklist)),
            **photos_and_notes(log),
            approved_changes=[c for c in changes if c.status == ChangeStatus.APPROVED],
            pending_changes=[c for c in changes if c.status == ChangeStatus.AWAITING_CUSTOMER],
            round=waiting,
            can_accept=can_accept,
            **kwargs,
        )

    @property
    def answering(self) -> bool:
        """The customer answers a change (else accepts the service)."""
        return self.request.POST.get("form") == CHANGE

    def make_form(self) -> forms.Form:
        if self.answering:
            return ChangeAnswerForm(self.request.POST, changes=self._changes())
        return CustomerVerdictForm(self.request.POST, order=self.object.order)

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        context_name = "answer_form" if self.answering else "verdict_form"
        return self.render_to_response(self.get_context_data(**{context_name: form}), status=400)

    def act(self, assignment: Assignment, form: forms.Form) -> str:
        return self._answer(form) if self.answering else self._accept(form)

    def _changes(self) -> QuerySet[ChangeRequest]:
        order = self.object.order
        return ChangeRequest.objects.filter(agency_id=order.agency_id, order=order)

    def _answer(self, form: Any) -> str:
        data = form.cleaned_data
        if data["decision"] == APPROVE:
            changes.change_request_approve(
                change=data["change"],
                actor=self.actor,
                via=SignedVia.DEVICE,
                signed_name=data["signed_name"],
                user_agent=self.request.headers.get("User-Agent", ""),
            )
            return _("Thank you: the change is approved.")
        changes.change_request_decline(
            change=data["change"], actor=self.actor, via=SignedVia.DEVICE, reason=data["reason"]
        )
        return _("Thank you: the change is declined; the service goes on as agreed.")

    def _accept(self, form: Any) -> str:
        data = form.cleaned_data
        acceptance.acceptance_sign_customer(
            order=self.object.order,
            actor=self.actor,
            verdict=acceptance.CustomerVerdict.signed(
                data, via=SignedVia.DEVICE, user_agent=self.request.headers.get("User-Agent", "")
            ),
            passed=form.passed,
            failures=form.failures(),
        )
        if form.passed:
            return _("Thank you: the service is accepted. Please hand the phone back.")
        return _("Thank you: the items you named will be redone. Please hand the phone back.")
