"""Handling a complaint: respond, note, verify, second response, resolve, follow up,
close and reopen.

DESIGN.md, "Complaints": soft complaints are answered in 15 minutes and
verified in 30; hard ones answered in 1 hour, answered again in 3 hours with
the time they will be resolved, and followed up within 24 hours of the
resolution; an upheld complaint can carry a staff penalty.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor
from complaints import policy as sla
from complaints.announcements import (
    complaint_closed,
    complaint_resolved,
    complaint_step,
    promised_by,
)
from complaints.lifecycle import ComplaintConflict, complaint_transition
from complaints.models import (
    Complaint,
    ComplaintEvent,
    DeadlineKind,
    EventKind,
    RootCause,
    Status,
    Tier,
)
from complaints.services.deadlines import (
    add_deadline,
    cancel_deadlines,
    deadline_running,
    meet_deadline,
    open_deadlines,
)
from complaints.services.procedure import open_repair_deadlines, promise_reply
from complaints.services.shared import (
    complaint_lock,
    link_of,
    local_time,
    record_audit,
    record_event,
    require_text,
)
from feedback.complaint_revisits import complaint_follow_up_drop, complaint_follow_up_record
from feedback.revisits import schedule_complaint_follow_up
from orders.intake.services.customers import customer_do_not_send
from staff.services.records import staff_record_penalty


@transaction.atomic
def complaint_respond(
    *, complaint: Complaint, actor: Actor, text: str, reply_by: datetime | None = None
) -> Complaint:
    """A response to the customer: the first one meets the first-response deadline (and a
    repair's contact deadline); each keeps a reply promised. With `reply_by`, a soft
    complaint's customer is promised the next reply by then."""
    complaint = complaint_lock(complaint, actor)
    require_text(text)
    if complaint.status in (Status.OPEN, Status.REOPENED):
        complaint_transition(complaint=complaint, to=Status.RESPONDING)
    elif complaint.status != Status.RESPONDING:
        raise ComplaintConflict(_("This complaint is not waiting for a response."))
    for kind in (
        DeadlineKind.FIRST_RESPONSE,
        DeadlineKind.REPAIR_CONTACT,
        DeadlineKind.PROMISED_REPLY,
    ):
        meet_deadline(complaint, kind)
    response = record_event(complaint, EventKind.RESPONSE, actor=actor, text=text)
    complaint_step(complaint, event=response, step=text)
    if reply_by is not None:
        promise_reply(complaint, actor=actor, reply_by=reply_by)
    record_audit(
        complaint, actor, "complaint.respond", {"reply_by": reply_by and reply_by.isoformat()}
    )
    return complaint


@transaction.atomic
def complaint_note(*, complaint: Complaint, actor: Actor, text: str) -> ComplaintEvent:
    """An internal note on the timeline; it meets no deadline."""
    complaint = complaint_lock(complaint, actor)
    require_text(text)
    event = record_event(complaint, EventKind.NOTE, actor=actor, text=text)
    record_audit(complaint, actor, "complaint.note")
    return event


@transaction.atomic
def complaint_verify(*, complaint: Complaint, actor: Actor, text: str) -> Complaint:
    """A soft complaint's facts checked (核实), within its verification deadline."""
    complaint = complaint_lock(complaint, actor)
    require_text(text)
    if complaint.tier != Tier.SOFT:
        raise ComplaintConflict(
            _("Only a soft complaint is verified; a hard one gets a second response.")
        )
    _require_responded(complaint)
    meet_deadline(complaint, DeadlineKind.VERIFICATION)
    record_event(complaint, EventKind.VERIFICATION, actor=actor, text=text)
    record_audit(complaint, actor, "complaint.verify")
    return complaint


@transaction.atomic
def complaint_second_response(
    *, complaint: Complaint, actor: Actor, text: str, resolve_by: datetime
) -> Complaint:
    """A hard complaint's second response, which sets the time it will be resolved by."""
    complaint = complaint_lock(complaint, actor)
    require_text(text)
    if complaint.tier != Tier.HARD:
        raise ComplaintConflict(_("Only a hard complaint gets a second response."))
    _require_responded(complaint)
    if resolve_by <= timezone.now():
        raise ValidationError({"resolve_by": _("The resolution time must be in the future.")})
    meet_deadline(complaint, DeadlineKind.SECOND_RESPONSE)
    cancel_deadlines(complaint, DeadlineKind.RESOLUTION)
    add_deadline(complaint, DeadlineKind.RESOLUTION, due_at=resolve_by, office_hours=False)
    when = local_time(complaint, resolve_by)
    response = record_event(
        complaint,
        EventKind.SECOND_RESPONSE,
        actor=actor,
        text=f"{text.strip()}\n" + _("To be resolved by %(time)s.") % {"time": when},
    )
    complaint_step(complaint, event=response, step=lambda: f"{text.strip()} {promised_by(when)}")
    record_audit(
        complaint, actor, "complaint.second_response", {"resolve_by": resolve_by.isoformat()}
    )
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
    complaint = complaint_lock(complaint, actor)
    require_text(text)
    if complaint.status != Status.RESPONDING:
        raise ComplaintConflict(_("Respond to the customer before resolving."))
    if complaint.tier == Tier.SOFT and deadline_running(complaint, DeadlineKind.VERIFICATION):
        raise ComplaintConflict(_("Verify the complaint before resolving it."))
    if complaint.tier == Tier.HARD and deadline_running(complaint, DeadlineKind.SECOND_RESPONSE):
        raise ComplaintConflict(_("Give the second response, with the resolution time, first."))
    if (upheld is not None or do_not_send) and complaint.staff is None:
        raise ValidationError({"upheld": _("No staff member is concerned by this complaint.")})
    now = timezone.now()
    meet_deadline(complaint, DeadlineKind.RESOLUTION)
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
            assignee=complaint.owner,
            note=_("Complaint %(number)s resolved: %(text)s")
            % {"number": complaint.number, "text": text.strip()[:200]},
        )
    resolution = record_event(complaint, EventKind.RESOLUTION, actor=actor, text=text)
    complaint_resolved(complaint, event=resolution)
    if upheld and complaint.staff is not None:
        _uphold(complaint, actor=actor, penalty=policy.penalty_per_upheld_complaint)
    if do_not_send and complaint.staff is not None:
        customer_do_not_send(
            customer=complaint.customer,
            staff=complaint.staff,
            actor=actor,
            reason=_("Complaint %(number)s") % {"number": complaint.number},
        )
    record_audit(complaint, actor, "complaint.resolve", {"upheld": upheld})
    return complaint


