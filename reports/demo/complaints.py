"""The history's complaints, soft and hard, with their deadlines, their log and a hard
complaint's follow-up call, handled mostly in time."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from agency.demo import in_language
from complaints import policy as sla
from complaints.models import (
    SUGGESTED_TIER,
    Category,
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    EventKind,
    SlaPolicy,
    Status,
    Tier,
)
from feedback.models import Revisit, RevisitKind, RevisitOutcome, RevisitStatus
from reports.demo.cast import Cast
from reports.demo.planning import Job, Week
from reports.demo.rows import bulk, document_numbers
from reports.periods import monday_of

COMPLAINTS = {
    Category.ATTITUDE: "客户反映阿姨说话不耐烦。",
    Category.LATENESS: "阿姨迟到四十分钟，未提前告知。",
    Category.ENVIRONMENT: "打扫后垃圾未带走。",
    Category.MANNER: "服务期间长时间打私人电话。",
    Category.DAMAGE: "擦拭时划伤了实木餐桌。",
    Category.FAULT: "厨房油烟机未清洁，与约定不符。",
    Category.LOSS: "客户找不到放在茶几上的充电器。",
}
COMPLAINT_WEIGHTS = {
    Category.ATTITUDE: 3,
    Category.LATENESS: 3,
    Category.ENVIRONMENT: 2,
    Category.MANNER: 1,
    Category.DAMAGE: 1,
    Category.FAULT: 2,
    Category.LOSS: 1,
}


@dataclass
class Handling:
    """One complaint as it was handled: its deadlines (kind, due, met) and its log."""

    complaint: Complaint
    deadlines: list[tuple[str, datetime, datetime | None, bool]] = field(default_factory=list)
    events: list[tuple[str, datetime, str]] = field(default_factory=list)


def write_complaints(
    cast: Cast, weeks: list[Week], jobs: list[Job], rng: random.Random, now: datetime
) -> None:
    """A few complaints a week about the week's served orders, soft and hard, answered and
    completed mostly within their deadlines."""
    served: dict[date, list[tuple[Job, datetime]]] = defaultdict(list)
    for job in jobs:
        if job.accepted is not None:
            served[monday_of(job.starts.date())].append((job, job.accepted))
    handlings = []
    for week in weeks:
        candidates = served[week.monday]
        for job, accepted in rng.sample(candidates, min(week.complaints, len(candidates))):
            handlings.append(_handle(cast, job, accepted, week, rng, now))
    handlings.sort(key=lambda h: h.complaint.received_at)
    received = [h.complaint.received_at for h in handlings]
    numbers = document_numbers(cast.agency, "complaint", "C", received, digits=4)
    for handling, number in zip(handlings, numbers, strict=True):
        handling.complaint.number = number
    complaints = bulk(Complaint, [h.complaint for h in handlings])
    bulk(
        Deadline,
        [
            Deadline(
                agency=cast.agency,
                complaint=complaint,
                kind=kind,
                office_hours=office_hours,
                due_at=due,
                met_at=met,
                breached_at=due if met is not None and met > due else None,
                next_escalation_at=due if met is None else None,
                created_at=complaint.received_at,
            )
            for handling, complaint in zip(handlings, complaints, strict=True)
            for kind, due, met, office_hours in handling.deadlines
            if kind != DeadlineKind.FOLLOW_UP
        ],
    )
    # A hard complaint's follow-up is its revisit call, its only record.
    bulk(
        Revisit,
        [
            _follow_up_call(cast, complaint, due, met, now)
            for handling, complaint in zip(handlings, complaints, strict=True)
            for kind, due, met, _office_hours in handling.deadlines
            if kind == DeadlineKind.FOLLOW_UP
        ],
    )
    bulk(
        ComplaintEvent,
        [
            ComplaintEvent(
                agency=cast.agency,
                complaint=complaint,
                kind=kind,
                text=text,
                actor=cast.office,
                created_at=at,
            )
            for handling, complaint in zip(handlings, complaints, strict=True)
            for kind, at, text in handling.events
        ],
    )


def _follow_up_call(
    cast: Cast, complaint: Complaint, due: datetime, done: datetime | None, now: datetime
) -> Revisit:
    """The follow-up revisit of a resolved hard complaint: done when it was followed up,
    else waiting (escalated at its due time, if that has come). Only a resolved complaint
    is followed up, so its resolution time and the source it names are set."""
    return Revisit(
        agency=cast.agency,
        customer_id=complaint.customer_id,
        order=complaint.order,
        kind=RevisitKind.COMPLAINT_FOLLOW_UP,
        source=complaint.follow_up_source or "",
        due_at=due,
        status=RevisitStatus.OPEN if done is None else RevisitStatus.DONE,
        attempts=0 if done is None else 1,
        outcome="" if done is None else RevisitOutcome.REACHED,
        satisfaction=complaint.satisfaction,
        done_at=done,
        done_by=None if done is None else cast.office,
        next_action_at=due if done is None else None,
        escalated_at=due if done is None and due <= now else None,
        created_at=complaint.resolved_at or due,
    )


def _handle(
    cast: Cast, job: Job, accepted: datetime, week: Week, rng: random.Random, now: datetime
) -> Handling:
    category = rng.choices(list(COMPLAINT_WEIGHTS), list(COMPLAINT_WEIGHTS.values()))[0]
    tier = SUGGESTED_TIER[category]
    received = min(_office_time(accepted + timedelta(hours=rng.uniform(1, 30)), rng), now)
    complaint = Complaint(
        agency=cast.agency,
        branch=job.branch,
        customer_id=job.order.customer_id,
        order=job.order,
        staff=job.staff,
        channel=rng.choice((ComplaintChannel.PHONE, ComplaintChannel.PHONE, ComplaintChannel.LINK)),
        category=category,
        tier=tier,
        description=cast.say(COMPLAINTS[category]),
        desired_outcome=cast.say("希望公司给个说法。"),
        received_at=received,
        taken_by=cast.office,
        created_at=received,
    )
    handling = Handling(complaint)
    handling.events.append((EventKind.TAKEN, received, complaint.description))
    clock, office_hours = cast.clock(tier)
    policy = sla.policy_for(cast.agency)

    def step(
        kind: str, due: datetime, after: datetime, hours: bool = office_hours
    ) -> datetime | None:
        """The deadline met (in time, or late for some), if that time has come."""
        if rng.random() < week.late_rate:
            met = due + timedelta(minutes=rng.randint(10, 240))
        else:
            met = after + max(due - after, timedelta(minutes=10)) * rng.uniform(0.2, 0.95)
        met = max(met, after + timedelta(minutes=2))
        done = met if met <= now else None
        handling.deadlines.append((kind, due, done, hours))
        return done

    responded = step(
        DeadlineKind.FIRST_RESPONSE, clock.add(received, _within(policy, tier, 0)), received
    )
    if responded is None:
        return handling
    complaint.status = Status.RESPONDING
    handling.events.append(
        (EventKind.RESPONSE, responded, cast.say("已致电客户道歉，正在核实情况。"))
    )
    second = step(
        DeadlineKind.VERIFICATION if tier == Tier.SOFT else DeadlineKind.SECOND_RESPONSE,
        clock.add(received, _within(policy, tier, 1)),
        responded,
    )
    if second is None:
        return handling
    if tier == Tier.SOFT:
        handling.events.append(
            (EventKind.VERIFICATION, second, cast.say("已与服务人员核实，情况属实。"))
        )
        soon = second + timedelta(minutes=rng.randint(10, 60))
        resolved: datetime | None = soon if soon <= now else None
    else:
        resolve_by = second + timedelta(days=rng.randint(1, 3))
        handling.events.append(
            (EventKind.SECOND_RESPONSE, second, cast.say("已确认为我方问题，安排上门处理。"))
        )
        resolved = step(DeadlineKind.RESOLUTION, resolve_by, second, hours=False)
    if resolved is None:
        return handling
    complaint.status, complaint.resolved_at = Status.RESOLVED, resolved
    handling.events.append(
        (EventKind.RESOLUTION, resolved, cast.say("已处理完毕，客户认可处理结果。"))
    )
    if tier == Tier.SOFT:
        closed = resolved + timedelta(hours=rng.uniform(2, 30))
        if closed <= now:
            complaint.status, complaint.closed_at = Status.CLOSED, closed
            handling.events.append((EventKind.CLOSED, closed, cast.say("已回访，客户无其他意见。")))
        return handling
    followed = step(
        DeadlineKind.FOLLOW_UP, resolved + policy.follow_up_after_resolution, resolved, hours=False
    )
    if followed is not None:
        complaint.status, complaint.satisfaction = Status.FOLLOWED_UP, rng.choice((3, 4, 4, 5, 5))
        handling.events.append(
            (
                EventKind.FOLLOW_UP,
                followed,
                in_language(
                    cast.agency,
                    f"满意度 {complaint.satisfaction}/5。",
                    f"Satisfaction {complaint.satisfaction}/5.",
                ),
            )
        )
    return handling


def _office_time(moment: datetime, rng: random.Random) -> datetime:
    """The moment, or the next working morning if the office is closed then: customers
    mostly call while it is open."""
    if moment.weekday() < 5 and time(9) <= moment.time() < time(17, 30):
        return moment
    day = moment.date() + timedelta(days=0 if moment.time() < time(9) else 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(9), tzinfo=moment.tzinfo) + timedelta(
        minutes=rng.randint(0, 180)
    )


def _within(policy: SlaPolicy, tier: str, index: int) -> timedelta:
    """The SLA's time for the tier's opening deadline (0: first response, 1: the next)."""
    return sla.opening_deadlines(policy, tier)[index].within
