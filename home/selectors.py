"""The home pages' reads: how many things wait for each role, a fixed number of queries
whatever the row counts (each count one aggregate over the open or today's rows, through
the indexes of the lists they stand for).

Each function takes the agency and, for a member with a home branch, that branch: they
see their branch's work. Callbacks and revisits belong to a branch through their order;
those without an order (a customer's own request) belong to every branch.
"""

from datetime import datetime, time, timedelta
from typing import TypedDict

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from agency.models import Agency, Branch
from complaints import selectors as complaint_selectors
from complaints.models import ACTIVE, Deadline
from feedback import selectors as feedback_selectors
from feedback.models import RevisitKind, RevisitStatus
from orders.billing import selectors as billing_selectors
from orders.intake import selectors as intake_selectors
from orders.models import (
    AcceptanceRound,
    Assignment,
    AssignmentStatus,
    CardRefundStatus,
    InvoiceStatus,
    Order,
    OrderStatus,
    Punctuality,
    RoundOutcome,
    Signoff,
    Stage,
)
from orders.prepaid import selectors as prepaid_selectors
from orders.service import selectors as service_selectors
from staff import selectors as staff_selectors

#: A complaint's running deadline this close is "near": the dispatcher answers it now.
DEADLINE_NEAR = timedelta(hours=1)


def _day_bounds(agency: Agency, now: datetime) -> tuple[datetime, datetime]:
    """The agency's today, `[start, end)`, in its own time zone."""
    start = datetime.combine(agency.local_date(now), time.min, tzinfo=agency.zone)
    return start, start + timedelta(days=1)


def _of_branch(branch: Branch | None, path: str, *, or_without: str | None = None) -> Q:
    """Rows of `branch` through `path` (every row when there is no branch); with
    `or_without`, rows where that relation is empty (a callback without an order) too."""
    if branch is None:
        return Q()
    mine = Q(**{path: branch})
    return mine if or_without is None else mine | Q(**{f"{or_without}__isnull": True})


class Where(TypedDict):
    """Whose work: the agency, and the member's home branch (None: the whole agency)."""

    agency: Agency
    branch: Branch | None


class TodaysJobs(TypedDict):
    unstaffed: int
    unacknowledged: int
    late: int


#: How many of today's jobs the dispatcher's list names one by one (the rest: the board).
JOBS_NAMED = 30


def _todays(agency: Agency, branch: Branch | None, now: datetime) -> QuerySet[Order]:
    start, end = _day_bounds(agency, now)
    return Order.objects.filter(
        _of_branch(branch, "branch"), agency=agency, starts_at__gte=start, starts_at__lt=end
    )


def _needing_attention(agency: Agency, now: datetime) -> dict[str, Q]:
    """What makes one of today's jobs the dispatcher's, by line of the list:

    - unstaffed: confirmed, no staff confirmed yet;
    - unacknowledged: staffed, but the staff have not acknowledged it (确认接单);
    - late: a check-in late or a no-show (the attendance sweep's `punctuality`), or no
      check-in yet although the start and the agency's grace have passed.
    """
    confirmed = Assignment.objects.filter(
        agency=agency, order=OuterRef("pk"), status=AssignmentStatus.CONFIRMED
    )
    overdue = now - timedelta(minutes=agency.late_grace_minutes)
    marked_late = confirmed.filter(punctuality__in=(Punctuality.LATE, Punctuality.NO_SHOW))
    return {
        "unstaffed": Q(status=OrderStatus.CONFIRMED),
        "unacknowledged": Q(status=OrderStatus.ASSIGNED)
        & Q(Exists(confirmed.filter(acknowledged_at__isnull=True))),
        "late": Q(Exists(marked_late))
        | (
            Q(status=OrderStatus.ASSIGNED, starts_at__lt=overdue)
            & Q(Exists(confirmed.filter(arrived_at__isnull=True)))
        ),
    }


def todays_jobs(*, agency: Agency, branch: Branch | None, now: datetime) -> TodaysJobs:
    """How many of today's jobs need the dispatcher, by line: one query."""
    lines = _needing_attention(agency, now)
    counts = _todays(agency, branch, now).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in lines.items()}
    )
    return TodaysJobs(
        unstaffed=counts["unstaffed"],
        unacknowledged=counts["unacknowledged"],
        late=counts["late"],
    )


