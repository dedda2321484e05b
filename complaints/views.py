"""The complaint pages: the desk, taking a complaint, its page and actions, the log, the policy.

DESIGN.md, "Complaints": every deadline is shown on its own (never only the
nearest), with its due time, what is left or how late it is, when it was
met, whether it was breached, its escalation level and whether it is paused.
Each action is a POST to its own URL, as on the order page: a rejected form
re-renders the complaint page with the errors next to the fields (400), a
refused action (wrong status, wrong role) comes back as a message.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView

from agency import selectors as agency_selectors
from agency.action_views import ActionMixin
from agency.idempotency import RepeatedSubmission
from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin
from complaints import policy as sla
from complaints import selectors, services
from complaints.filters import ComplaintFilter
from complaints.forms import (
    AttachForm,
    BaseOfficeHoursFormSet,
    ComplaintTakeForm,
    DeskFilterForm,
    FollowUpForm,
    HolidayForm,
    OfficeHoursFormSet,
    PauseForm,
    ResolveForm,
    SecondResponseForm,
    SlaPolicyForm,
    TextForm,
    for_form,
)
from complaints.models import (
    ACTIVE,
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    EscalationLevel,
    Holiday,
    OfficeHours,
    Status,
    Tier,
)
from feedback import selectors as feedback_selectors
from feedback.complaint_revisits import complaint_follow_up_of
from orders import selectors as order_selectors
from orders.intake import selectors as intake_selectors
from orders.intake.models import mask_phone

#: Under this much time left, a running deadline is shown as due soon.
DUE_SOON = timedelta(minutes=15)
#: Blank rows offered under the office calendar for new periods.
BLANK_OFFICE_ROWS = 3


# --- how a deadline is shown (one place for every page: CONVENTIONS.md, "Pages") ----------


@dataclass(frozen=True)
class DeadlineState:
    """A deadline as a person reads it at `now`: its tone and a short sentence."""

    deadline: Deadline
    tone: str
    text: str
    paused: bool = False

    @property
    def escalation(self) -> str:
        level = self.deadline.level
        return str(EscalationLevel(level).label) if level else ""

    @property
    def overdue(self) -> bool:
        return self.tone == "overdue"


def deadline_state(deadline: Deadline, *, now: datetime, paused: bool) -> DeadlineState:
    if deadline.cancelled_at is not None:
        return DeadlineState(deadline, "cancelled", _("no longer applies"))
    if deadline.met_at is not None:
        if deadline.breached_at is not None or deadline.met_at > deadline.due_at:
            late = timesince(deadline.due_at, deadline.met_at)
            return DeadlineState(deadline, "met-late", _("met %(late)s late") % {"late": late})
        return DeadlineState(deadline, "met", _("met"))
    if paused:
        left = deadline.left_when_paused
        if left is None:
            return DeadlineState(deadline, "paused", _("paused"), paused=True)
        if left <= timedelta(0):
            return DeadlineState(deadline, "paused", _("paused, overdue"), paused=True)
        text = _("paused, %(left)s left") % {"left": timeuntil(now + left, now)}
        return DeadlineState(deadline, "paused", text, paused=True)
    if deadline.due_at <= now or deadline.breached_at is not None:
        return DeadlineState(
            deadline,
            "overdue",
            _("overdue by %(late)s") % {"late": timesince(deadline.due_at, now)},
        )
    left_text = _("%(left)s left") % {"left": timeuntil(deadline.due_at, now)}
    return DeadlineState(
        deadline, "soon" if deadline.due_at - now <= DUE_SOON else "running", left_text
    )


@dataclass
class ComplaintRow:
    """A complaint with each of its deadlines' states, for the desk and the log."""

    complaint: Complaint
    deadlines: list[DeadlineState]
    by_kind: dict[str, list[DeadlineState]] = field(default_factory=dict)

    @property
    def overdue(self) -> bool:
        return any(state.overdue for state in self.deadlines)

    @property
    def kind_cells(self) -> list[list[DeadlineState]]:
        return [self.by_kind.get(kind, []) for kind in DeadlineKind.values]


