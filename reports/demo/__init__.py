"""Twelve weeks of history for the demo agencies, and their weekly reports (`seed_demo`).

The dashboard's trends read the weekly reports of the last twelve weeks
(`reports.trends`), so a demo without a past shows empty charts. For each demo
agency this writes twelve ISO weeks ending with last week — orders taken,
confirmed, served, accepted (a few after a failed first round), some
cancelled; feedback asked for every accepted order and answered for most; the
revisits the sweep would have planned, mostly done; a few complaints, soft and
hard, handled mostly in time; invoices and payments — then writes the weekly
reports of those weeks for the worker to build, oldest first, so each
report's trends include the weeks before it.

History, not live bookings: rows are written with bulk_create, not the
services, with the times they would have had (`created_at` included). Each
row is one the services could have written: document numbers come from the
agency's counters, one feedback request per accepted order, revisit sources
as the sweep names them (so a later sweep plans nothing twice), complaint
deadlines from the SLA policy's clock. Nothing is dated after now: what would
come later (a payment, an answer) has not happened yet.

Idempotent: the history's orders are numbered with a leading "H"; an agency
that has one gets no more. Report rows are written once (a unique constraint)
and only pending ones are built. `bench/` reuses `history.write_history` for its load.

The parts, in the order they are used: `cast` (who and what the history draws on),
`planning` (what happened, in memory), `history` (writes it, through `orders`,
`billing`, `feedback` and `complaints`), `rows` (the bulk writing they share).
"""

from collections.abc import Sequence
from datetime import date, timedelta

from django.utils import timezone

from agency.models import Agency
from orders.models import Order
from payroll import demo as payroll_demo
from reports.demo.cast import Cast
from reports.demo.history import write_history
from reports.demo.planning import HISTORY_PREFIX
from reports.demo.rows import seeded
from reports.models import WeeklyReport
from reports.periods import monday_of
from reports.services import ensure_schedules, write_week_reports

WEEKS = 12
DEMO_AGENCIES = ("anxin", "sunrise")


def seed() -> None:
    for agency in Agency.objects.filter(slug__in=DEMO_AGENCIES).order_by("slug"):
        mondays = history_mondays(agency)
        if not Order.objects.filter(agency=agency, number__startswith=HISTORY_PREFIX).exists():
            cast = Cast.of(agency)
            if cast is not None:
                write_history(cast, mondays, rng=seeded(agency.slug))
        write_reports(agency, mondays)
    ensure_schedules(now=timezone.now())
    # Pay is computed from served jobs, which the history above writes: paid again now.
    payroll_demo.seed()


def history_mondays(agency: Agency) -> list[date]:
    """The Mondays of the twelve ISO weeks ending with last week, oldest first."""
    last = monday_of(agency.today()) - timedelta(days=7)
    return [last - timedelta(weeks=WEEKS - 1 - n) for n in range(WEEKS)]


def write_reports(agency: Agency, mondays: Sequence[date]) -> None:
    """The weeks' reports (the agency's and each branch's), left pending: the worker builds
    them, oldest first (the beat sweep starts pending reports), so seeding does not wait
    for seventy PDFs. The history's Monday emails went out on their Mondays; only last
    week's report is emailed to the managers when it is built."""
    for monday in mondays:
        write_week_reports(agency, monday)
    WeeklyReport.objects.filter(
        agency=agency, week__in=mondays[:-1], branch__isnull=True, emailed_at__isnull=True
    ).update(emailed_at=timezone.now())
