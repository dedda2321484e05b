"""Escalation: the sweep's overdue deadlines up the ladder, and a major complaint at once.

DESIGN.md, "Timers" and "Complaints": a deadline past due is escalated to the
branch's supervisors, later to the managers, each step a row unique per
deadline and level with its notifications; a major complaint is reported to
the department head (the managers) when it is taken.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DateTimeField, DurationField, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agency.audit import Actor
from agency.models import Agency, Membership, Role, User
from agency.notifications import Notice, language_of, notify
from agency.permissions import Area, require
from complaints import policy as sla
from complaints.announcements import complaint_raised
from complaints.lifecycle import ComplaintConflict
from complaints.models import (
    ACTIVE,
    Complaint,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    Escalation,
    EscalationLevel,
    EventKind,
    Severity,
)
from complaints.services.shared import (
    complaint_lock,
    link_of,
    local_time,
    record_audit,
    record_event,
)


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
        return cls.for_agencies({d.complaint.agency for d in deadlines})

    @classmethod
    def for_agencies(cls, agencies: set[Agency]) -> "_Ladder":
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
                "time": local_time(complaint, deadline.due_at),
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


#: Who has the complaint at each rung, as the timeline and the customer say it.
HANDED_TO: dict[int, Promise] = {
    EscalationLevel.SUPERVISOR: gettext_lazy("the branch supervisor"),
    EscalationLevel.MANAGER: gettext_lazy("the manager"),
}


def _require_supervisor(complaint: Complaint, actor: Actor) -> None:
    require(
        actor,
        Area.COMPLAINT_ESCALATION,
        agency_id=complaint.agency_id,
        message=_("A supervisor or a manager escalates a complaint and changes its severity."),
    )


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})


def level_reached(complaint: Complaint) -> int:
    """The highest rung the complaint stands on: raised by hand or by a breached deadline."""
    by_sweep = max((d.level for d in complaint.deadlines.all()), default=0)
    return max(complaint.raised_to, by_sweep)


@transaction.atomic
def complaint_raise(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    """A supervisor or manager escalates by hand to the next rung of the sweep's ladder
    (the branch's supervisors, then the managers): they are told, the customer hears the
    complaint went higher, the reason is in the timeline."""
    complaint = complaint_lock(complaint, actor)
    _require_supervisor(complaint, actor)
    _require_reason(reason)
    if complaint.status not in ACTIVE:
        raise ComplaintConflict(_("Only an open complaint is escalated."))
    level = level_reached(complaint) + 1
    if level > EscalationLevel.MANAGER:
        raise ComplaintConflict(_("The managers have this complaint already."))
    complaint.raised_to = level
    complaint.save(update_fields=["raised_to"])
    recipients = _Ladder.for_agencies({complaint.agency}).recipients(complaint, level)
    event = record_event(
        complaint,
        EventKind.RAISED,
        actor=actor,
        text=_("Escalated to %(whom)s (%(names)s): %(reason)s")
        % {"whom": HANDED_TO[level], "names": _names(recipients), "reason": reason.strip()},
    )
    notices = []
    for user in recipients:
        with translation.override(language_of(user, complaint.agency)):
            notices.append(
                Notice(
                    agency_id=complaint.agency_id,
                    user=user,
                    key=f"complaint-raised-{event.pk}",
                    title=_("Complaint %(number)s escalated to you") % {"number": complaint.number},
                    body=f"{complaint.customer.name}: {reason.strip()[:300]}",
                    link=link_of(complaint),
                )
            )
    notify(notices)
    complaint_raised(complaint, event=event, level=lambda: str(HANDED_TO[level]))
    record_audit(complaint, actor, "complaint.raise", {"level": level, "reason": reason.strip()})
    return complaint


@transaction.atomic
def complaint_set_severity(
    *, complaint: Complaint, actor: Actor, severity: str, reason: str
) -> Complaint:
    """A supervisor or manager changes the severity; made major, it is reported to the
    department head at once, as at intake (once per complaint)."""
    complaint = complaint_lock(complaint, actor)
    _require_supervisor(complaint, actor)
    _require_reason(reason)
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    if severity == complaint.severity:
        raise ValidationError({"severity": _("The complaint has this severity already.")})
    before = complaint.severity
    complaint.severity = severity
    complaint.save(update_fields=["severity"])
    record_event(
        complaint,
        EventKind.SEVERITY_CHANGED,
        actor=actor,
        text=_("%(before)s → %(after)s: %(reason)s")
        % {
            "before": Severity(before).label,
            "after": Severity(severity).label,
            "reason": reason.strip(),
        },
    )
    already = Escalation.objects.filter(
        agency_id=complaint.agency_id, complaint=complaint, level=EscalationLevel.MAJOR
    ).exists()
    if severity == Severity.MAJOR and not already:
        report_major(complaint)
    record_audit(
        complaint,
        actor,
        "complaint.severity",
        {"severity": [before, severity], "reason": reason.strip()},
    )
    return complaint


def report_major(complaint: Complaint) -> None:
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
    record_event(
        complaint,
        EventKind.ESCALATED,
        actor=Actor.system(),
        text=_("Major complaint reported to the department head (%(names)s).")
        % {"names": _names(managers)},
    )


def _names(users: list[User]) -> str:
    return "、".join(user.get_full_name() or user.get_username() for user in users) or "—"