def rows_of(complaints: Iterable[Complaint], *, now: datetime) -> list[ComplaintRow]:
    """From complaints with their deadlines prefetched: no query per row."""
    rows = []
    for complaint in complaints:
        paused = complaint.paused_at is not None
        states = [deadline_state(d, now=now, paused=paused) for d in complaint.deadlines.all()]
        by_kind: dict[str, list[DeadlineState]] = {}
        for state in states:
            by_kind.setdefault(state.deadline.kind, []).append(state)
        rows.append(ComplaintRow(complaint, states, by_kind))
    return rows


# --- the desk ----------------------------------------------------------------------------


class ComplaintDeskView(TenantMixin, ListView):
    """Open complaints, the nearest running deadline first; the rows refresh every 30 s."""

    area = Area.COMPLAINTS
    template_name = "complaints/desk.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Complaint]:
        complaints = selectors.complaint_desk(agency=self.agency)
        self.filter_form = DeskFilterForm(self.request.GET or None, agency=self.agency)
        if self.filter_form.is_valid():
            if branch := self.filter_form.cleaned_data["branch"]:
                complaints = complaints.filter(branch=branch)
            if tier := self.filter_form.cleaned_data["tier"]:
                complaints = complaints.filter(tier=tier)
        # A paused complaint's clocks stand still, so its (old) due times come after the
        # running ones; among those, the nearest running deadline first.
        return complaints.order_by(
            F("paused_at").asc(nulls_first=True), F("nearest_due").asc(), "received_at", "id"
        )

    def get_template_names(self) -> list[str]:
        if self.request.htmx:  # type: ignore[attr-defined]
            return ["complaints/_desk_rows.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(
            rows=rows_of(context["object_list"], now=now),
            refreshed_at=now,
            filter_form=self.filter_form,
        )
        return context


# --- taking a complaint ------------------------------------------------------------------


#: Where a service's complaint about an intake field is shown on the form.
TAKE_ERRORS_AT = {"customer": "phone", "file": "attachments"}


class ComplaintTakeView(TenantMixin, ServiceFormMixin, FormView):
    """A customer complains (by phone, in person, by link or on a revisit call)."""

    area = Area.COMPLAINTS
    template_name = "complaints/new.html"

    form_class = ComplaintTakeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}

    def get_initial(self) -> dict[str, Any]:
        branches = agency_selectors.branches_for(agency=self.agency).filter(is_active=True)
        order = self.request.GET.get("order", "")
        # From a revisit (a low score, a call): the complaint came through it.
        channel = self.request.GET.get("channel", ComplaintChannel.PHONE)
        initial: dict[str, Any] = {
            "branch": self.membership.branch or branches.first(),
            "phone": self.request.GET.get("phone", ""),
            "order": order,
            "channel": channel,
        }
        if channel == ComplaintChannel.REVISIT and order:
            # The customer already said what went wrong and who did the job.
            initial["description"], initial["staff"] = feedback_selectors.low_score_facts(
                agency=self.agency, order_number=order
            )
        return initial

    def perform(self, form: ComplaintTakeForm) -> None:
        data = form.cleaned_data
        intake = services.Intake(
            branch=data["branch"],
            customer=data["customer"],
            channel=data["channel"],
            category=data["category"],
            description=data["description"],
            tier=data["tier"],
            severity=data["severity"],
            desired_outcome=data["desired_outcome"],
            order=data["order"],
            staff=data["staff"],
            received_at=data["received_at"],
        )
        try:
            self.complaint = services.complaint_take(
                agency=self.agency,
                actor=self.actor,
                intake=intake,
                attachments=data["attachments"],
                submission_key=data["submission_key"],
            )
        except RepeatedSubmission as repeat:
            # A double click: to the complaint the first click took, not an error on the form.
            self.complaint = repeat.earlier
            messages.info(self.request, repeat.message)
            return
        except ValidationError as error:
            raise for_form(error, form, TAKE_ERRORS_AT) from error
        messages.success(
            self.request,
            _("Complaint %(number)s taken; the customer is flagged for special attention.")
            % {"number": self.complaint.number},
        )

    def get_success_url(self) -> str:
        return reverse("complaint_detail", kwargs={"pk": self.complaint.pk})


