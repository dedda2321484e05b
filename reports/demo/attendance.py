"""The history's attendance, as check-in, check-out and the no-show sweep would have left
it (orders.staffing.attendance): most leads arrive within the agency's grace, every
seventh served job's lead is late, now and then one leaves early, one checks in away
from the job's district, and one job's first lead never came and was replaced."""

from datetime import timedelta

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from orders.models import Assignment, AssignmentRole, AssignmentStatus, OrderEvent, Punctuality
from reports.demo.cast import Cast
from reports.demo.planning import Job

LATE_EVERY = 7
EARLY_EVERY = 23
EARLY_MINUTES = 40
#: Which served job's check-in was elsewhere, and which one's first lead never came.
OFF_DISTRICT_AT = 1


def no_show_at(served: list[tuple[Job, Assignment]]) -> int:
    return len(served) // 2


def arrive(cast: Cast, served: list[tuple[Job, Assignment]]) -> None:
    """Each served job's lead: when they arrived and left, and how that reads."""
    agency = cast.agency
    replaced = no_show_at(served)
    for n, (job, lead) in enumerate(served):
        starts = job.starts
        if n == replaced:
            # The stand-in came once the dispatcher called, the no-show time after the start.
            starts = job.starts + timedelta(minutes=agency.no_show_after_minutes)
            lead.period = DateTimeTZRange(starts, job.ends)
        minutes = 12 + (n * 7) % 25 if n % LATE_EVERY == 3 else n % 6
        lead.arrived_at = starts + timedelta(minutes=minutes)
        lead.late_minutes = minutes
        late = minutes > agency.late_grace_minutes
        lead.punctuality = Punctuality.LATE if late else Punctuality.ON_TIME
        lead.arrived_off_district = n == OFF_DISTRICT_AT
        early = EARLY_MINUTES if n % EARLY_EVERY == 11 else 0
        lead.left_at = job.ends - timedelta(minutes=early)
        lead.left_early_minutes = early


def no_show(cast: Cast, served: list[tuple[Job, Assignment]]) -> list[OrderEvent]:
    """The timeline of the job whose first lead never came (the sweep's line)."""
    if not served:
        return []
    job, _lead = served[no_show_at(served)]
    due = job.starts + timedelta(minutes=cast.agency.no_show_after_minutes)
    return [
        OrderEvent(
            agency=cast.agency,
            order=job.order,
            actor=None,
            reason=cast.say("服务人员开始后仍未到岗，已通知调度员换人。"),
            created_at=due,
        )
    ]


def no_show_assignments(cast: Cast, served: list[tuple[Job, Assignment]]) -> list[Assignment]:
    """The first lead who never came, released and replaced by the job's lead (saved)."""
    if not served:
        return []
    job, lead = served[no_show_at(served)]
    stand_in = next((m for m in cast.staff if m != job.staff), None)
    if stand_in is None:
        return []
    due = job.starts + timedelta(minutes=cast.agency.no_show_after_minutes)
    return [
        Assignment(
            agency=cast.agency,
            order=job.order,
            staff=stand_in,
            role=AssignmentRole.LEAD,
            status=AssignmentStatus.RELEASED,
            period=DateTimeTZRange(job.starts, due),
            proposed_by=cast.office,
            proposed_at=job.confirmed,
            confirmed_at=job.confirmed + timedelta(minutes=30),
            confirmed_via="phone",
            released_at=due,
            release_reason=cast.say("未到岗，已换人。"),
            replaced_by=lead,
            punctuality=Punctuality.NO_SHOW,
        )
    ]
