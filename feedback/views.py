"""The customer's feedback form (phone-sized, in their language), behind a signed link."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, cast
from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from agency.action_views import ActionMixin, QuickActionMixin
from agency.audit import Actor
from agency.errors import StateConflict
from agency.models import Agency
from agency.permissions import Area, can_access
from agency.tenancy import get_tenant_object_or_404
from agency.tenant_views import TenantMixin, TenantObjectMixin, back
from feedback import selectors
from feedback.forms import (
    MINE,
    UNASSIGNED,
    ResultsPeriodForm,
    RevisitAssignForm,
    RevisitAssignTickedForm,
    RevisitLogForm,
    member_label,
    office_members,
)
from feedback.models import AUTOMATIC, Revisit, RevisitKind, RevisitOutcome, RevisitStatus
from feedback.revisits import revisit_assign, revisit_log, revisits_assign
from feedback.services import (
    Answers,
    FeedbackLinkInvalid,
    feedback_submit,
    request_from_token,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

SCORES = [(n, str(n)) for n in range(1, 6)]


def score_field(label: "_StrOrPromise") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=SCORES, coerce=int, widget=forms.RadioSelect)


class FeedbackForm(forms.Form):
    quality = score_field(_("Quality of the work"))
    attitude = score_field(_("Attitude"))
    punctuality = score_field(_("Punctuality"))
    professionalism = score_field(_("Professionalism"))
    overall = score_field(_("Overall"))
    comment = forms.CharField(
        label=_("Anything you would like to tell us?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    may_contact = forms.BooleanField(
        label=_("You may contact me again about this service."), required=False, initial=True
    )


class FeedbackFormView(View):
    """One form per accepted order: answered once, until the link expires."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.feedback = request_from_token(kwargs["token"])
        except FeedbackLinkInvalid:
            return render(request, "orders/link_invalid.html", status=404)
        customer = self.feedback.customer
        language = customer.preferred_language or self.feedback.agency.default_language
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self._expired():
            return self._page(expired=True, status=410)
        return self._page(form=FeedbackForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self._expired():
            return self._page(expired=True, status=410)
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            return self._page(form=form, status=400)
        actor = Actor(user=None, ip_address=get_client_ip_address(request))
        try:
            feedback_submit(
                request=self.feedback, actor=actor, answers=Answers(**form.cleaned_data)
            )
        except (ValidationError, StateConflict) as error:
            problem = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            return self._page(form=form, problem=problem, status=409)
        return self._page(form=None, done=True)

    def _expired(self) -> bool:
        """Unanswered past its expiry: say so at once, not after the customer filled it in."""
        return self.feedback.answered_at is None and self.feedback.has_expired

    def _page(self, *, status: int = 200, **context: Any) -> HttpResponse:
        return render(
            self.request,
            "feedback/form.html",
            {"feedback": self.feedback, "order": self.feedback.order, **context},
            status=status,
        )


# --- the office's pages: the revisit queue, logging a call, the results ------------------


class QueueTab(NamedTuple):
    key: str
    label: "_StrOrPromise"


TABS = (
    QueueTab("today", _("Today")),
    QueueTab("overdue", _("Overdue")),
    QueueTab("all", _("All open")),
)


#: Access keys of the outcomes, on the first row of the queue (the call to make next).
OUTCOME_KEYS: dict[str, str] = {
    RevisitOutcome.REACHED: "r",
    RevisitOutcome.NOT_REACHED: "u",
    RevisitOutcome.DECLINED: "d",
}


@dataclass
class QueueRow:
    revisit: Revisit
    form: RevisitLogForm
    #: Due before now: shown as overdue.
    late: bool
    low_score: bool
    #: Who calls, as the office names them ("" for nobody yet).
    assignee: str


#: The kinds the queue can be narrowed to: the calls people make (not the letter).
CALL_KINDS = tuple(k.value for k in RevisitKind if k not in AUTOMATIC)


class RevisitQueueView(TenantMixin, ListView):
    """The dispatcher's revisit queue (回访): today's calls, the overdue ones, or all open,
    for everyone, for me, or for one member of the office; the oldest first.

    Each row carries its own small form, so a call is logged without leaving the queue.
    """

    area = Area.REVISITS
    template_name = "feedback/queue.html"
    paginate_by = 100
    #: The row whose form came back with errors, and that form (set by the log view).
    failed: tuple[int, RevisitLogForm] | None = None

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.now = timezone.now()
        source = request.POST if request.method == "POST" else request.GET
        tab = source.get("view", "")
        self.tab = tab if tab in {t.key for t in TABS} else TABS[0].key
        self.assignee = source.get("assignee", "")
        kind = source.get("kind", "")
        self.kind = kind if kind in CALL_KINDS else ""

    def get_queryset(self) -> QuerySet[Revisit]:
        assignee_id = None
        if self.assignee == MINE:
            assignee_id = self.user.pk
        elif self.assignee.isdigit():
            assignee_id = int(self.assignee)
        return selectors.revisit_queue_rows(
            agency=self.agency,
            now=self.now,
            view=self.tab,
            assignee_id=assignee_id,
            unassigned=self.assignee == UNASSIGNED,
            kind=self.kind or None,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = []
        for revisit in context["object_list"]:
            if self.failed and self.failed[0] == revisit.pk:
                form = self.failed[1]
            else:
                form = RevisitLogForm(auto_id=f"id_log{revisit.pk}_%s")
            rows.append(
                QueueRow(
                    revisit=revisit,
                    form=form,
                    late=revisit.due_at < self.now,
                    low_score=revisit.kind == RevisitKind.LOW_SCORE,
                    assignee=member_label(revisit.assignee) if revisit.assignee else "",
                )
            )
        members = office_members(self.agency)
        filters = (("view", self.tab), ("assignee", self.assignee), ("kind", self.kind))
        query = urlencode({k: v for k, v in filters if v})
        context.update(
            rows=rows,
            tabs=TABS,
            tab=self.tab,
            assignee=self.assignee,
            kind=self.kind,
            kinds=[(k, RevisitKind(k).label) for k in CALL_KINDS],
            members=[(str(user.pk), member_label(user)) for user in members],
            mine=MINE,
            unassigned=UNASSIGNED,
            here=f"{reverse('revisit_queue')}?{query}" if query else reverse("revisit_queue"),
            outcomes=[
                (value, label, OUTCOME_KEYS[value]) for value, label in RevisitOutcome.choices
            ],
            can_see_results=can_access(self.membership.role, Area.REPORTS),
            now=self.now,
        )
        return context


class RevisitActionView(ActionMixin, RevisitQueueView, TenantObjectMixin):
    """Actions on one revisit, back to the queue the form came from."""

    model = Revisit

    def get_object(self, queryset: Any = None) -> Revisit:
        # The revisit itself from the agency's, whatever the queue's tab shows.
        return get_tenant_object_or_404(
            selectors.revisits_for(agency=self.agency), agency=self.agency, pk=self.kwargs["pk"]
        )

    def back(self) -> HttpResponse:
        return back(self.request, default="revisit_queue")


class RevisitLogView(RevisitActionView):
    """Log what came of a call: reached or declined closes it, not reached comes back at
    the next calling slot (`feedback.revisits.revisit_log`)."""

    def make_form(self) -> forms.Form:
        return RevisitLogForm(self.request.POST, auto_id=f"id_log{self.object.pk}_%s")

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        """The queue again, with this revisit's form showing its errors."""
        self.failed = (self.object.pk, cast(RevisitLogForm, form))
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(), status=400)

    def act(self, revisit: Revisit, form: RevisitLogForm) -> str:
        logged = revisit_log(revisit=revisit, actor=self.actor, **form.cleaned_data)
        if logged.status == RevisitStatus.OPEN:
            return gettext("Not reached; %(customer)s is called again at %(time)s.") % {
                "customer": logged.customer.name,
                "time": date_format(
                    timezone.localtime(logged.due_at, self.agency.zone), "SHORT_DATETIME_FORMAT"
                ),
            }
        return gettext("Revisit of %(customer)s logged: %(outcome)s.") % {
            "customer": logged.customer.name,
            "outcome": logged.get_outcome_display(),
        }


class RevisitAssignView(QuickActionMixin, RevisitActionView):
    invalid_message = _("Choose a member of the office.")

    def default_url(self) -> str:
        return reverse("revisit_queue")

    def make_form(self) -> forms.Form:
        return RevisitAssignForm(self.request.POST, agency=self.agency)

    def act(self, revisit: Revisit, form: RevisitAssignForm) -> str:
        assigned = revisit_assign(
            revisit=revisit, actor=self.actor, assignee=form.cleaned_data["assignee"]
        )
        return gettext("The revisit of %(customer)s is now %(person)s's.") % {
            "customer": assigned.customer.name,
            "person": member_label(form.cleaned_data["assignee"]),
        }


class RevisitAssignTickedView(QuickActionMixin, TenantMixin, View):
    """The ticked revisits to one member of the office, and back to the queue as it was."""

    area = Area.REVISITS

    @property
    def object(self) -> Agency:
        return self.agency

    def default_url(self) -> str:
        return reverse("revisit_queue")

    def make_form(self) -> forms.Form:
        return RevisitAssignTickedForm(self.request.POST, agency=self.agency)

    def act(self, agency: Agency, form: RevisitAssignTickedForm) -> str:
        assignee = form.cleaned_data["assignee"]
        count = revisits_assign(
            revisits=list(form.cleaned_data["revisit"]), actor=self.actor, assignee=assignee
        )
        return ngettext(
            "%(count)s revisit is now %(person)s's.",
            "%(count)s revisits are now %(person)s's.",
            count,
        ) % {"count": count, "person": member_label(assignee)}


class FeedbackResultsView(TenantMixin, TemplateView):
    """The customers' feedback for a period, by staff member and by service type: how
    many answered, the average overall score and the share of 4 or 5 (the satisfaction
    the reports measure against the agency's target)."""

    area = Area.REPORTS
    template_name = "feedback/results.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        today = self.agency.today()
        start, end = ResultsPeriodForm.default_period(today)
        form = ResultsPeriodForm(request.GET or None, initial={"start": start, "end": end})
        if form.is_bound:
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        zone = self.agency.zone
        since = datetime.combine(start, time.min, tzinfo=zone)
        until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
        zh = (translation.get_language() or "").startswith("zh")
        return self.render_to_response(
            self.get_context_data(
                form=form,
                start=start,
                end=end,
                total=_figures(
                    selectors.feedback_results_total(agency=self.agency, start=since, end=until)
                ),
                by_staff=[
                    _figures(row, zh=zh)
                    for row in selectors.feedback_results_by_staff(
                        agency=self.agency, start=since, end=until
                    )
                ],
                by_service=[
                    _figures(row, zh=zh)
                    for row in selectors.feedback_results_by_service(
                        agency=self.agency, start=since, end=until
                    )
                ],
                target=self.agency.satisfaction_target_percent,
            )
        )


def _figures(row: Any, *, zh: bool = False) -> dict[str, Any]:
    """A row as the page shows it: the name in the page's language, the share of 4 or 5."""
    responses = row["responses"] or 0
    return {
        "name": row.get("name_zh" if zh else "name_en"),
        "responses": responses,
        "average": row["average"],
        "satisfied": row["satisfied"],
        "share": round(100 * row["satisfied"] / responses) if responses else None,
    }
