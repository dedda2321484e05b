"""The SLA sweep: `complaints.services.escalation.escalate_due` over 100,000 open
deadlines, 1,000 due.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench
    uv run python -m bench.complaint_sweep

Creates (once; `--fresh` deletes and creates them again) 20 agencies
`bench-sweep-NN`, each with three branches, a supervisor per branch, a manager,
500 customers and 2,500 hard complaints with their two response deadlines:
100,000 open deadlines in all. Before each run the same 1,000 of them (50 per
agency) are made due ten minutes ago and everything a previous run wrote is
removed; the others are due months ahead. One run is one `escalate_due()` as
the beat calls it: claim the 1,000 rows, record 1,000 escalations and their
timeline lines, 1,000 in-app notifications and 1,000 email rows, and commit.
The after-commit Celery message that asks for delivery is not sent (no broker
needed). Target: under 1 second.
Writes with bulk_create (not the services): load for the sweep, not real complaints.
"""

import argparse
import random
from datetime import timedelta
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from agency.models import (
    Agency,
    AuditLog,
    Branch,
    Membership,
    Notification,
    OutboundMessage,
    Role,
    User,
)
from bench.measure import Result, Timing, elapsed_ms, report, trivial_query
from complaints.models import (
    Category,
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    Escalation,
    Holiday,
    OfficeHours,
    SlaPolicy,
    Tier,
)
from complaints.policy import policy_for
from complaints.services.escalation import escalate_due
from orders.models import Customer

PREFIX = "bench-sweep-"
AGENCIES = 20
COMPLAINTS = 2_500  # per agency, two deadlines each: 100,000 deadlines
DUE_COMPLAINTS = 25  # per agency, both deadlines due: 1,000 due deadlines
CUSTOMERS = 500
RUNS = 5
BATCH = 5_000
#: Nobody logs in as these people: they only receive the notifications.
UNUSABLE = make_password(None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="delete the agencies and create again")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if args.fresh:
        drop_agencies()
    for result in results(args.runs):
        report(result)


def results(runs: int = RUNS) -> list[Result]:
    """One sweep per run (each after the same 1,000 deadlines were made due again), next to
    one trivial query (bench/measure.py); the first run warms the plans and is not counted."""
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    for index in range(AGENCIES):
        slug = f"{PREFIX}{index:02d}"
        if not Agency.objects.filter(slug=slug).exists():
            make_agency(slug, rng=rng)
            print(f"{slug}: created")
    agencies = list(Agency.objects.filter(slug__startswith=PREFIX))
    due = list(
        Deadline.objects.filter(
            agency__in=agencies, complaint__number__startswith="D-"
        ).values_list("pk", flat=True)
    )
    running = Deadline.objects.filter(
        agency__in=agencies, met_at__isnull=True, cancelled_at__isnull=True
    ).count()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    # The outbox kick after commit would be a Celery message: leave the broker out.
    with mock.patch("agency.queueing.current_app"), translation.override("zh-hans"):
        values, floors, queries = [], [], 0
        escalated: list[int] = []
        for run in range(runs + 1):
            make_due(agencies, due)
            with CaptureQueriesContext(connection) as captured:
                elapsed = elapsed_ms(lambda: escalated.append(escalate_due()))
            floor = elapsed_ms(trivial_query)
            assert escalated[-1] == len(due), (escalated[-1], len(due))
            if run:  # the first run warms the connection and the plans
                values.append(elapsed)
                floors.append(floor)
                queries = len(captured.captured_queries)
        notices = Notification.objects.filter(agency__in=agencies).count()
        emails = OutboundMessage.objects.filter(agency__in=agencies).count()
        make_due(agencies, due)
    print(
        f"one sweep over {running:,} open deadlines: {escalated[-1]:,} escalations, "
        f"{notices:,} in-app notifications, {emails:,} email rows"
    )
    what = f"complaint SLA sweep, {len(due):,} of {running:,} deadlines due"
    return [Result(what, Timing(values), Timing(floors), queries, max_ms=1000)]


