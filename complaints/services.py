"""Every write about complaints: take, respond, verify, resolve, follow up, pause, escalate.

DESIGN.md, "Complaints": soft complaints are answered in 15 minutes and
verified in 30; hard ones answered in 1 hour, answered again in 3 hours with
the time they will be resolved, and followed up within 24 hours of the
resolution; a major complaint goes to the department head at once; the
customer is flagged for special attention; an upheld complaint can carry a
staff penalty. Each service locks the complaint row and writes the timeline
and the audit log in one transaction.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Case, DateTimeField, DurationField, F, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency, Branch, Membership, Role, User
from agency.notifications import Notice, language_of, notify
from agency.numbering import next_number
from agency.permissions import Area, require
from complaints import policy as sla
from complaints.lifecycle import ComplaintConflict, complaint_transition, courtesy_hold_follow
from complaints.models import (
    ACTIVE,
    SUGGESTED_TIER,
    Attachment,
    Complaint,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    Escalation,
    EscalationLevel,
    EventKind,
    Severity,
    Status,
    Tier,
)
from feedback.complaint_revisits import (
    complaint_follow_up_drop,
    complaint_follow_up_record,
    low_score_close_for_complaint,
)
from feedback.revisits import schedule_complaint_follow_up
from orders.intake.services.customers import customer_do_not_send, customer_flag_special_attention
from orders.models import Customer, Order
from staff.models import StaffMember
from staff.services.records import staff_record_penalty


@dataclass(frozen=True)
class Intake:
    """What the office records when a customer complains."""

    branch: Branch
    customer: Customer
    channel: str
    category: str
    description: str
    tier: str = ""
    severity: str = Severity.NORMAL
    desired_outcome: str = ""
    order: Order | None = None
    staff: StaffMember | None = None
    received_at: datetime | None = None


@transaction.atomic
def complaint_take(
    *,
    agency: Agency,
    actor: Actor,
    intake: Intake,
    attachments: Iterable[UploadedFile] = (),
    submission_key: uuid.UUID | None = None,
) -> Complaint:
    """Record a complaint: its number, its deadlines, the customer's flag, a major's report.

    A `submission_key` seen before (a double click) raises `RepeatedSubmission`
    with the complaint already taken: one complaint, the managers told once.
    """
    _require_office(actor, agency)
    refuse_repeat(Complaint.objects.filter(agency=agency), submission_key, _taken)
    now = timezone.now()
    received = intake.received_at or now
    errors = _intake_errors(agency, intake, received=received, now=now)
    if errors:
        raise ValidationError(errors)
    year = received.astimezone(agency.zone).year
    complaint = Complaint(
        agency=agency,
        number=f"{year}-C{next_number(agency=agency, kind='complaint', year=year):04d}",
        branch=intake.branch,
        customer=intake.customer,
        order=intake.order,
        staff=intake.staff,
        channel=intake.channel,
        category=intake.category,
        tier=intake.tier or SUGGESTED_TIER.get(intake.category, Tier.SOFT),
        severity=intake.severity,
        description=intake.description.strip(),
        desired_outcome=intake.desired_outcome.strip(),
        received_at=received,
        taken_by=actor.user,
        submission_key=submission_key,
    )
    complaint.full_clean(exclude=["submission_key"])
    save_once(complaint, Complaint.objects.filter(agency=agency), _taken)
    for upload in attachments:
        _attach(complaint, actor=actor, file=upload)
    _event(complaint, EventKind.TAKEN, actor=actor, text=complaint.description)
    _open_deadlines(complaint, start=received)
    courtesy_hold_follow(complaint)
    if complaint.order is not None:
        # A low score turned into this complaint: the complaint now owns that follow-up.
        low_score_close_for_complaint(
            order=complaint.order, actor=actor, complaint_number=complaint.number
        )
    customer_flag_special_attention(
        customer=complaint.customer,
        actor=actor,
        reason=_("Complaint %(number)s") % {"number": complaint.number},
        link=link_of(complaint),
    )
    if complaint.severity == Severity.MAJOR:
        _report_major(complaint)
    _audit(complaint, actor, "complaint.take", {"tier": complaint.tier})
    return complaint


def _taken(earlier: Complaint) -> str:
    return _("This complaint was taken already as %(number)s.") % {"number": earlier.number}


@transaction.atomic
def complaint_respond(*, complaint: Complaint, actor: Actor, text: str) -> Complaint:
    """A response to the customer; the first one meets the first-response deadline."""
    complaint = _locked(complaint, actor)
    _require_text(text)
    if complaint.status in (Status.OPEN, Status.REOPENED):
        complaint_transition(complaint=complaint, to=Status.RESPONDING)
    elif complaint.status != Status.RESPONDING:
        raise ComplaintConflict(_("This complaint is not waiting for a response."))
    _meet(complaint, DeadlineKind.FIRST_RESPONSE)
    _event(complaint, EventKind.RESPONSE, actor=actor, text=text)
    _audit(complaint, actor, "complaint.respond")
    return complaint


@transaction.atomic
def complaint_note(*, complaint: Complaint, actor: Actor, text: str) -> ComplaintEvent:
    """An internal note on the timeline; it meets no deadline."""
    complaint = _locked(complaint, actor)
    _require_text(text)
    event = _event(complaint, EventKind.NOTE, actor=actor, text=text)
    _audit(complaint, actor, "complaint.note")
    return event


@transaction.atomic
def complaint_verify(*, complaint: Complaint, actor: Actor, text: str) -> Complaint:
    """A soft complaint's facts checked (核实), within its verification deadline."""
    complaint = _locked(complaint, actor)
    _require_text(text)
    if complaint.tier != Tier.SOFT:
        raise ComplaintConflict(
            _("Only a soft complaint is verified; a hard one gets a second response.")
        )
    _require_responded(complaint)
    _meet(complaint, DeadlineKind.VERIFICATION)
    _event(complaint, EventKind.VERIFICATION, actor=actor, text=text)
    _audit(complaint, actor, "complaint.verify")
    return complaint


