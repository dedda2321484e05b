"""The history written: the weeks planned, then each part's rows, dated as they happened."""

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from django.db import models, transaction
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, Deadline
from feedback.models import FeedbackResponse, Revisit
from orders.models import (
    AcceptanceRound,
    Assignment,
    Cancellation,
    Customer,
    CustomerAddress,
    CustomerSignature,
    Invoice,
    NeedsForm,
    Order,
    OrderEvent,
    Payment,
    Quote,
)
from reports.demo.billing import write_billing
from reports.demo.cast import Cast
from reports.demo.complaints import write_complaints
from reports.demo.feedback import write_feedback, write_ratings
from reports.demo.orders import write_cancellations, write_orders, write_timelines
from reports.demo.planning import Job, Planner, Week


@contextmanager
def dated_as_given(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the `created_at`-like times given (history happened then):
    `auto_now_add` would stamp every row with now."""
    fields = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False)
    ]
    for f in fields:
        f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True  # type: ignore[attr-defined]


HISTORY_MODELS: tuple[type[models.Model], ...] = (
    Customer,
    CustomerAddress,
    NeedsForm,
    Order,
    Quote,
    Assignment,
    OrderEvent,
    AcceptanceRound,
    CustomerSignature,
    Cancellation,
    FeedbackResponse,
    Revisit,
    Invoice,
    Payment,
    Complaint,
    ComplaintEvent,
    Deadline,
)


@transaction.atomic
def write_history(
    cast: Cast,
    mondays: Sequence[date],
    *,
    rng: random.Random,
    orders: tuple[int, int] = (15, 40),
    complaints: tuple[float, float] = (0.05, 0.14),
    now: datetime | None = None,
) -> list[Job]:
    """The weeks of the Mondays (oldest first): `orders` (min, max) orders a week, and
    complaints about a share of them drawn from `complaints` each week."""
    now = now or timezone.now()
    planner = Planner(cast, rng, now)
    weeks = [
        Week.draw(monday, rng, orders=orders, complaints=complaints, oldest=index == 0)
        for index, monday in enumerate(mondays)
    ]
    jobs = [job for week in weeks for job in planner.week(week)]
    with dated_as_given(*HISTORY_MODELS):
        write_orders(cast, jobs, range(planner.first_customer + 1, planner.customers + 1))
        write_timelines(cast, jobs)
        write_cancellations(cast, jobs)
        write_feedback(cast, jobs, now)
        write_ratings(jobs)
        write_billing(cast, jobs)
        write_complaints(cast, weeks, jobs, rng, now)
    return jobs