def todays_jobs_named(*, agency: Agency, branch: Branch | None, now: datetime) -> list[Order]:
    """The first of today's jobs that need the dispatcher, by start, each with a flag per
    line (`unstaffed`, `unacknowledged`, `late`) and its lead's name (`lead_name`): one
    query."""
    lines = _needing_attention(agency, now)
    lead = Assignment.objects.filter(
        agency=agency, order=OuterRef("pk"), status=AssignmentStatus.CONFIRMED
    ).order_by("role", "pk")  # "lead" sorts before "member"
    attention = Q()
    for condition in lines.values():
        attention |= condition
    flags = {key: ExpressionWrapper(condition, BooleanField()) for key, condition in lines.items()}
    return list(
        _todays(agency, branch, now)
        .filter(attention)
        .annotate(
            **flags,
            lead_name=Subquery(lead.values("staff__name")[:1]),
        )
        .select_related("agency", "customer")
        .order_by("starts_at", "pk")[:JOBS_NAMED]
    )


class Signatures(TypedDict):
    quotes: int
    staff_cards: int
    acceptances: int


def signatures_outstanding(*, agency: Agency, branch: Branch | None, now: datetime) -> Signatures:
    """What waits on the customer's signature: quotes of jobs from today on, staff proposed
    for them, and acceptances at the customer's stage (4). Three queries."""
    start, _end = _day_bounds(agency, now)
    quotes = Order.objects.filter(
        _of_branch(branch, "branch"),
        agency=agency,
        status=OrderStatus.QUOTED,
        starts_at__gte=start,
    ).count()
    # From the orders (their status index), not the assignments: proposals are few among
    # an agency's assignments, and no index of those leads with the status.
    proposed = Assignment.objects.filter(
        agency=agency, order=OuterRef("pk"), status=AssignmentStatus.PROPOSED
    )
    staff_cards = (
        Order.objects.filter(
            _of_branch(branch, "branch"),
            agency=agency,
            status__in=(OrderStatus.CONFIRMED, OrderStatus.ASSIGNED),
            starts_at__gte=start,
        )
        .filter(Exists(proposed))
        .count()
    )
    acceptances = (
        service_selectors.rounds_waiting(agency=agency, stage=Stage.CUSTOMER)
        .filter(_of_branch(branch, "order__branch"))
        .count()
    )
    return Signatures(quotes=quotes, staff_cards=staff_cards, acceptances=acceptances)


class Calls(TypedDict):
    callbacks: int
    revisits: int


def calls_due(*, agency: Agency, branch: Branch | None, now: datetime) -> Calls:
    """Callbacks (回电) and revisit calls due by the end of today: two queries."""
    _start, end = _day_bounds(agency, now)
    callbacks = (
        intake_selectors.callbacks_open(agency=agency)
        .filter(_of_branch(branch, "order__branch", or_without="order"), due_at__lt=end)
        .count()
    )
    revisits = (
        feedback_selectors.revisit_queue(agency=agency, now=now, view="today")
        .filter(_of_branch(branch, "order__branch", or_without="order"))
        .count()
    )
    return Calls(callbacks=callbacks, revisits=revisits)


def booking_requests_waiting(*, agency: Agency, branch: Branch | None) -> int:
    """The customers' booking requests waiting for a quote: one query. A request names no
    branch (the branch is chosen when it is quoted), so every dispatcher sees them all."""
    return intake_selectors.booking_requests_waiting(agency=agency).count()


def _running_deadlines(agency: Agency) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        agency=agency, complaint=OuterRef("pk"), met_at__isnull=True, cancelled_at__isnull=True
    )


def complaints_near_deadline(*, agency: Agency, branch: Branch | None, now: datetime) -> int:
    """Open complaints, not paused, with a deadline running out within the hour or past."""
    near = _running_deadlines(agency).filter(due_at__lt=now + DEADLINE_NEAR)
    return (
        complaint_selectors.complaints_for(agency=agency)
        .filter(_of_branch(branch, "branch"), status__in=ACTIVE, paused_at__isnull=True)
        .filter(Exists(near))
        .count()
    )


def complaints_breached(*, agency: Agency, branch: Branch | None) -> int:
    """Open complaints with a breached deadline still running (escalated to supervisors)."""
    breached = _running_deadlines(agency).filter(breached_at__isnull=False)
    return (
        complaint_selectors.complaints_for(agency=agency)
        .filter(_of_branch(branch, "branch"), status__in=ACTIVE)
        .filter(Exists(breached))
        .count()
    )


