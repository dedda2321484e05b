"""The agencies' written procedure around the handling (issue 19): the owner answerable for
a complaint, the reply-by time promised to a soft complaint's customer, and a repair's
warranty assessment.

DESIGN.md, "Complaints and management rules": a complaint has a named owner; a soft
complaint's customer is promised a next-reply time, kept like any deadline; a repair or
installation is answered under the warranty rules (contact within 1 working day, a
definitive answer within 72 hours). Each is a deadline on the sweep or a timeline entry.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor
from agency.models import Agency, Membership, User
from agency.permissions import ACCESS, Area
from complaints import policy as sla
from complaints.announcements import complaint_reply_promised, complaint_step
from complaints.lifecycle import ComplaintConflict
from complaints.models import (
    ACTIVE,
    Complaint,
    DeadlineKind,
    EventKind,
    Status,
    Tier,
    WarrantyVerdict,
)
from complaints.services.deadlines import add_deadline, cancel_deadlines, meet_deadline
from complaints.services.shared import (
    complaint_lock,
    local_time,
    record_audit,
    record_event,
)
from feedback.complaint_revisits import complaint_follow_up_of
from feedback.models import RevisitStatus
from feedback.revisits import revisit_assign

#: A repair's definitive answer: within 72 hours of the complaint, around the clock.
WARRANTY_ANSWER_WITHIN = timedelta(hours=72)


def possible_owners(agency: Agency) -> QuerySet[User]:
    """The agency's active office members: who may own a complaint."""
    members = Membership.objects.filter(
        agency=agency, is_active=True, role__in=ACCESS[Area.COMPLAINTS]
    ).values("user_id")
    return User.objects.filter(pk__in=members).order_by("first_name", "username")


def owner_error(agency: Agency, owner: User | None) -> str | None:
    if owner is not None and not possible_owners(agency).filter(pk=owner.pk).exists():
        return _("Choose a member of this agency's office.")
    return None


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor: Actor, owner: User, reason: str) -> Complaint:
    """Hand the complaint to another owner, saying why (the timeline and the audit keep it)."""
    complaint = complaint_lock(complaint, actor)
    errors = {}
    if error := owner_error(complaint.agency, owner):
        errors["owner"] = error
    elif owner.pk == complaint.owner_id:
        errors["owner"] = _("This member owns the complaint already.")
    if not reason.strip():
        errors["reason"] = _("Say why.")
    if errors:
        raise ValidationError(errors)
    if complaint.status == Status.CLOSED:
        raise ComplaintConflict(_("A closed complaint keeps its owner."))
    before = complaint.owner
    complaint.owner = owner
    complaint.save(update_fields=["owner"])
    # One owner for the follow-up too: a call still waiting moves with the complaint.
    follow_up = complaint_follow_up_of(agency=complaint.agency, source=complaint.follow_up_source)
    if follow_up is not None and follow_up.status == RevisitStatus.OPEN:
        revisit_assign(revisit=follow_up, actor=actor, assignee=owner)
    record_event(
        complaint,
        EventKind.OWNER_CHANGED,
        actor=actor,
        text=_("%(before)s → %(after)s: %(reason)s")
        % {"before": _name(before), "after": _name(owner), "reason": reason.strip()},
    )
    record_audit(
        complaint,
        actor,
        "complaint.assign",
        {"owner": [before.pk if before else None, owner.pk], "reason": reason.strip()},
    )
    return complaint


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "—"


@transaction.atomic
def complaint_promise_reply(*, complaint: Complaint, actor: Actor, reply_by: datetime) -> Complaint:
    """The office promises a soft complaint's customer a reply by a time: a deadline on
    the sweep, met by the next response to the customer."""
    complaint = complaint_lock(complaint, actor)
    promise_reply(complaint, actor=actor, reply_by=reply_by)
    record_audit(complaint, actor, "complaint.promise_reply", {"reply_by": reply_by.isoformat()})
    return complaint


def promise_reply(complaint: Complaint, *, actor: Actor, reply_by: datetime) -> None:
    """Within a service's transaction, the complaint locked: the promise's deadline (a new
    promise replaces the one running), its timeline entry and the customer's message."""
    if complaint.tier != Tier.SOFT:
        raise ValidationError(
            {
                "reply_by": _(
                    "A reply time is promised on a soft complaint; a hard one's second "
                    "response sets its resolution time."
                )
            }
        )
    if reply_by <= timezone.now():
        raise ValidationError({"reply_by": _("The reply time must be in the future.")})
    if complaint.status not in ACTIVE:
        raise ComplaintConflict(_("Only an open complaint is promised a reply."))
    cancel_deadlines(complaint, DeadlineKind.PROMISED_REPLY)
    # Wall-clock: the customer was told a time, not an amount of office hours.
    add_deadline(complaint, DeadlineKind.PROMISED_REPLY, due_at=reply_by, office_hours=False)
    when = local_time(complaint, reply_by)
    event = record_event(
        complaint,
        EventKind.REPLY_PROMISED,
        actor=actor,
        text=_("Reply promised by %(time)s.") % {"time": when},
    )
    complaint_reply_promised(complaint, event=event, reply_by=when)


def is_repair(complaint: Complaint) -> bool:
    order = complaint.order
    return order is not None and order.service_type.is_repair


def open_repair_deadlines(complaint: Complaint, *, start: datetime) -> None:
    """A complaint about a repair or installation: the customer contacted within 1 working
    day (office hours, the agency's holidays) and a definitive answer within 72 hours."""
    if not is_repair(complaint) or complaint.warranty_verdict:
        return
    office = sla.clock_for(complaint.agency, office_hours=True)
    add_deadline(
        complaint,
        DeadlineKind.REPAIR_CONTACT,
        due_at=office.working_days_after(start, 1),
        office_hours=True,
    )
    add_deadline(
        complaint,
        DeadlineKind.WARRANTY_ANSWER,
        due_at=start + WARRANTY_ANSWER_WITHIN,
        office_hours=False,
    )


@transaction.atomic
def complaint_assess_warranty(
    *, complaint: Complaint, actor: Actor, verdict: str, note: str
) -> Complaint:
    """The repair assessed under the warranty rules: the verdict, with a note, is the
    definitive answer the customer is given (it meets the 72-hour deadline)."""
    complaint = complaint_lock(complaint, actor)
    errors = {}
    if verdict not in WarrantyVerdict.values:
        errors["verdict"] = _("Choose the verdict.")
    if not note.strip():
        errors["note"] = _("Say what was found.")
    if errors:
        raise ValidationError(errors)
    if not is_repair(complaint):
        raise ComplaintConflict(_("Only a complaint about a repair or installation is assessed."))
    if complaint.status not in ACTIVE:
        raise ComplaintConflict(_("Only an open complaint is assessed."))
    complaint.warranty_verdict = verdict
    complaint.warranty_note = note.strip()
    complaint.save(update_fields=["warranty_verdict", "warranty_note"])
    meet_deadline(complaint, DeadlineKind.WARRANTY_ANSWER)
    label = WarrantyVerdict(verdict)
    event = record_event(
        complaint, EventKind.WARRANTY, actor=actor, text=f"{label.label}: {note.strip()}"
    )
    complaint_step(complaint, event=event, step=lambda: f"{label.label}: {note.strip()}")
    record_audit(complaint, actor, "complaint.warranty", {"verdict": verdict})
    return complaint