@transaction.atomic
def complaint_second_response(
    *, complaint: Complaint, actor: Actor, text: str, resolve_by: datetime
) -> Complaint:
    """A hard complaint's second response, which sets the time it will be resolved by."""
    complaint = _locked(complaint, actor)
    _require_text(text)
    if complaint.tier != Tier.HARD:
        raise ComplaintConflict(_("Only a hard complaint gets a second response."))
    _require_responded(complaint)
    if resolve_by <= timezone.now():
        raise ValidationError({"resolve_by": _("The resolution time must be in the future.")})
    _meet(complaint, DeadlineKind.SECOND_RESPONSE)
    _cancel(complaint, DeadlineKind.RESOLUTION)
    _deadline(complaint, DeadlineKind.RESOLUTION, due_at=resolve_by, office_hours=False)
    _event(
        complaint,
        EventKind.SECOND_RESPONSE,
        actor=actor,
        text=f"{text.strip()}\n"
        + _("To be resolved by %(time)s.") % {"time": _local(complaint, resolve_by)},
    )
    _audit(complaint, actor, "complaint.second_response", {"resolve_by": resolve_by.isoformat()})
    return complaint


@transaction.atomic
def complaint_resolve(
    *,
    complaint: Complaint,
    actor: Actor,
    text: str,
    upheld: bool | None = None,
    do_not_send: bool = False,
) -> Complaint:
    """Resolved: meets the resolution deadline; a follow-up is due within the policy's time.

    Upheld against the staff member concerned, it carries the agency's penalty
    (if any) and, if asked, keeps that person away from this customer.
    """
    complaint = _locked(complaint, actor)
    _require_text(text)
    if complaint.status != Status.RESPONDING:
        raise ComplaintConflict(_("Respond to the customer before resolving."))
    if complaint.tier == Tier.SOFT and _running(complaint, DeadlineKind.VERIFICATION):
        raise ComplaintConflict(_("Verify the complaint before resolving it."))
    if complaint.tier == Tier.HARD and _running(complaint, DeadlineKind.SECOND_RESPONSE):
        raise ComplaintConflict(_("Give the second response, with the resolution time, first."))
    if (upheld is not None or do_not_send) and complaint.staff is None:
        raise ValidationError({"upheld": _("No staff member is concerned by this complaint.")})
    now = timezone.now()
    _meet(complaint, DeadlineKind.RESOLUTION)
    complaint.resolved_at = now
    complaint.upheld = upheld
    complaint_transition(complaint=complaint, to=Status.RESOLVED, also=["resolved_at", "upheld"])
    policy = sla.policy_for(complaint.agency)
    if complaint.tier == Tier.HARD:
        # The agencies' rule: a hard complaint is followed up within 24 h of its resolution
        # (a soft one may be, without a deadline). Wall-clock hours: it is a promise of a day.
        # One promise, one record: the call in the revisit queue, which this page shows and
        # records through (issue 13.6).
        schedule_complaint_follow_up(
            customer=complaint.customer,
            order=complaint.order,
            due_at=now + policy.follow_up_after_resolution,
            source=complaint.follow_up_source,  # type: ignore[arg-type]
            note=_("Complaint %(number)s resolved: %(text)s")
            % {"number": complaint.number, "text": text.strip()[:200]},
        )
    _event(complaint, EventKind.RESOLUTION, actor=actor, text=text)
    if upheld and complaint.staff is not None:
        _uphold(complaint, actor=actor, penalty=policy.penalty_per_upheld_complaint)
    if do_not_send and complaint.staff is not None:
        customer_do_not_send(
            customer=complaint.customer,
            staff=complaint.staff,
            actor=actor,
            reason=_("Complaint %(number)s") % {"number": complaint.number},
        )
    _audit(complaint, actor, "complaint.resolve", {"upheld": upheld})
    return complaint


