"""Feedback and revisit figures for the reports: satisfaction, participation, revisit completion.

DESIGN.md, "Targets the reports measure": customer satisfaction at least 85%,
feedback participation at least 70% — the agency's own targets, on its
`FeedbackPolicy`. Each selector takes the agency, a period `[start, end)` and
optionally a branch (the order's branch), and aggregates in the database: one
query for the policy, one for the figure.

Values are fractions rounded to four places (0.8333), like
`complaints.figures`; targets are fractions too (85% is 0.85).

Definitions (what a report may say about them):

- Satisfaction: over the feedback responses *submitted in the period*, the
  share whose overall score is 4 or 5, and the mean overall score (two
  places). Only the customers' own answers count; a score given on the phone
  during a revisit is a phone survey and is not in it.
- Participation: of the orders *accepted in the period* (an `OrderEvent` to
  "accepted" in the period; an order accepted twice in it counts once), the
  share whose customer answered the feedback form. A response counts for its
  order, whenever it came: so the figure of a period can still rise until
  the last of its links expires (the policy's `link_valid_for` after
  acceptance), and is final after that.
- Revisit completion: of the revisits *due in the period* (their current due
  time: a call not reached and retried is due at its retry), not counting the
  ones dropped (their order was cancelled: nothing is owed), the share done
  or sent. A call closed after the policy's attempts without reaching the
  customer counts as done: the procedure was followed. DESIGN.md sets no
  target for it, so `target` and `met` are None.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet

from agency.figures import percent_target
from agency.models import Agency, Branch
from feedback.models import FeedbackResponse, Revisit, RevisitStatus
from orders.models import Order, OrderEvent, OrderStatus

FOUR_PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    """A measured share against its target. `value` and `met` are None when there was
    nothing to measure (`measured` is 0); `target` and `met` are None without a target."""

    value: Decimal | None
    target: Decimal | None
    met: bool | None
    #: How many responses, orders or revisits the value is over.
    measured: int


@dataclass(frozen=True)
class SatisfactionFigure(Figure):
    #: The mean overall score (1–5), two places; None when nothing was measured.
    average: Decimal | None = None


def satisfaction(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> SatisfactionFigure:
    """Share of the responses submitted in the period with an overall score of 4 or 5, and
    the mean overall score; against the policy's satisfaction target (85% by default)."""
    target = percent_target(agency.satisfaction_target_percent)
    responses = FeedbackResponse.objects.filter(
        agency=agency, submitted_at__gte=start, submitted_at__lt=end
    )
    if branch is not None:
        responses = responses.filter(request__order__branch=branch)
    row = responses.aggregate(
        measured=Count("id"),
        satisfied=Count("id", filter=Q(overall__gte=4)),
        average=Avg("overall"),
    )
    value = _share(row["satisfied"], row["measured"])
    return SatisfactionFigure(
        value=value,
        target=target,
        met=_met(value, target),
        measured=row["measured"],
        average=None
        if row["average"] is None
        else Decimal(str(row["average"])).quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
    )


def participation(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Figure:
    """Share of the orders accepted in the period whose customer answered the feedback
    form (whenever); against the policy's participation target (70% by default)."""
    target = percent_target(agency.participation_target_percent)
    # Counted over the period's events alone (the agency's index on them), not over every
    # order the agency ever had.
    answered = FeedbackResponse.objects.filter(request__order=OuterRef("order_id"))
    row = _accepted_in_period(agency, start, end, branch).aggregate(
        measured=Count("order", distinct=True),
        answered=Count("order", distinct=True, filter=Exists(answered)),
    )
    value = _share(row["answered"], row["measured"])
    return Figure(value=value, target=target, met=_met(value, target), measured=row["measured"])


def accepted_orders(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> QuerySet[Order]:
    """The orders `participation` is over (the rows behind the figure): accepted in the
    period, each once, with `has_answer`: whether its customer answered the feedback form."""
    accepted = _accepted_in_period(agency, start, end, branch).values("order_id")
    answered = FeedbackResponse.objects.filter(request__order=OuterRef("pk"))
    orders: QuerySet[Order] = Order.objects.filter(pk__in=accepted, agency=agency)
    return orders.annotate(has_answer=Exists(answered))


def _accepted_in_period(
    agency: Agency, start: datetime, end: datetime, branch: Branch | None
) -> QuerySet[OrderEvent]:
    """The period's "accepted" events of the agency (of the branch's orders)."""
    events = OrderEvent.objects.filter(
        agency=agency, to_status=OrderStatus.ACCEPTED, created_at__gte=start, created_at__lt=end
    )
    return events if branch is None else events.filter(order__branch=branch)


def revisit_completion(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Figure:
    """Share of the revisits due in the period (not dropped, nor held while the customer
    has a complaint being handled) that are done or sent; no target. With a branch: the
    revisits of that branch's orders (periodic revisits and callbacks without an order
    are then left out)."""
    due = Revisit.objects.filter(agency=agency, due_at__gte=start, due_at__lt=end).exclude(
        status__in=[RevisitStatus.DROPPED, RevisitStatus.HELD]
    )
    if branch is not None:
        due = due.filter(order__branch=branch)
    row = due.aggregate(
        measured=Count("id"),
        completed=Count("id", filter=Q(status__in=[RevisitStatus.DONE, RevisitStatus.SENT])),
    )
    value = _share(row["completed"], row["measured"])
    return Figure(value=value, target=None, met=None, measured=row["measured"])


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def _met(value: Decimal | None, target: Decimal | None) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target
