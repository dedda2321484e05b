"""The complaint page and its actions.

Each action is a POST to its own URL, as on the order page: a rejected form
re-renders the complaint page with the errors next to the fields (400), a
refused action (wrong status, wrong role) comes back as a message.
"""

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from agency.action_views import ActionMixin
from agency.permissions import Area, can_access
from agency.tenant_views import TenantObjectMixin
from complaints import selectors
from complaints.forms import (
    AssignForm,
    AttachForm,
    CloseForm,
    FollowUpForm,
    PauseForm,
    PromiseReplyForm,
    ReasonForm,
    ResolveForm,
    RespondForm,
    SecondResponseForm,
    SeverityForm,
    TextForm,
    WarrantyForm,
)
from complaints.models import ACTIVE, Complaint, DeadlineKind, Status, Tier
from complaints.services import handling, procedure
from complaints.services.attachments import complaint_attach
from complaints.services.deadlines import complaint_pause, complaint_resume
from complaints.services.escalation import complaint_raise, complaint_set_severity
from complaints.views.deadline_states import ComplaintRow, rows_of
from complaints.views.remedy_panel import remedy_context
from feedback.complaint_revisits import complaint_follow_up_of


class ComplaintDetailView(TenantObjectMixin, DetailView):
    area = Area.COMPLAINTS
    model = Complaint
    template_name = "complaints/detail.html"
    context_object_name = "complaint"

    #: The action forms on the page, by context name.
    FORMS: ClassVar[dict[str, type]] = {
        "respond_form": RespondForm,
        "note_form": TextForm,
        "verify_form": TextForm,
        "second_response_form": SecondResponseForm,
        "resolve_form": ResolveForm,
        "follow_up_form": FollowUpForm,
        "pause_form": PauseForm,
        "close_form": CloseForm,
        "reopen_form": TextForm,
        "attach_form": AttachForm,
        "assign_form": AssignForm,
        "promise_form": PromiseReplyForm,
        "raise_form": ReasonForm,
        "severity_form": SeverityForm,
        "warranty_form": WarrantyForm,
    }

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.complaint_detail(agency=self.agency)

    def get_template_names(self) -> list[str]:
        # The deadlines table refreshes itself every 30 s.
        if self.request.htmx and self.request.method == "GET":  # type: ignore[attr-defined]
            return ["complaints/_deadlines.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        complaint: Complaint = self.object
        for name, form_class in self.FORMS.items():
            if name not in kwargs:
                extra = {"agency": self.agency} if form_class is AssignForm else {}
                kwargs[name] = form_class(auto_id=f"id_{name}_%s", **extra)
        now = timezone.now()
        [row] = rows_of([complaint], now=now)
        deadlines = {d.pk: d for d in complaint.deadlines.all()}
        escalations = [
            (escalation, deadlines.get(escalation.deadline_id) if escalation.deadline_id else None)
            for escalation in complaint.escalations.all()
        ]
        kwargs.update(remedy_context(complaint, agency=self.agency, given=kwargs))
        return super().get_context_data(
            deadline_states=row.deadlines,
            escalations=escalations,
            attachments=[(a, a.display_name) for a in complaint.attachments.all()],
            show={
                **self._actions(complaint, row),
                "repair": procedure.is_repair(complaint),
                "escalate": complaint.status in ACTIVE
                and can_access(self.membership.role, Area.COMPLAINT_ESCALATION),
            },
            earlier=selectors.earlier_complaints(complaint),
            follow_up=complaint_follow_up_of(agency=self.agency, source=complaint.follow_up_source),
            refreshed_at=now,
            **kwargs,
        )

    @staticmethod
    def _actions(complaint: Complaint, row: ComplaintRow) -> dict[str, bool]:
        """Which action forms the complaint's status offers (the services decide in the end)."""
        status, paused = complaint.status, complaint.paused_at is not None
        responding = status == Status.RESPONDING
        running = {state.deadline.kind for state in row.deadlines if state.deadline.is_running}
        return {
            "respond": status in (Status.OPEN, Status.REOPENED, Status.RESPONDING),
            "promise": status in ACTIVE and complaint.tier == Tier.SOFT,
            "assign": status != Status.CLOSED,
            "assess": status in ACTIVE and not complaint.warranty_verdict,
            "verify": responding
            and complaint.tier == Tier.SOFT
            and DeadlineKind.VERIFICATION in running,
            "second_response": responding and complaint.tier == Tier.HARD,
            "second_response_due": DeadlineKind.SECOND_RESPONSE in running,
            "resolve": responding,
            "follow_up": status == Status.RESOLVED,
            "pause": status in ACTIVE and not paused,
            "resume": paused,
            "close": status != Status.CLOSED,
            "reopen": status in (Status.RESOLVED, Status.FOLLOWED_UP, Status.CLOSED),
        }


class ComplaintActionView(ActionMixin, ComplaintDetailView):
    page_name = "complaint_detail"

    def form_kwargs(self) -> dict[str, Any]:
        extra = {"agency": self.agency} if self.form_class is AssignForm else {}
        return {"files": self.request.FILES, "auto_id": f"id_{self.form_context_name}_%s", **extra}


class ComplaintRespondView(ComplaintActionView):
    form_class = RespondForm
    form_context_name = "respond_form"

    def act(self, complaint: Complaint, form: RespondForm) -> str:
        handling.complaint_respond(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("Response to the customer recorded.")


class ComplaintNoteView(ComplaintActionView):
    form_class = TextForm
    form_context_name = "note_form"

    def act(self, complaint: Complaint, form: TextForm) -> str:
        handling.complaint_note(
            complaint=complaint, actor=self.actor, text=form.cleaned_data["text"]
        )
        return _("Note added.")


class ComplaintVerifyView(ComplaintActionView):
    form_class = TextForm
    form_context_name = "verify_form"

    def act(self, complaint: Complaint, form: TextForm) -> str:
        handling.complaint_verify(
            complaint=complaint, actor=self.actor, text=form.cleaned_data["text"]
        )
        return _("Verification recorded.")


class ComplaintSecondResponseView(ComplaintActionView):
    form_class = SecondResponseForm
    form_context_name = "second_response_form"

    def act(self, complaint: Complaint, form: SecondResponseForm) -> str:
        resolve_by = form.cleaned_data["resolve_by"]
        handling.complaint_second_response(
            complaint=complaint,
            actor=self.actor,
            text=form.cleaned_data["text"],
            resolve_by=resolve_by,
        )
        return _("Second response recorded; to be resolved by %(time)s.") % {
            "time": date_format(timezone.localtime(resolve_by), "SHORT_DATETIME_FORMAT")
        }


class ComplaintResolveView(ComplaintActionView):
    form_class = ResolveForm
    form_context_name = "resolve_form"

    def act(self, complaint: Complaint, form: ResolveForm) -> str:
        handling.complaint_resolve(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("Complaint resolved; the satisfaction follow-up is due next.")


class ComplaintFollowUpView(ComplaintActionView):
    form_class = FollowUpForm
    form_context_name = "follow_up_form"

    def act(self, complaint: Complaint, form: FollowUpForm) -> str:
        handling.complaint_follow_up(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("Follow-up recorded.")


class ComplaintPauseView(ComplaintActionView):
    form_class = PauseForm
    form_context_name = "pause_form"

    def act(self, complaint: Complaint, form: PauseForm) -> str:
        complaint_pause(complaint=complaint, actor=self.actor, reason=form.cleaned_data["reason"])
        return _("The clock is paused.")


class ComplaintResumeView(ComplaintActionView):
    def act(self, complaint: Complaint, form: None) -> str:
        complaint_resume(complaint=complaint, actor=self.actor)
        return _("The clock runs again; the open deadlines moved by the paused time.")


class ComplaintCloseView(ComplaintActionView):
    form_class = CloseForm
    form_context_name = "close_form"

    def act(self, complaint: Complaint, form: CloseForm) -> str:
        handling.complaint_close(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("Complaint closed.")


class ComplaintAssignView(ComplaintActionView):
    form_class = AssignForm
    form_context_name = "assign_form"

    def act(self, complaint: Complaint, form: AssignForm) -> str:
        procedure.complaint_assign(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("The complaint has a new owner.")


class ComplaintPromiseReplyView(ComplaintActionView):
    form_class = PromiseReplyForm
    form_context_name = "promise_form"

    def act(self, complaint: Complaint, form: PromiseReplyForm) -> str:
        procedure.complaint_promise_reply(
            complaint=complaint, actor=self.actor, reply_by=form.cleaned_data["reply_by"]
        )
        return _("Reply time recorded; the customer is told.")


class ComplaintRaiseView(ComplaintActionView):
    area = Area.COMPLAINT_ESCALATION
    form_class = ReasonForm
    form_context_name = "raise_form"

    def act(self, complaint: Complaint, form: ReasonForm) -> str:
        complaint_raise(complaint=complaint, actor=self.actor, reason=form.cleaned_data["reason"])
        return _("Complaint escalated to the next level.")


class ComplaintSeverityView(ComplaintActionView):
    area = Area.COMPLAINT_ESCALATION
    form_class = SeverityForm
    form_context_name = "severity_form"

    def act(self, complaint: Complaint, form: SeverityForm) -> str:
        complaint_set_severity(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("Severity changed.")


class ComplaintWarrantyView(ComplaintActionView):
    form_class = WarrantyForm
    form_context_name = "warranty_form"

    def act(self, complaint: Complaint, form: WarrantyForm) -> str:
        procedure.complaint_assess_warranty(
            complaint=complaint, actor=self.actor, **form.cleaned_data
        )
        return _("Warranty verdict recorded; the customer is told.")


class ComplaintReopenView(ComplaintActionView):
    form_class = TextForm
    form_context_name = "reopen_form"

    def act(self, complaint: Complaint, form: TextForm) -> str:
        handling.complaint_reopen(
            complaint=complaint, actor=self.actor, text=form.cleaned_data["text"]
        )
        return _("Complaint reopened; its deadlines start again from now.")


class ComplaintAttachView(ComplaintActionView):
    form_class = AttachForm
    form_context_name = "attach_form"

    def act(self, complaint: Complaint, form: AttachForm) -> str:
        complaint_attach(complaint=complaint, actor=self.actor, file=form.cleaned_data["file"])
        return _("File attached.")