def complaints_without_owner(*, agency: Agency, branch: Branch | None) -> int:
    """Open complaints nobody owns (filed on the portal, or their owner gone): an alert."""
    return (
        complaint_selectors.complaints_for(agency=agency)
        .filter(_of_branch(branch, "branch"), status__in=ACTIVE, owner__isnull=True)
        .count()
    )


class SupervisorStages(TypedDict):
    team: int
    office: int


def acceptance_for_supervisor(
    *, agency: Agency, branch: Branch | None, user_id: int
) -> SupervisorStages:
    """Open rounds at the supervisors' stages (2 and 3): one query. The office stage of a
    round whose team stage this user signed is someone else's (DESIGN.md, "Acceptance")."""
    signed_team = Signoff.objects.filter(
        round=OuterRef("pk"), stage=Stage.TEAM_SUPERVISOR, signer_id=user_id
    )
    counts = AcceptanceRound.objects.filter(
        _of_branch(branch, "order__branch"), agency=agency, outcome=RoundOutcome.OPEN
    ).aggregate(
        team=Count("pk", filter=Q(next_stage=Stage.TEAM_SUPERVISOR)),
        office=Count("pk", filter=Q(next_stage=Stage.OFFICE_SUPERVISOR) & ~Q(Exists(signed_team))),
    )
    return SupervisorStages(team=counts["team"], office=counts["office"])


def low_scores_open(*, agency: Agency, branch: Branch | None) -> int:
    """Low-score follow-ups still to call (feedback sends them to the supervisors)."""
    return (
        feedback_selectors.revisits_for(agency=agency)
        .filter(_of_branch(branch, "order__branch", or_without="order"))
        .filter(kind=RevisitKind.LOW_SCORE, status=RevisitStatus.OPEN)
        .count()
    )


def time_off_requests(*, agency: Agency, branch: Branch | None) -> int:
    return (
        staff_selectors.time_off_pending(agency=agency)
        .filter(_of_branch(branch, "staff__home_branch"))
        .count()
    )


def certificates_expiring(*, agency: Agency, branch: Branch | None) -> int:
    """Certificates expiring within 30 days and not renewed (the staff list's rule)."""
    return (
        staff_selectors.certificates_expiring(agency=agency)
        .filter(_of_branch(branch, "staff__home_branch"))
        .count()
    )


class Invoices(TypedDict):
    drafts: int
    overdue: int


def invoices_waiting(*, agency: Agency, branch: Branch | None, now: datetime) -> Invoices:
    """Drafts to issue and invoices unpaid past their due date: one query over the open rows."""
    drafts = Q(status=InvoiceStatus.DRAFT)
    overdue = billing_selectors.overdue_q(agency.local_date(now))
    counts = (
        billing_selectors.invoices_for(agency=agency)
        .filter(_of_branch(branch, "branch"))
        .filter(drafts | overdue)
        .aggregate(drafts=Count("pk", filter=drafts), overdue=Count("pk", filter=overdue))
    )
    return Invoices(drafts=counts["drafts"], overdue=counts["overdue"])


class CardRefunds(TypedDict):
    to_approve: int
    to_pay_back: int


def card_refunds_waiting(*, agency: Agency) -> CardRefunds:
    """Prepaid card refunds waiting for a manager, and approved ones for finance: one query.
    A card belongs to no branch: the whole agency's."""
    counts = (
        prepaid_selectors.refunds_open(agency=agency)
        .order_by()
        .aggregate(
            to_approve=Count("pk", filter=Q(status=CardRefundStatus.REQUESTED)),
            to_pay_back=Count("pk", filter=Q(status=CardRefundStatus.APPROVED)),
        )
    )
    return CardRefunds(to_approve=counts["to_approve"], to_pay_back=counts["to_pay_back"])


def refunds_to_pay_back(*, agency: Agency, branch: Branch | None) -> int:
    return (
        billing_selectors.refunds_to_pay_back(agency=agency)
        .filter(_of_branch(branch, "invoice__branch"))
        .count()
    )


class Approvals(TypedDict):
    cancellations: int
    refunds: int


def approvals_waiting(*, agency: Agency, branch: Branch | None) -> Approvals:
    """Late cancellations (their fee) and refunds waiting for a manager: two queries."""
    return Approvals(
        cancellations=intake_selectors.cancellations_awaiting(agency=agency)
        .filter(_of_branch(branch, "order__branch"))
        .count(),
        refunds=billing_selectors.refunds_waiting(agency=agency)
        .filter(_of_branch(branch, "invoice__branch"))
        .count(),
    )