class ComplaintCustomerLookupView(TenantMixin, View):
    """HTMX: as the phone is typed, the customer found and their recent orders to pick from."""

    area = Area.COMPLAINTS

    def get(self, request: HttpRequest) -> HttpResponse:
        phone = request.GET.get("phone", "").strip()
        customer = (
            intake_selectors.customer_by_phone(agency=self.agency, phone=phone) if phone else None
        )
        orders = (
            list(
                order_selectors.orders_for(agency=self.agency)
                .filter(customer=customer)
                .order_by("-starts_at", "-id")[:10]
            )
            if customer
            else []
        )
        return render(
            request,
            "complaints/_customer_lookup.html",
            {"customer": customer, "orders": orders, "phone": phone},
        )


class ComplaintTierView(TenantMixin, View):
    """HTMX: the tier choice with the category's suggestion selected."""

    area = Area.COMPLAINTS

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ComplaintTakeForm(
            agency=self.agency, initial={"category": request.GET.get("category", "")}
        )
        return render(request, "complaints/_tier_field.html", {"form": form})


# --- the complaint page and its actions --------------------------------------------------


class ComplaintDetailView(TenantObjectMixin, DetailView):
    area = Area.COMPLAINTS
    model = Complaint
    template_name = "complaints/detail.html"
    context_object_name = "complaint"

    #: The action forms on the page, by context name.
    FORMS: ClassVar[dict[str, type]] = {
        "respond_form": TextForm,
        "note_form": TextForm,
        "verify_form": TextForm,
        "second_response_form": SecondResponseForm,
        "resolve_form": ResolveForm,
        "follow_up_form": FollowUpForm,
        "pause_form": PauseForm,
        "close_form": TextForm,
        "reopen_form": TextForm,
        "attach_form": AttachForm,
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
            kwargs.setdefault(name, form_class(auto_id=f"id_{name}_%s"))
        now = timezone.now()
        [row] = rows_of([complaint], now=now)
        deadlines = {d.pk: d for d in complaint.deadlines.all()}
        escalations = [
            (escalation, deadlines.get(escalation.deadline_id) if escalation.deadline_id else None)
            for escalation in complaint.escalations.all()
        ]
        return super().get_context_data(
            deadline_states=row.deadlines,
            escalations=escalations,
            attachments=[(a, a.display_name) for a in complaint.attachments.all()],
            show=self._actions(complaint, row),
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
        return {"files": self.request.FILES, "auto_id": f"id_{self.form_context_name}_%s"}


class ComplaintRespondView(ComplaintActionView):
    form_class = TextForm
    form_context_name = "respond_form"

    def act(self, complaint: Complaint, form: TextForm) -> str:
        services.complaint_respond(
            complaint=complaint, actor=self.actor, text=form.cleaned_data["text"]
        )
        return _("Response to the customer recorded.")


class ComplaintNoteView(ComplaintActionView):
    form_class = TextForm
    form_context_name = "note_form"

    def act(self, complaint: Complaint, form: TextForm) -> str:
        services.complaint_note(
            complaint=complaint, actor=self.actor, text=form.cleaned_data["text"]
        )
        return _("Note added.")


class ComplaintVerifyView(ComplaintActionView):
    form_class = TextForm
    form_context_name = "verify_form"

    def act(self, complaint: Complaint, form: TextForm) -> str:
        services.complaint_verify(
            complaint=complaint, actor=self.actor, text=form.cleaned_data["text"]
        )
        return _("Verification recorded.")


class ComplaintSecondResponseView(ComplaintActionView):
    form_class = SecondResponseForm
    form_context_name = "second_response_form"

    def act(self, complaint: Complaint, form: SecondResponseForm) -> str:
        resolve_by = form.cleaned_data["resolve_by"]
        services.complaint_second_response(
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
        services.complaint_resolve(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("Complaint resolved; the satisfaction follow-up is due next.")


class ComplaintFollowUpView(ComplaintActionView):
    form_class = FollowUpForm
    form_context_name = "follow_up_form"

    def act(self, complaint: Complaint, form: FollowUpForm) -> str:
        services.complaint_follow_up(complaint=complaint, actor=self.actor, **form.cleaned_data)
        return _("Follow-up recorded.")


class ComplaintPauseView(ComplaintActionView):
    form_class = PauseForm
    form_context_name = "pause_form"

    def act(self, complaint: Complaint, form: PauseForm) -> str:
        services.complaint_pause(
            complaint=complaint, actor=self.actor, reason=form.cleaned_data["reason"]
        )
        return _("The clock is paused.")


class ComplaintResumeView(ComplaintActionView):
    def act(self, complaint: Complaint, form: None) -> str:
        services.complaint_resume(complaint=complaint, actor=self.actor)
        return _("The clock runs again; the open deadlines moved by the paused time.")


class ComplaintCloseView(ComplaintActionView):
    form_class = TextForm
    form_context_name = "close_form"

    def act(self, complaint: Complaint, form: TextForm) -> str:
        services.complaint_close(
            complaint=complaint, actor=self.actor, text=form.cleaned_data["text"]
        )
        return _("Complaint closed.")


class ComplaintReopenView(ComplaintActionView):
    form_class = TextForm
    form_context_name = "reopen_form"

    def act(self, complaint: Complaint, form: TextForm) -> str:
        services.complaint_reopen(
            complaint=complaint, actor=self.actor, text=form.cleaned_data["text"]
        )
        return _("Complaint reopened; its deadlines start again from now.")


class ComplaintAttachView(ComplaintActionView):
    form_class = AttachForm
    form_context_name = "attach_form"

    def act(self, complaint: Complaint, form: AttachForm) -> str:
        services.complaint_attach(
            complaint=complaint, actor=self.actor, file=form.cleaned_data["file"]
        )
        return _("File attached.")


# --- the complaint log and its CSV --------------------------------------------------------


class ComplaintLogView(TenantMixin, FilterView):
    """The complaint log (顾客投诉记录): every complaint of a period with each deadline."""

    area = Area.COMPLAINTS
    template_name = "complaints/log.html"
    filterset_class = ComplaintFilter
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.complaint_log(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            rows=rows_of(context["object_list"], now=timezone.now()),
            deadline_kinds=DeadlineKind.choices,
        )
        return context


class _Echo:
    """A file-like object that hands back what the csv writer writes (for streaming)."""

    def write(self, value: str) -> str:
        return value


#: A cell Excel would read as a formula is prefixed, so a description cannot run one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class ComplaintLogCsvView(TenantMixin, View):
    """The log as CSV for Excel: UTF-8 with a BOM (so Chinese opens right), one row per
    complaint, each deadline kind's due, met and breached times, the timeline summarised.

    A complaint reopened has a deadline of a kind per round; the columns show the latest.
    """

    area = Area.COMPLAINTS

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        filterset = ComplaintFilter(
            request.GET, queryset=selectors.complaint_log(agency=self.agency), request=request
        )
        if not filterset.is_valid():
            return HttpResponseBadRequest(_("Check the filters of the complaint log."))
        complaints = filterset.qs.prefetch_related(
            Prefetch(
                "events",
                queryset=ComplaintEvent.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            )
        )
        language = translation.get_language()
        response = StreamingHttpResponse(
            self._lines(complaints, language=language), content_type="text/csv; charset=utf-8"
        )
        filename = f"complaints-{self.agency.today().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _lines(self, complaints: QuerySet[Complaint], *, language: str) -> Iterator[str]:
        writer = csv.writer(_Echo())
        zone = self.agency.zone

        def local(moment: datetime | None) -> str:
            return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""

        with translation.override(language):
            yield "\ufeff"
            kinds = DeadlineKind.choices
            header = [
                _("Number"),
                _("Received"),
                _("Branch"),
                _("Customer"),
                _("Phone"),
                _("Order"),
                _("Staff concerned"),
                _("Channel"),
                _("Category"),
                _("Tier"),
                _("Severity"),
                _("Status"),
                _("What happened"),
                _("What the customer wants"),
            ]
            for _kind, label in kinds:
                header += [
                    _("%(deadline)s due") % {"deadline": label},
                    _("%(deadline)s met") % {"deadline": label},
                    _("%(deadline)s breached") % {"deadline": label},
                ]
            header += [
                _("Resolved"),
                _("Upheld"),
                _("Satisfaction (1–5)"),
                _("Closed"),
                _("Timeline"),
            ]
            yield writer.writerow(header)
            upheld = {True: _("yes"), False: _("no"), None: ""}
            for complaint in complaints.iterator(chunk_size=500):
                latest = {d.kind: d for d in complaint.deadlines.all()}
                row: list[Any] = [
                    complaint.number,
                    local(complaint.received_at),
                    complaint.branch.name,
                    complaint.customer.name,
                    mask_phone(complaint.customer.phone),
                    complaint.order.number if complaint.order else "",
                    complaint.staff.name if complaint.staff else "",
                    complaint.get_channel_display(),
                    complaint.get_category_display(),
                    complaint.get_tier_display(),
                    complaint.get_severity_display(),
                    complaint.get_status_display(),
                    complaint.description,
                    complaint.desired_outcome,
                ]
                for kind, _label in kinds:
                    deadline = latest.get(kind)
                    row += (
                        [
                            local(deadline.due_at),
                            local(deadline.met_at),
                            local(deadline.breached_at),
                        ]
                        if deadline
                        else ["", "", ""]
                    )
                row += [
                    local(complaint.resolved_at),
                    upheld[complaint.upheld],
                    complaint.satisfaction or "",
                    local(complaint.closed_at),
                    "\n".join(
                        f"{local(event.created_at)} {event.get_kind_display()}"
                        + (f": {' '.join(event.text.split())[:200]}" if event.text else "")
                        for event in complaint.events.all()
                    ),
                ]
                yield writer.writerow([_cell(value) for value in row])


# --- the SLA policy (a manager's) ---------------------------------------------------------


class SlaPolicyView(TenantMixin, TemplateView):
    """The complaint deadlines per tier, the office calendar and the holidays."""

    area = Area.SETTINGS
    template_name = "complaints/policy.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = sla.policy_for(self.agency)
        if "policy_form" not in kwargs:
            kwargs["policy_form"] = SlaPolicyForm(
                initial={name: getattr(policy, name) for name in SlaPolicyForm.base_fields}
            )
        if "hours_formset" not in kwargs:
            rows = [
                {"weekday": h.weekday, "opens": h.opens, "closes": h.closes}
                for h in OfficeHours.objects.filter(agency=self.agency).order_by("weekday", "opens")
            ]
            kwargs["hours_formset"] = OfficeHoursFormSet(
                initial=rows + [{"weekday": 0}] * BLANK_OFFICE_ROWS, prefix="hours"
            )
        kwargs.setdefault("holiday_form", HolidayForm())
        this_year = self.agency.today().replace(month=1, day=1)
        return super().get_context_data(
            policy=policy,
            holidays=Holiday.objects.filter(agency=self.agency, day__gte=this_year).order_by("day"),
            today=self.agency.today(),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SlaPolicyForm(request.POST)
        if form.is_valid():
            try:
                sla.sla_policy_update(agency=self.agency, actor=self.actor, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, for_form(error, form, {}))
            else:
                messages.success(request, _("Complaint policy saved."))
                return redirect("sla_policy")
        return self.render_to_response(self.get_context_data(policy_form=form), status=400)


class SlaOfficeHoursView(SlaPolicyView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        formset = cast(BaseOfficeHoursFormSet, OfficeHoursFormSet(request.POST, prefix="hours"))
        hours_errors: list[str] = []
        if formset.is_valid():
            try:
                sla.office_hours_set(agency=self.agency, actor=self.actor, rows=formset.rows())
            except ValidationError as error:
                hours_errors = error.messages
            else:
                messages.success(request, _("Office hours saved."))
                return redirect("sla_policy")
        return self.render_to_response(
            self.get_context_data(hours_formset=formset, hours_errors=hours_errors), status=400
        )


class SlaHolidayAddView(SlaPolicyView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = HolidayForm(request.POST)
        if form.is_valid():
            try:
                holiday = sla.holiday_add(agency=self.agency, actor=self.actor, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, for_form(error, form, {}))
            else:
                messages.success(
                    request,
                    _("%(date)s is a holiday: office-hours clocks stand still on it.")
                    % {"date": date_format(holiday.day, "DATE_FORMAT")},
                )
                return redirect("sla_policy")
        return self.render_to_response(self.get_context_data(holiday_form=form), status=400)


class SlaHolidayRemoveView(TenantObjectMixin, View):
    area = Area.SETTINGS
    model = Holiday
    http_method_names = ["post"]

    def get_queryset(self) -> QuerySet[Holiday]:
        return Holiday.objects.all()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseRedirect:
        holiday: Holiday = self.object
        sla.holiday_remove(agency=self.agency, actor=self.actor, holiday=holiday)
        messages.success(
            request,
            _("%(date)s is a working day again.")
            % {"date": date_format(holiday.day, "DATE_FORMAT")},
        )
        return redirect("sla_policy")
