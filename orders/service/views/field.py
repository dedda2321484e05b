"""Field staff pages (phone-sized): my jobs, a job, my certificates and trainings.

A staff user sees only their own confirmed jobs; the customer's full address
and phone only inside the agency's window (orders.service.privacy), each reveal audited.

The job page also carries the service itself (DESIGN.md, "Service" and
"Acceptance"): the sections a person needs appear by the order's status — the
preparation checklist, check-in, tasks, notes and photos, the log with its
corrections, check-out, the on-site lead's inspection and stage-1 sign-off,
change requests and rework. The actions post to orders.service.views.field_service.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from agency.models import User
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from orders.models import (
    HOLDING,
    AcceptanceRound,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ChangeRequest,
    EntryKind,
    FailedItem,
    OrderStatus,
    PricingUnit,
    RoundOutcome,
    ServiceLogEntry,
    Stage,
)
from orders.service import selectors
from orders.service.forms import (
    ChangeRequestForm,
    ChecklistLineForm,
    InspectionForm,
    JobDeclineForm,
    LeadSignoffForm,
    NoteForm,
    PositionForm,
)
from orders.service.privacy import contact_window, staff_may_see_contact
from orders.service.services.changes import CHANGEABLE
from orders.service.services.field import staff_reveal_contact
from orders.service.services.service_log import ON_THE_JOB, check_in_opens_at
from orders.staffing import selectors as staffing_selectors
from staff.models import StaffMember

#: While these, the log takes entries and corrections (orders.service.services.service_log).
LOG_OPEN = frozenset({OrderStatus.ASSIGNED, *ON_THE_JOB})
UNIT_LABELS = dict(PricingUnit.choices)


class MyJobsView(TenantMixin, TemplateView):
    area = Area.MY_JOBS
    template_name = "orders/field/my_jobs.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = self.agency.today()
        start = datetime.combine(today, time.min, tzinfo=self.agency.zone)
        jobs = selectors.jobs_of_staff_user(agency=self.agency, user=self.user)
        # Today and the seven days after it, so next week's same weekday is in view.
        week = list(selectors.jobs_between(jobs, start=start, end=start + timedelta(days=8)))
        tomorrow = start + timedelta(days=1)
        return super().get_context_data(
            needs_you=list(selectors.jobs_needing_staff(jobs)),
            today_jobs=[a for a in week if a.order.starts_at < tomorrow],
            later_jobs=[a for a in week if a.order.starts_at >= tomorrow],
            has_profile=StaffMember.objects.filter(agency=self.agency, user=self.user).exists(),
            **kwargs,
        )


class OwnJobMixin(TenantObjectMixin):
    """One of the requesting staff user's own jobs: anyone else's answers 404."""

    area = Area.MY_JOBS
    model = Assignment
    #: The isolation sweep makes "own" objects belong to the requesting user through this.
    owner_lookup = "staff__user"

    def get_queryset(self) -> QuerySet[Assignment]:
        return selectors.jobs_of_staff_user(agency=self.agency, user=self.user)


class MyJobView(OwnJobMixin, DetailView):
    template_name = "orders/field/my_job.html"
    context_object_name = "assignment"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        assignment: Assignment = self.object
        order = assignment.order
        sheet = job_sheet(assignment, user=self.user)
        kwargs.setdefault("prepare_form", ChecklistLineForm())
        kwargs.setdefault("check_in_form", PositionForm())
        kwargs.setdefault("task_form", ChecklistLineForm())
        kwargs.setdefault("note_form", NoteForm())
        kwargs.setdefault("correct_form", None)
        kwargs.setdefault("check_out_form", PositionForm())
        kwargs.setdefault("inspect_form", InspectionForm())
        kwargs.setdefault("rework_form", None)
        kwargs.setdefault("rework_submit_form", None)
        kwargs.setdefault("decline_form", JobDeclineForm())
        if sheet.can_sign:
            kwargs.setdefault(
                "sign_form", LeadSignoffForm(checklist=order.needs_form.checklist, team=sheet.team)
            )
        if sheet.can_change:
            kwargs.setdefault("change_form", ChangeRequestForm(agency=self.agency))
        return super().get_context_data(
            order=order,
            needs=order.needs_form,
            contact_open=staff_may_see_contact(assignment, at=timezone.now()),
            window=contact_window(assignment),
            sheet=sheet,
            **kwargs,
        )


@dataclass
class LogLine:
    """An entry of the log as the page shows it: struck through once corrected or withdrawn."""

    entry: ServiceLogEntry
    replaced_by: ServiceLogEntry | None
    correctable: bool

    @property
    def state(self) -> str:
        if self.replaced_by is None:
            return ""
        return "withdrawn" if self.replaced_by.withdrawn else "corrected"


@dataclass
class RedoLine:
    item: FailedItem
    can_redo: bool


@dataclass
class JobSheet:
    """What the job page shows of the service, worked out from a fixed number of queries."""

    confirmed: bool
    is_lead: bool
    checked_in: bool
    checked_out: bool
    preparation: list[tuple[str, bool]]
    tasks: list[tuple[str, bool]]
    log: list[LogLine]
    team: list[Assignment]
    rounds: list[AcceptanceRound]
    open_round: AcceptanceRound | None
    rework: list[RedoLine]
    pending_changes: list[ChangeRequest]
    #: The staff member may still acknowledge (确认接单) or decline the job.
    can_answer: bool
    departed: bool
    can_depart: bool
    can_prepare: bool
    can_check_in: bool
    #: When check-in opens, while it has not yet (the page says so instead of a button).
    check_in_opens_at: datetime | None
    can_tick_tasks: bool
    can_note: bool
    can_check_out: bool
    can_sign: bool
    can_change: bool
    can_submit_rework: bool

    @property
    def waiting_for_customer(self) -> bool:
        return self.open_round is not None and self.open_round.next_stage == Stage.CUSTOMER

    @property
    def rework_all_done(self) -> bool:
        return all(line.item.reworked_at is not None for line in self.rework)


def job_sheet(assignment: Assignment, *, user: User) -> JobSheet:
    """The service sections of a job page for this person (DESIGN.md, "Service", "Acceptance").

    The log is read once (corrections included) and everything else derives
    from it, so the page costs the same however long the log grows.
    """
    order = assignment.order
    status = order.status
    confirmed = assignment.status == AssignmentStatus.CONFIRMED
    is_lead = confirmed and assignment.role == AssignmentRole.LEAD

    entries = list(selectors.service_log(order))
    replacement = {e.corrects_id: e for e in entries if e.corrects_id is not None}
    effective = [e for e in entries if e.pk not in replacement and not e.withdrawn]
    my_kinds = {e.kind for e in entries if e.assignment_id == assignment.pk}
    log_open = confirmed and status in LOG_OPEN
    log = [
        LogLine(
            entry=e,
            replaced_by=replacement.get(e.pk),
            correctable=log_open and e.author_id == user.pk and e.pk not in replacement,
        )
        for e in entries
        # A withdrawal says nothing itself: it shows as "withdrawn" on the entry it names.
        if not e.withdrawn
    ]
    prepared = {e.item for e in effective if e.kind == EntryKind.PREPARATION}
    done = {e.item for e in effective if e.kind == EntryKind.TASK}

    team = list(staffing_selectors.team(order))
    rounds = list(selectors.acceptance_history(order))
    open_round = next((r for r in rounds if r.outcome == RoundOutcome.OPEN), None)
    # In rework, the failed items of the round that failed last are the ones to redo.
    failed = next((r for r in reversed(rounds) if r.outcome == RoundOutcome.FAILED), None)
    failed_signoffs = failed.signoffs.all() if failed and status == OrderStatus.REWORK else ()
    redo_items = [item for signoff in failed_signoffs for item in signoff.failed_items.all()]
    in_rework = confirmed and status == OrderStatus.REWORK
    pending = list(selectors.change_requests_awaiting(order).select_related("service_type"))
    for change in pending:
        change.unit_label = UNIT_LABELS.get(change.unit, change.unit)  # type: ignore[attr-defined]
    signed_off = any(r.signoffs.all() for r in rounds)
    checked_in = EntryKind.CHECK_IN in my_kinds
    departed = EntryKind.DEPARTURE in my_kinds
    may_arrive = confirmed and status in (OrderStatus.ASSIGNED, OrderStatus.IN_SERVICE)
    now = timezone.now()
    opens = check_in_opens_at(order)
    preparation = [(line, line in prepared) for line in order.service_type.preparation_checklist]

    return JobSheet(
        confirmed=confirmed,
        is_lead=is_lead,
        checked_in=checked_in,
        checked_out=EntryKind.CHECK_OUT in my_kinds,
        preparation=preparation,
        tasks=[(task, task in done) for task in order.needs_form.checklist],
        log=log,
        team=team,
        rounds=rounds,
        open_round=open_round,
        rework=[
            RedoLine(
                item=item,
                can_redo=in_rework
                and item.reworked_at is None
                and (is_lead or item.responsible_id == assignment.staff_id),
            )
            for item in redo_items
        ],
        pending_changes=pending,
        can_answer=assignment.acknowledged_at is None
        and assignment.status in HOLDING
        and status in (OrderStatus.CONFIRMED, OrderStatus.ASSIGNED),
        departed=departed,
        # 出发 from when the address may be read (it is needed to set out) until check-in.
        can_depart=may_arrive
        and not departed
        and not checked_in
        and now <= order.ends_at
        and staff_may_see_contact(assignment, at=now),
        # Once in service, the checklist only shows while a line is still unticked.
        can_prepare=confirmed
        and (
            status == OrderStatus.ASSIGNED
            or (status == OrderStatus.IN_SERVICE and not all(t for _line, t in preparation))
        ),
        can_check_in=may_arrive and not checked_in and opens <= now <= order.ends_at,
        check_in_opens_at=opens if may_arrive and not checked_in and now < opens else None,
        can_tick_tasks=confirmed and checked_in and status == OrderStatus.IN_SERVICE,
        can_note=confirmed and checked_in and status in ON_THE_JOB,
        # The lead leaves a job in service; a member may leave after the lead has.
        can_check_out=confirmed
        and checked_in
        and EntryKind.CHECK_OUT not in my_kinds
        and (status == OrderStatus.IN_SERVICE if is_lead else status in ON_THE_JOB),
        can_sign=is_lead
        and status == OrderStatus.INSPECTION
        and open_round is not None
        and open_round.next_stage == Stage.LEAD,
        can_change=confirmed and status in CHANGEABLE and not signed_off,
        can_submit_rework=in_rework and is_lead,
    )


class MyJobRevealView(MyJobView):
    """HTMX POST: the full address or phone, inside the window, audited."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            value = staff_reveal_contact(
                assignment=self.object, actor=self.actor, field=request.POST.get("field", "")
            )
        except PermissionDenied as refusal:
            return HttpResponseForbidden(str(refusal))
        return render(request, "orders/_revealed.html", {"value": value})


class MyRecordsView(TenantMixin, TemplateView):
    """My certificates and trainings, with this year's count against the agency's target."""

    area = Area.MY_JOBS
    template_name = "orders/field/my_records.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = (
            StaffMember.objects.filter(agency=self.agency, user=self.user)
            .prefetch_related("certificates", "trainings", "skills")
            .first()
        )
        year = self.agency.today().year
        trainings = list(profile.trainings.all()) if profile else []
        return super().get_context_data(
            profile=profile,
            trainings=trainings,
            trainings_this_year=sum(1 for t in trainings if t.held_on.year == year),
            training_target=self.agency.trainings_per_year,
            expiring_before=self.agency.today() + timedelta(days=30),
            **kwargs,
        )