@transaction.atomic
def complaint_follow_up(
    *, complaint: Complaint, actor: Actor, satisfaction: int, text: str = ""
) -> Complaint:
    """The satisfaction follow-up after the resolution, with the customer's score (1–5);
    a hard complaint's is its follow-up revisit, logged as reached."""
    complaint = _locked(complaint, actor)
    if complaint.status != Status.RESOLVED:
        raise ComplaintConflict(_("A complaint is followed up once it is resolved."))
    if not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": _("The satisfaction score is from 1 to 5.")})
    complaint_follow_up_record(
        agency=complaint.agency,
        source=complaint.follow_up_source,  # type: ignore[arg-type]
        actor=actor,
        satisfaction=satisfaction,
        notes=text,
    )
    complaint.satisfaction = satisfaction
    complaint_transition(complaint=complaint, to=Status.FOLLOWED_UP, also=["satisfaction"])
    _event(
        complaint,
        EventKind.FOLLOW_UP,
        actor=actor,
        text=_("Satisfaction %(score)s/5.") % {"score": satisfaction}
        + (f" {text.strip()}" if text.strip() else ""),
    )
    _audit(complaint, actor, "complaint.follow_up", {"satisfaction": satisfaction})
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: Actor, text: str) -> Complaint:
    """Closed: the deadlines still running no longer apply."""
    complaint = _locked(complaint, actor)
    _require_text(text)
    complaint.closed_at = timezone.now()
    # A closed complaint waits on nobody: a later reopen starts with running clocks.
    complaint.paused_at = None
    complaint.pause_reason = ""
    complaint_transition(
        complaint=complaint, to=Status.CLOSED, also=["closed_at", "paused_at", "pause_reason"]
    )
    _cancel(complaint)
    _drop_follow_up(complaint, reason=_("Complaint closed."))
    _event(complaint, EventKind.CLOSED, actor=actor, text=text)
    _audit(complaint, actor, "complaint.close")
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, actor: Actor, text: str) -> Complaint:
    """The customer is not satisfied: the complaint's clocks start again from now."""
    complaint = _locked(complaint, actor)
    _require_text(text)
    complaint_transition(complaint=complaint, to=Status.REOPENED)
    _cancel(complaint)
    _drop_follow_up(complaint, reason=_("Complaint reopened."))
    _open_deadlines(complaint, start=timezone.now())
    _event(complaint, EventKind.REOPENED, actor=actor, text=text)
    _audit(complaint, actor, "complaint.reopen")
    return complaint