def make_due(agencies: list[Agency], due: list[int]) -> None:
    """Undo what a run wrote and make the same deadlines due ten minutes ago."""
    now = timezone.now()
    with transaction.atomic():
        Notification.objects.filter(agency__in=agencies).delete()
        OutboundMessage.objects.filter(agency__in=agencies).delete()
        ComplaintEvent.objects.filter(agency__in=agencies).delete()
        Escalation.objects.filter(agency__in=agencies).delete()
        Deadline.objects.filter(pk__in=due).update(
            level=0,
            breached_at=None,
            due_at=now - timedelta(minutes=10),
            next_escalation_at=now - timedelta(minutes=10),
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_deadline")


def drop_agencies() -> None:
    agencies = Agency.objects.filter(slug__startswith=PREFIX)
    with transaction.atomic():
        for model in (
            Notification,
            OutboundMessage,
            Escalation,
            ComplaintEvent,
            Deadline,
            Complaint,
            Holiday,
            OfficeHours,
            SlaPolicy,
            Customer,
            Membership,
            AuditLog,
            Branch,
        ):
            model.objects.filter(agency__in=agencies).delete()
        agencies.delete()
        User.objects.filter(username__startswith=PREFIX).delete()


@transaction.atomic
def make_agency(slug: str, *, rng: random.Random) -> Agency:
    agency = Agency.objects.create(slug=slug, name=f"Bench {slug}")
    policy_for(agency)
    branches = Branch.objects.bulk_create(
        Branch(agency=agency, name=f"门店 {n}", code=f"s{n}") for n in range(3)
    )
    people = [("manager", Role.MANAGER, None), ("dispatcher", Role.DISPATCHER, None)] + [
        (f"supervisor-{n}", Role.SUPERVISOR, branch) for n, branch in enumerate(branches)
    ]
    users = User.objects.bulk_create(
        User(username=f"{slug}-{name}", email=f"{slug}-{name}@example.com", password=UNUSABLE)
        for name, _, _ in people
    )
    Membership.objects.bulk_create(
        Membership(agency=agency, user=user, role=role, branch=branch)
        for user, (_, role, branch) in zip(users, people, strict=True)
    )
    dispatcher = users[1]
    customers = Customer.objects.bulk_create(
        Customer(agency=agency, name=f"客户{n}", phone=f"1{hash((slug, n)) % 10**10:010d}")
        for n in range(CUSTOMERS)
    )
    now = timezone.now()
    complaints = []
    for n in range(COMPLAINTS):
        due = n < DUE_COMPLAINTS
        complaints.append(
            Complaint(
                agency=agency,
                number=f"{'D' if due else 'S'}-{n:06d}",
                branch=branches[n % len(branches)],
                customer=customers[n % len(customers)],
                channel=ComplaintChannel.PHONE,
                category=rng.choice([Category.DAMAGE, Category.FAULT, Category.LOSS]),
                tier=Tier.HARD,
                description="打碎了一个花瓶",
                received_at=now - timedelta(minutes=rng.randint(0, 600)),
                taken_by=dispatcher,
            )
        )
    Complaint.objects.bulk_create(complaints, batch_size=BATCH)
    deadlines = []
    for complaint in complaints:
        for kind, hours in ((DeadlineKind.FIRST_RESPONSE, 1), (DeadlineKind.SECOND_RESPONSE, 3)):
            # Not due: months ahead, so the data stays valid however long it is kept.
            due_at = now + timedelta(days=180, hours=hours, minutes=rng.randint(0, 60 * 24 * 30))
            deadlines.append(
                Deadline(
                    agency=agency,
                    complaint=complaint,
                    kind=kind,
                    office_hours=True,
                    due_at=due_at,
                    next_escalation_at=due_at,
                )
            )
    Deadline.objects.bulk_create(deadlines, batch_size=BATCH)
    return agency


if __name__ == "__main__":
    main()
