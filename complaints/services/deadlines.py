"""A complaint's deadlines: opened per tier, met, cancelled, paused and resumed.

DESIGN.md, "Complaints": each deadline counts on the clock its tier's policy
says (around the clock or office hours only); a pause stops every running
clock of the complaint, each keeping its time left, and resuming moves them
on by the time they stood still.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor
from complaints import policy as sla
from complaints.lifecycle import ComplaintConflict
from complaints.models import ACTIVE, Complaint, Deadline, EscalationLevel, EventKind
from complaints.services.shared import complaint_lock, record_audit, record_event


@transaction.atomic
def complaint_pause(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    """Stop the clocks while waiting on the customer; each running deadline keeps its time left."""
    complaint = complaint_lock(complaint, actor)
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
    record_event(complaint, EventKind.PAUSED, actor=actor, text=reason)
    record_audit(complaint, actor, "complaint.pause", {"reason": complaint.pause_reason})
    return complaint


@transaction.atomic
def complaint_resume(*, complaint: Complaint, actor: Actor) -> Complaint:
    """Start the clocks again: each running deadline moves on by the time it stood still."""
    complaint = complaint_lock(complaint, actor)
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
    record_event(
        complaint,
        EventKind.RESUMED,
        actor=actor,
        text=_("Paused for %(hours)s h %(minutes)s min.") % {"hours": hours, "minutes": rest},
    )
    record_audit(complaint, actor, "complaint.resume")
    return complaint


def open_deadlines(complaint: Complaint, *, start: datetime) -> None:
    policy = sla.policy_for(complaint.agency)
    office_hours = sla.counts_office_hours(policy, complaint.tier)
    clock = sla.clock_for(complaint.agency, office_hours=office_hours)
    for rule in sla.opening_deadlines(policy, complaint.tier):
        add_deadline(
            complaint, rule.kind, due_at=clock.add(start, rule.within), office_hours=office_hours
        )


def add_deadline(
    complaint: Complaint, kind: str, *, due_at: datetime, office_hours: bool
) -> Deadline:
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


def _running(complaint: Complaint) -> QuerySet[Deadline]:
    """The complaint's deadlines still running: neither met nor cancelled (the rows the
    partial unique index `deadline_one_running_per_kind` covers)."""
    return Deadline.objects.filter(
        agency_id=complaint.agency_id,
        complaint=complaint,
        met_at__isnull=True,
        cancelled_at__isnull=True,
    )


def _running_deadlines(complaint: Complaint) -> list[Deadline]:
    return list(_running(complaint).select_for_update())


def deadline_running(complaint: Complaint, kind: str) -> bool:
    return _running(complaint).filter(kind=kind).exists()


def meet_deadline(complaint: Complaint, kind: str) -> None:
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


def cancel_deadlines(complaint: Complaint, kind: str | None = None) -> None:
    for deadline in _running_deadlines(complaint):
        if kind is None or deadline.kind == kind:
            deadline.cancelled_at = timezone.now()
            deadline.next_escalation_at = None
            deadline.save(update_fields=["cancelled_at", "next_escalation_at"])
