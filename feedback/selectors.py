"""Reads of feedback and revisits; each takes the agency explicitly."""

from datetime import datetime, timedelta
from typing import Any, TypedDict

from django.db.models import Avg, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Least
from django.utils import timezone

from agency.models import Agency, Branch
from feedback.models import FeedbackResponse, Revisit, RevisitHold, RevisitStatus
from orders.models import Assignment, AssignmentStatus


def revisits_for(*, agency: Agency) -> QuerySet[Revisit]:
    return Revisit.objects.filter(agency=agency).select_related(
        "customer", "order", "assignee", "done_by"
    )


def revisit_queue(*, agency: Agency, now: datetime, view: str = "today") -> QuerySet[Revisit]:
    """The dispatcher's queue: calls due by the end of today ("today"), overdue by more
    than a day ("overdue"), or every open one ("all"); the oldest first."""
    day_end = timezone.localtime(now, agency.zone).replace(hour=23, minute=59, second=59)
    open_calls = (
        revisits_for(agency=agency)
        .filter(status=RevisitStatus.OPEN)
        .exclude(kind="thank_you_letter")
    )
    if view == "overdue":
        open_calls = open_calls.filter(due_at__lt=now - timedelta(days=1))
    elif view == "today":
        open_calls = open_calls.filter(due_at__lte=day_end)
    return open_calls.order_by("due_at", "id")


def customer_history(*, agency: Agency, customer_id: int) -> dict[str, QuerySet[Any]]:
    """A customer's feedback and revisits, newest first (the customer page)."""
    return {
        "feedback": FeedbackResponse.objects.filter(
            agency=agency, request__customer_id=customer_id
        ).select_related("request__order"),
        "revisits": revisits_for(agency=agency)
        .filter(customer_id=customer_id)
        .order_by("-due_at", "-id"),
    }


def customers_on_hold() -> set[tuple[int, int]]:
    """(agency, customer) of every customer whose courtesy revisits are held (a complaint
    is being handled): a handful of rows, read once per sweep."""
    return set(RevisitHold.objects.values_list("agency_id", "customer_id"))


# --- the office's pages -----------------------------------------------------------------


def with_feedback_scores(revisits: QuerySet[Revisit]) -> QuerySet[Revisit]:
    """Each revisit with its order's feedback (overall and lowest score), in the same
    query: a low-score follow-up shows the score that opened it."""
    answers = FeedbackResponse.objects.filter(request__order_id=OuterRef("order_id"))
    return revisits.annotate(
        feedback_overall=Subquery(answers.values("overall")[:1]),
        feedback_lowest=Subquery(
            answers.annotate(
                lowest=Least("quality", "attitude", "punctuality", "professionalism", "overall")
            ).values("lowest")[:1]
        ),
    )


def revisit_queue_rows(
    *,
    agency: Agency,
    now: datetime,
    view: str = "today",
    assignee_id: int | None = None,
    unassigned: bool = False,
    kind: str | None = None,
) -> QuerySet[Revisit]:
    """The queue's rows, for one assignee or the unassigned ones, of one kind if given
    (the supervisors' low-score follow-ups), with feedback scores."""
    rows = revisit_queue(agency=agency, now=now, view=view)
    if kind is not None:
        rows = rows.filter(kind=kind)
    if unassigned:
        rows = rows.filter(assignee__isnull=True)
    elif assignee_id is not None:
        rows = rows.filter(assignee_id=assignee_id)
    return with_feedback_scores(rows)


class Result(TypedDict):
    key: int
    name_zh: str
    name_en: str
    responses: int
    average: float | None
    satisfied: int


def _aggregated(answers: QuerySet[FeedbackResponse]) -> QuerySet[FeedbackResponse]:
    return answers.annotate(
        responses=Count("id"),
        average=Avg("overall"),
        satisfied=Count("id", filter=Q(overall__gte=4)),
    )