@transaction.atomic
def complaint_pause(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    """Stop the clocks while waiting on the customer; each running deadline keeps its time left."""
    complaint = _locked(complaint, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the complaint is waiting for.")})
    if complaint.paused_at is not None:
        raise ComplaintConflict(_("The clock is paused already."))
    if complaint.status not in ACTIVE:
        raise ComplaintConflict(_("This complaint's clock is not running."))
    now = timezone.now()
    for deadline in _running_deadlines(complaint):
        clock = sla.clock_for(complaint.agency, office_hours=deadline.office_hours)
        deadline.left_when_paused = clock.between(now, deadline.due_at)
        deadline.next_escalation_at = None
        deadline.save(update_fields=["left_when_paused", "next_escalation_at"])
    complaint.paused_at = now
    complaint.pause_reason = reason.strip()[:300]
    complaint.save(update_fields=["paused_at", "pause_reason"])
    _event(complaint, EventKind.PAUSED, actor=actor, text=reason)
    _audit(complaint, actor, "complaint.pause", {"reason": complaint.pause_reason})
    return complaint


@transaction.atomic
def complaint_resume(*, complaint: Complaint, actor: Actor) -> Complaint:
    """Start the clocks again: each running deadline moves on by the time it stood still."""
    complaint = _locked(complaint, actor)
    if complaint.paused_at is None:
        raise ComplaintConflict(_("The clock is not paused."))
    now = timezone.now()
    policy = sla.policy_for(complaint.agency)
    for deadline in _running_deadlines(complaint):
        if deadline.left_when_paused is None:
            continue
        clock = sla.clock_for(complaint.agency, office_hours=deadline.office_hours)
        if deadline.left_when_paused:
            deadline.due_at = clock.add(now, deadline.left_when_paused)
        deadline.left_when_paused = None
        deadline.next_escalation_at = _next_escalation(deadline, policy.manager_after_breach, now)
        deadline.save(update_fields=["due_at", "left_when_paused", "next_escalation_at"])
    paused = now - complaint.paused_at
    complaint.paused_at = None
    complaint.pause_reason = ""
    complaint.save(update_fields=["paused_at", "pause_reason"])
    hours, rest = divmod(int(paused.total_seconds()) // 60, 60)
    _event(
        complaint,
        EventKind.RESUMED,
        actor=actor,
        text=_("Paused for %(hours)s h %(minutes)s min.") % {"hours": hours, "minutes": rest},
    )
    _audit(complaint, actor, "complaint.resume")
    return complaint


@transaction.atomic
def complaint_attach(*, complaint: Complaint, actor: Actor, file: UploadedFile) -> Attachment:
    """A photo or document added to the complaint, noted on the timeline."""
    complaint = _locked(complaint, actor)
    attachment = _attach(complaint, actor=actor, file=file)
    name = (attachment.file.name or "").rsplit("/", 1)[-1]
    _event(complaint, EventKind.NOTE, actor=actor, text=_("Attached %(name)s.") % {"name": name})
    _audit(complaint, actor, "complaint.attach", {"file": name})
    return attachment


# --- escalation (the sweep calls `escalate_due`) ---------------------------------------


def escalate_due(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Escalate every deadline whose next escalation has come; how many were escalated.

    One transaction: the due deadlines are claimed with SKIP LOCKED (a second
    sweep running at the same moment takes other rows, or none), each
    escalation is a row unique per deadline and level, its notifications are
    rows of the same transaction, and the deadline moves to its next step.
    A crash anywhere before the commit leaves nothing behind; the next sweep
    does it again, once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Deadline.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(next_escalation_at__lte=now)
            .select_related("complaint__agency", "complaint__branch", "complaint__customer")
            .order_by("next_escalation_at")[:limit]
        )
        if not due:
            return 0
        ladder = _Ladder.for_deadlines(due)
        escalations = Escalation.objects.bulk_create(
            Escalation(
                agency_id=deadline.agency_id,
                complaint_id=deadline.complaint_id,
                deadline=deadline,
                level=deadline.level + 1,
            )
            for deadline in due
        )
        notices: list[Notice] = []
        events: list[ComplaintEvent] = []
        for deadline, escalation in zip(due, escalations, strict=True):
            recipients = ladder.recipients(deadline.complaint, escalation.level)
            notices += _escalation_notices(deadline, escalation, recipients)
            events.append(
                ComplaintEvent(
                    agency_id=deadline.agency_id,
                    complaint_id=deadline.complaint_id,
                    kind=EventKind.ESCALATED,
                    text=_escalation_text(deadline, escalation.level, recipients),
                )
            )
        _step_up(due, ladder.manager_after)
        ComplaintEvent.objects.bulk_create(events)
        notify(notices)
        return len(due)


def _step_up(due: list[Deadline], manager_after: dict[int, Any]) -> None:
    """Move the claimed deadlines one step up the ladder, in one UPDATE.

    Breached (at its due time) and one level higher; after the supervisor's
    step the manager's comes `manager_after` the due time, after that none.
    Set-based rather than bulk_update, whose CASE over every row grows with
    the square of the batch (1,000 rows: most of the sweep's time).
    """
    after = Case(
        *(
            When(agency_id=agency_id, then=Value(delay))
            for agency_id, delay in manager_after.items()
        ),
        output_field=DurationField(),
    )
    Deadline.objects.filter(pk__in=[deadline.pk for deadline in due]).update(
        level=F("level") + 1,
        breached_at=Coalesce("breached_at", "due_at"),
        next_escalation_at=Case(
            When(level=EscalationLevel.SUPERVISOR - 1, then=F("due_at") + after),
            default=None,
            output_field=DateTimeField(),
        ),
    )


@dataclass
class _Ladder:
    """Who is told at each level, per agency, read once per sweep."""

    supervisors: dict[tuple[int, int | None], list[User]]
    managers: dict[int, list[User]]
    manager_after: dict[int, Any]

    @classmethod
    def for_deadlines(cls, deadlines: list[Deadline]) -> "_Ladder":
        agencies = {d.complaint.agency for d in deadlines}
        supervisors: dict[tuple[int, int | None], list[User]] = {}
        managers: dict[int, list[User]] = {}
        members = Membership.objects.filter(
            agency__in=agencies, is_active=True, role__in=[Role.SUPERVISOR, Role.MANAGER]
        ).select_related("user")
        for member in members:
            if member.role == Role.MANAGER:
                managers.setdefault(member.agency_id, []).append(member.user)
            else:
                supervisors.setdefault((member.agency_id, member.branch_id), []).append(member.user)
        return cls(
            supervisors=supervisors,
            managers=managers,
            manager_after={a.pk: sla.policy_for(a).manager_after_breach for a in agencies},
        )

    def recipients(self, complaint: Complaint, level: int) -> list[User]:
        agency_id = complaint.agency_id
        if level == EscalationLevel.SUPERVISOR:
            # The branch's supervisors; failing those, the agency-wide ones, then managers.
            return (
                self.supervisors.get((agency_id, complaint.branch_id))
                or self.supervisors.get((agency_id, None))
                or self.managers.get(agency_id, [])
            )
        return self.managers.get(agency_id, [])


def _escalation_notices(
    deadline: Deadline, escalation: Escalation, recipients: list[User]
) -> list[Notice]:
    complaint = deadline.complaint
    notices = []
    for user in recipients:
        with translation.override(language_of(user, complaint.agency)):
            title = _("Complaint %(number)s: %(deadline)s overdue") % {
                "number": complaint.number,
                "deadline": DeadlineKind(deadline.kind).label,
            }
            body = _("%(customer)s · due %(time)s · %(level)s") % {
                "customer": complaint.customer.name,
                "time": _local(complaint, deadline.due_at),
                "level": EscalationLevel(escalation.level).label,
            }
        notices.append(
            Notice(
                agency_id=complaint.agency_id,
                user=user,
                key=f"complaint-escalation-{escalation.pk}",
                title=title,
                body=body,
                link=link_of(complaint),
            )
        )
    return notices


def _escalation_text(deadline: Deadline, level: int, recipients: list[User]) -> str:
    return _("%(deadline)s overdue: %(level)s (%(names)s).") % {
        "deadline": DeadlineKind(deadline.kind).label,
        "level": EscalationLevel(level).label,
        "names": _names(recipients),
    }


def _report_major(complaint: Complaint) -> None:
    """A major complaint is reported to the department head (the managers) at once."""
    escalation = Escalation.objects.create(
        agency_id=complaint.agency_id, complaint=complaint, level=EscalationLevel.MAJOR
    )
    managers = [
        m.user
        for m in Membership.objects.filter(
            agency_id=complaint.agency_id, role=Role.MANAGER, is_active=True
        ).select_related("user")
    ]
    notices = []
    for user in managers:
        with translation.override(language_of(user, complaint.agency)):
            notices.append(
                Notice(
                    agency_id=complaint.agency_id,
                    user=user,
                    key=f"complaint-escalation-{escalation.pk}",
                    title=_("Major complaint %(number)s") % {"number": complaint.number},
                    body=f"{complaint.customer.name}: {complaint.description[:300]}",
                    link=link_of(complaint),
                )
            )
    notify(notices)
    _event(
        complaint,
        EventKind.ESCALATED,
        actor=Actor.system(),
        text=_("Major complaint reported to the department head (%(names)s).")
        % {"names": _names(managers)},
    )


def _names(users: list[User]) -> str:
    return "、".join(user.get_full_name() or user.get_username() for user in users) or "—"


# --- helpers -------------------------------------------------------------------------


def link_of(complaint: Complaint) -> str:
    return reverse("complaint_detail", kwargs={"pk": complaint.pk})


def _locked(complaint: Complaint, actor: Actor) -> Complaint:
    locked = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency", "customer", "staff")
        .get(pk=complaint.pk, agency_id=complaint.agency_id)
    )
    _require_office(actor, locked.agency)
    return locked


def _require_office(actor: Actor, agency: Agency) -> None:
    require(
        actor, Area.COMPLAINTS, agency_id=agency.pk, message=_("The office handles complaints.")
    )


def _require_text(text: str) -> None:
    if not text.strip():
        raise ValidationError({"text": _("Write what was said or done.")})


def _require_responded(complaint: Complaint) -> None:
    if complaint.status != Status.RESPONDING:
        raise ComplaintConflict(_("Give the first response before this."))


def _intake_errors(
    agency: Agency, intake: Intake, *, received: datetime, now: datetime
) -> dict[str, str]:
    errors = {}
    for name in ("branch", "customer", "order", "staff"):
        value = getattr(intake, name)
        if value is not None and value.agency_id != agency.pk:
            errors[name] = _("Choose one of this agency.")
    if intake.order is not None and intake.order.customer_id != intake.customer.pk:
        errors["order"] = _("This order is not the customer's.")
    if not intake.description.strip():
        errors["description"] = _("Say what happened.")
    if received > now:
        errors["received_at"] = _("A complaint cannot be received in the future.")
    return errors


def _open_deadlines(complaint: Complaint, *, start: datetime) -> None:
    policy = sla.policy_for(complaint.agency)
    office_hours = sla.counts_office_hours(policy, complaint.tier)
    clock = sla.clock_for(complaint.agency, office_hours=office_hours)
    for rule in sla.opening_deadlines(policy, complaint.tier):
        _deadline(
            complaint, rule.kind, due_at=clock.add(start, rule.within), office_hours=office_hours
        )


def _deadline(complaint: Complaint, kind: str, *, due_at: datetime, office_hours: bool) -> Deadline:
    # Set while the clock is paused, it stands still like the others: it keeps its
    # time left, and resuming moves it on and hands it to the sweep.
    left = None
    if complaint.paused_at is not None:
        clock = sla.clock_for(complaint.agency, office_hours=office_hours)
        left = clock.between(timezone.now(), due_at)
    return Deadline.objects.create(
        agency_id=complaint.agency_id,
        complaint=complaint,
        kind=kind,
        office_hours=office_hours,
        due_at=due_at,
        left_when_paused=left,
        next_escalation_at=due_at if left is None else None,
    )


def _next_escalation(deadline: Deadline, manager_after: Any, now: datetime) -> datetime | None:
    """When the sweep should next look at a running deadline."""
    if deadline.level == 0:
        return deadline.due_at
    if deadline.level == EscalationLevel.SUPERVISOR:
        return max(deadline.due_at + manager_after, now)
    return None


def _running_deadlines(complaint: Complaint) -> list[Deadline]:
    return list(
        Deadline.objects.select_for_update().filter(
            agency_id=complaint.agency_id,
            complaint=complaint,
            met_at__isnull=True,
            cancelled_at__isnull=True,
        )
    )


def _running(complaint: Complaint, kind: str) -> bool:
    return Deadline.objects.filter(
        agency_id=complaint.agency_id,
        complaint=complaint,
        kind=kind,
        met_at__isnull=True,
        cancelled_at__isnull=True,
    ).exists()


def _meet(complaint: Complaint, kind: str) -> None:
    """The running deadline of this kind is met now (late, if past its due time)."""
    now = timezone.now()
    for deadline in _running_deadlines(complaint):
        if deadline.kind != kind:
            continue
        # While paused, due_at is stale: late only if no time was left at the pause.
        late = (
            now > deadline.due_at
            if deadline.left_when_paused is None
            else not deadline.left_when_paused
        )
        deadline.met_at = now
        deadline.next_escalation_at = None
        deadline.left_when_paused = None
        if late and deadline.breached_at is None:
            deadline.breached_at = deadline.due_at
        deadline.save(
            update_fields=["met_at", "next_escalation_at", "left_when_paused", "breached_at"]
        )


def _cancel(complaint: Complaint, kind: str | None = None) -> None:
    for deadline in _running_deadlines(complaint):
        if kind is None or deadline.kind == kind:
            deadline.cancelled_at = timezone.now()
            deadline.next_escalation_at = None
            deadline.save(update_fields=["cancelled_at", "next_escalation_at"])


def _drop_follow_up(complaint: Complaint, *, reason: str) -> None:
    if complaint.follow_up_source is not None:
        complaint_follow_up_drop(
            agency=complaint.agency, source=complaint.follow_up_source, reason=reason
        )


def _uphold(complaint: Complaint, *, actor: Actor, penalty: Any) -> None:
    staff = complaint.staff
    if staff is None or not penalty:
        return
    staff_record_penalty(
        staff=staff,
        actor=actor,
        amount=penalty,
        reason=_("Complaint %(number)s upheld") % {"number": complaint.number},
        source=f"complaint-{complaint.pk}",
        link=link_of(complaint),
    )


def _attach(complaint: Complaint, *, actor: Actor, file: UploadedFile) -> Attachment:
    attachment = Attachment(
        agency_id=complaint.agency_id,
        complaint=complaint,
        file=file,
        original_name=PurePath(file.name or "").name[:255],
        uploaded_by=actor.user,
    )
    attachment.full_clean()
    attachment.save()
    return attachment


def _event(complaint: Complaint, kind: str, *, actor: Actor, text: str = "") -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        agency_id=complaint.agency_id,
        complaint=complaint,
        kind=kind,
        text=text.strip(),
        actor=actor.user,
    )


def _audit(
    complaint: Complaint, actor: Actor, action: str, changes: dict[str, Any] | None = None
) -> None:
    audit_record(
        agency=complaint.agency,
        actor=actor,
        action=action,
        target=complaint,
        changes={"number": complaint.number, **(changes or {})},
    )


def _local(complaint: Complaint, moment: datetime) -> str:
    return date_format(timezone.localtime(moment, complaint.agency.zone), "Y-m-d H:i")