@transaction.atomic
def complaint_follow_up(
    *, complaint: Complaint, actor: Actor, satisfaction: int, text: str = ""
) -> Complaint:
    """The satisfaction follow-up after the resolution, with the customer's score (1–5);
    a hard complaint's is its follow-up revisit, logged as reached."""
    complaint = complaint_lock(complaint, actor)
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
    record_event(
        complaint,
        EventKind.FOLLOW_UP,
        actor=actor,
        text=_("Satisfaction %(score)s/5.") % {"score": satisfaction}
        + (f" {text.strip()}" if text.strip() else ""),
    )
    record_audit(complaint, actor, "complaint.follow_up", {"satisfaction": satisfaction})
    return complaint


@transaction.atomic
def complaint_close(
    *, complaint: Complaint, actor: Actor, text: str, root_cause: str, root_cause_note: str
) -> Complaint:
    """Closed, with its root cause (a category and words, refused without them): the
    deadlines still running no longer apply; the customer is told."""
    complaint = complaint_lock(complaint, actor)
    errors = {}
    if not text.strip():
        errors["text"] = _("Write what was said or done.")
    if root_cause not in RootCause.values:
        errors["root_cause"] = _("Choose the root cause before closing.")
    if not root_cause_note.strip():
        errors["root_cause_note"] = _("Say what caused it before closing.")
    if errors:
        raise ValidationError(errors)
    complaint.root_cause = root_cause
    complaint.root_cause_note = root_cause_note.strip()
    complaint.closed_at = timezone.now()
    # A closed complaint waits on nobody: a later reopen starts with running clocks.
    complaint.paused_at = None
    complaint.pause_reason = ""
    complaint_transition(
        complaint=complaint,
        to=Status.CLOSED,
        also=["closed_at", "paused_at", "pause_reason", "root_cause", "root_cause_note"],
    )
    cancel_deadlines(complaint)
    _drop_follow_up(complaint, reason=_("Complaint closed."))
    closed = record_event(
        complaint,
        EventKind.CLOSED,
        actor=actor,
        text=f"{text.strip()}\n"
        + _("Root cause: %(cause)s. %(note)s")
        % {"cause": RootCause(root_cause).label, "note": complaint.root_cause_note},
    )
    complaint_closed(complaint, event=closed)
    record_audit(complaint, actor, "complaint.close", {"root_cause": root_cause})
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, actor: Actor, text: str) -> Complaint:
    """The customer is not satisfied: the complaint's clocks start again from now."""
    complaint = complaint_lock(complaint, actor)
    require_text(text)
    complaint_transition(complaint=complaint, to=Status.REOPENED)
    cancel_deadlines(complaint)
    _drop_follow_up(complaint, reason=_("Complaint reopened."))
    open_deadlines(complaint, start=timezone.now())
    open_repair_deadlines(complaint, start=timezone.now())
    record_event(complaint, EventKind.REOPENED, actor=actor, text=text)
    record_audit(complaint, actor, "complaint.reopen")
    return complaint


def _require_responded(complaint: Complaint) -> None:
    if complaint.status != Status.RESPONDING:
        raise ComplaintConflict(_("Give the first response before this."))


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