def feedback_in_period(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> QuerySet[FeedbackResponse]:
    """The customers' answers submitted in [start, end), of one branch's orders if given."""
    answers = FeedbackResponse.objects.filter(
        agency=agency, submitted_at__gte=start, submitted_at__lt=end
    )
    return answers if branch is None else answers.filter(request__order__branch=branch)


def feedback_results_by_staff(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> list[Result]:
    """Per staff member who served the order (a confirmed assignment, as the ratings
    count it in `feedback.services.feedback_submit`): answers, average overall score and
    how many scored 4 or 5. One query; an order served by two counts for each."""
    staff = "request__order__assignments__staff"
    rows = (
        feedback_in_period(agency=agency, start=start, end=end, branch=branch)
        .filter(request__order__assignments__status=AssignmentStatus.CONFIRMED)
        .values(key=F(f"{staff}_id"), name_zh=F(f"{staff}__name"), name_en=F(f"{staff}__name"))
        .order_by()
    )
    return list(_aggregated(rows).order_by(f"{staff}__name", f"{staff}_id"))  # type: ignore[arg-type]


def feedback_results_by_service(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> list[Result]:
    """Per service type of the order: answers, average overall and scores of 4 or 5. One
    query."""
    service = "request__order__service_type"
    rows = (
        feedback_in_period(agency=agency, start=start, end=end, branch=branch)
        .values(
            key=F(f"{service}_id"),
            name_zh=F(f"{service}__name_zh"),
            name_en=F(f"{service}__name_en"),
        )
        .order_by()
    )
    return list(_aggregated(rows).order_by(f"{service}__name_en", f"{service}_id"))  # type: ignore[arg-type]


def feedback_results_total(*, agency: Agency, start: datetime, end: datetime) -> dict[str, Any]:
    """The whole period in one row (one query)."""
    return feedback_in_period(agency=agency, start=start, end=end).aggregate(
        responses=Count("id"),
        average=Avg("overall"),
        satisfied=Count("id", filter=Q(overall__gte=4)),
    )


# --- the weekly satisfaction report ---------------------------------------------------------

SCORES = ("quality", "attitude", "punctuality", "professionalism", "overall")


def surveys_in_period(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> QuerySet[FeedbackResponse]:
    """The answers of the period with their order, customer, service type, the staff
    who served (`served_by`) and the lowest of the five scores (`lowest`); oldest first."""
    served = Assignment.objects.filter(status=AssignmentStatus.CONFIRMED).select_related("staff")
    return (
        feedback_in_period(agency=agency, start=start, end=end, branch=branch)
        .select_related("request__order__service_type", "request__customer")
        .prefetch_related(Prefetch("request__order__assignments", served, to_attr="served_by"))
        .annotate(lowest=Least(*SCORES))
        .order_by("submitted_at", "id")
    )


def low_scores_with_follow_up(
    answers: QuerySet[FeedbackResponse], *, low_score: int
) -> QuerySet[FeedbackResponse]:
    """The answers with a score at or under `low_score`, each with what became of its
    low-score follow-up (`follow_up_status`, `follow_up_outcome`, `follow_up_notes`,
    `follow_up_next_step`, `follow_up_done_at`; None when none was opened)."""
    follow_up = Revisit.objects.filter(
        order_id=OuterRef("request__order_id"), kind="low_score"
    ).order_by("-created_at")
    return answers.filter(
        lowest__lte=low_score
    ).annotate(  # type: ignore[misc]
        **{
            f"follow_up_{field}": Subquery(follow_up.values(field)[:1])
            for field in ("status", "outcome", "notes", "next_step", "done_at")
        }
    )


def revisit_surveys(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> QuerySet[Revisit]:
    """Revisits done in the period that recorded the customer's satisfaction: the office's
    phone surveys (marked as such wherever they are shown); oldest first."""
    revisits = revisits_for(agency=agency).filter(
        done_at__gte=start, done_at__lt=end, satisfaction__isnull=False
    )
    if branch is not None:
        revisits = revisits.filter(order__branch=branch)
    return revisits.order_by("done_at", "id")


def low_score_facts(*, agency: Agency, order_number: str) -> tuple[str, int | None]:
    """What a complaint raised from a low score starts with: the customer's own comment
    and the staff member who led the job (the complaint log names both)."""
    answer = (
        FeedbackResponse.objects.filter(agency=agency, request__order__number=order_number)
        .order_by("-submitted_at")
        .values_list("comment", flat=True)
        .first()
    )
    lead = (
        Assignment.objects.filter(
            agency=agency, order__number=order_number, status=AssignmentStatus.CONFIRMED
        )
        .order_by("role", "pk")  # "lead" sorts before "member"
        .values_list("staff_id", flat=True)
        .first()
    )
    return answer or "", lead
