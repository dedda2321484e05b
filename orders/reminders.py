"""The timed messages about tomorrow: the customer's day-before confirmation and the staff's
evening-before list of jobs, and the customer's answer on the day-before link.

DESIGN.md: the customer is called the day before to confirm; "Timers": from the agency's
hour (`Agency.day_before_at`, `Agency.jobs_reminder_at`, local time) one beat sweep claims
the agency's run of the day by inserting a `ReminderRun`, which a unique constraint admits
once, and writes that run's messages in the same transaction (a failure rolls both back
and the next sweep tries again). A sweep reads only tomorrow's orders of the agencies it
claimed, a batch of agencies at a time, in a constant number of queries per batch.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import Agency
from messaging.rules import Audience, Event, rules_of
from messaging.services import (
    Announcement,
    Wording,
    announce,
    announce_all,
    office_recipients,
    wordings_by_agency,
)
from orders.links import link_path
from orders.messages import (
    customer_recipient,
    job_context,
    job_day,
    job_hours,
    order_topics,
    site_url,
)
from orders.models import (
    REQUEST_MAX_CHARS,
    Assignment,
    AssignmentStatus,
    DayBeforeAnswer,
    DayBeforeCheck,
    Order,
    OrderStatus,
    ReminderKind,
    ReminderRun,
    ServiceType,
    SignaturePurpose,
)
from orders.timeline import note
from staff.messages import staff_recipient
from staff.models import StaffMember

#: Orders whose service tomorrow is settled: the customer and the staff hear about them.
UPCOMING = (OrderStatus.CONFIRMED, OrderStatus.ASSIGNED)
#: Agencies claimed and written per transaction.
BATCH = 10
#: Between the people's names of one job ("李阿姨、张师傅").
NAMES = "、"


# --- the sweeps --------------------------------------------------------------------------


def sweep_day_before(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Ask each customer of tomorrow's settled orders to confirm, from the agency's
    `day_before_at`; once per order. How many orders were asked."""
    return _sweep(ReminderKind.DAY_BEFORE, _write_day_before, now=now, batch=batch)


def sweep_jobs_tomorrow(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Send each staff member with jobs tomorrow the list of them, from the agency's
    `jobs_reminder_at`; once per staff member and day. How many staff members were told."""
    return _sweep(ReminderKind.JOBS_TOMORROW, _write_jobs_tomorrow, now=now, batch=batch)


Runs = Sequence[tuple[Agency, date]]


def _sweep(
    kind: ReminderKind, write: Callable[[Runs, datetime], int], *, now: datetime | None, batch: int
) -> int:
    now = now or timezone.now()
    due = _due(kind, now)
    done = 0
    for start in range(0, len(due), batch):
        with transaction.atomic():
            done += write(_claim(kind, due[start : start + batch]), now)
    return done


def _due(kind: ReminderKind, now: datetime) -> list[tuple[Agency, date]]:
    """(agency, tomorrow in its time zone) for each agency whose hour has come today and
    whose run for tomorrow is not written yet."""
    hour = "day_before_at" if kind == ReminderKind.DAY_BEFORE else "jobs_reminder_at"
    due = []
    for agency in Agency.objects.order_by("pk"):
        local = timezone.localtime(now, agency.zone)
        if local.time() >= getattr(agency, hour):
            due.append((agency, local.date() + timedelta(days=1)))
    written = set(
        ReminderRun.objects.filter(kind=kind, day__in={day for _agency, day in due}).values_list(
            "agency_id", "day"
        )
    )
    return [(agency, day) for agency, day in due if (agency.pk, day) not in written]


def _claim(kind: ReminderKind, due: Runs) -> list[tuple[Agency, date]]:
    """The runs this sweep inserted: a concurrent sweep's are left to it (the insert waits
    for its commit, then skips them)."""
    if not due:
        return []
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(due))
    params: list[Any] = []
    moment = timezone.now()
    for agency, day in due:
        params += [agency.pk, kind.value, day, moment]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ReminderRun._meta.db_table} (agency_id, kind, day, created_at) "  # noqa: S608 (no user input)
            f"VALUES {rows} ON CONFLICT ON CONSTRAINT reminder_run_once DO NOTHING "
            "RETURNING agency_id, day",
            params,
        )
        claimed = set(cursor.fetchall())
    return [(agency, day) for agency, day in due if (agency.pk, day) in claimed]


def _on_day(runs: Runs, field: str) -> Q:
    """`field` (a start time) falls on the run's day in the run's agency's time zone."""
    return reduce(
        or_,
        (
            Q(
                agency_id=agency.pk,
                **{
                    f"{field}__gte": datetime.combine(day, time(0), tzinfo=agency.zone),
                    f"{field}__lt": datetime.combine(
                        day + timedelta(days=1), time(0), tzinfo=agency.zone
                    ),
                },
            )
            for agency, day in runs
        ),
    )


def _wordings(runs: Runs, event: Event) -> Mapping[int, Mapping[tuple[str, str], Wording]]:
    return wordings_by_agency(
        [agency.pk for agency, _day in runs], [r.code for r in rules_of(event)]
    )


# --- the customer's day-before confirmation ----------------------------------------------


def _write_day_before(runs: Runs, now: datetime) -> int:
    if not runs:
        return 0
    agencies = {agency.pk: agency for agency, _day in runs}
    asked = DayBeforeCheck.objects.filter(agency_id=OuterRef("agency_id"), order=OuterRef("pk"))
    orders = list(
        Order.objects.filter(_on_day(runs, "starts_at"), status__in=UPCOMING)
        .filter(~Exists(asked))
        .select_related("customer", "service_type", "needs_form__address")
        .prefetch_related(_crew())
        .order_by("agency_id", "starts_at", "pk")
    )
    for order in orders:
        # The agency is at hand: no query per order for it.
        order.agency = order.customer.agency = agencies[order.agency_id]
    checks = DayBeforeCheck.objects.bulk_create(
        [DayBeforeCheck(agency_id=order.agency_id, order=order) for order in orders]
    )
    announce_all(
        (_day_before(order, check) for order, check in zip(orders, checks, strict=True)),
        wordings=_wordings(runs, Event.DAY_BEFORE),
        now=now,
    )
    return len(orders)


def _crew() -> Prefetch:
    """The staff confirmed on each order, lead first: the customer is told their names."""
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(status=AssignmentStatus.CONFIRMED)
        .select_related("staff")
        .order_by("role", "pk"),
        to_attr="crew",
    )


def _day_before(order: Order, check: DayBeforeCheck) -> Announcement:
    link = site_url(link_path(order=order, purpose=SignaturePurpose.DAY_BEFORE, ref=check.pk))
    names = NAMES.join(assignment.staff.name for assignment in order.crew)  # type: ignore[attr-defined]
    job = job_context(order)
    return Announcement(
        agency=order.agency,
        event=Event.DAY_BEFORE,
        key=f"order:{order.pk}:day_before",
        context=lambda language: {**job(language), "staff_name": names, "link": link},
        customer=customer_recipient(order.customer),
        branch_id=order.branch_id,
        topics=order_topics(order),
    )


# --- the staff's evening-before list -----------------------------------------------------


def _write_jobs_tomorrow(runs: Runs, now: datetime) -> int:
    if not runs:
        return 0
    agencies = {agency.pk: agency for agency, _day in runs}
    days = {agency.pk: day for agency, day in runs}
    # Plain rows, not orders: thousands of jobs a batch, and only these few columns.
    rows = (
        Assignment.objects.filter(
            _on_day(runs, "order__starts_at"),
            status=AssignmentStatus.CONFIRMED,
            order__status__in=UPCOMING,
        )
        .order_by("staff_id", "order__starts_at", "order_id")
        .values_list(
            "staff_id",
            "order_id",
            "order__starts_at",
            "order__ends_at",
            "order__service_type_id",
            "order__needs_form__address__district",
        )
    )
    jobs: dict[int, list[Job]] = defaultdict(list)
    for staff_id, order_id, starts_at, ends_at, service_type_id, district in rows:
        jobs[staff_id].append(Job(order_id, starts_at, ends_at, service_type_id, district))
    services = ServiceType.objects.in_bulk(
        {job.service_type_id for each in jobs.values() for job in each}
    )
    people = StaffMember.objects.filter(pk__in=list(jobs)).select_related("user").order_by("pk")
    link = reverse("my_jobs")
    announcements = []
    for member in people:
        member.agency = agency = agencies[member.agency_id]
        announcements.append(
            Announcement(
                agency=agency,
                event=Event.JOBS_TOMORROW,
                key=f"staff:{member.pk}:jobs:{days[agency.pk].isoformat()}",
                context=_jobs_context(jobs[member.pk], zone=agency.zone, services=services),
                staff=[staff_recipient(member, link=link)],
                topics=[f"order:{job.order_id}" for job in jobs[member.pk]],
            )
        )
    announce_all(announcements, wordings=_wordings(runs, Event.JOBS_TOMORROW), now=now)
    return len(announcements)


@dataclass(frozen=True)
class Job:
    """One of tomorrow's jobs, as a staff member's list shows it."""

    order_id: int
    starts_at: datetime
    ends_at: datetime
    service_type_id: int
    district: str | None


def _jobs_context(
    jobs: Sequence[Job], *, zone: ZoneInfo, services: Mapping[int, ServiceType]
) -> Callable[[str], Mapping[str, str]]:
    """Tomorrow's jobs of one staff member, one line each in time order: the time, the
    district and the service (never the street address or a phone, DESIGN.md)."""

    def values(language: str) -> Mapping[str, str]:
        lines = []
        with translation.override(language):
            for job in jobs:
                starts, ends = job.starts_at.astimezone(zone), job.ends_at.astimezone(zone)
                service = services[job.service_type_id].name
                lines.append(f"{job_hours(starts, ends)} {job.district or ''} {service}")
            day = job_day(jobs[0].starts_at.astimezone(zone))
        return {"job_date": day, "job_count": str(len(jobs)), "jobs_list": "\n".join(lines)}

    return values


# --- the customer's answer ---------------------------------------------------------------


def _answerable(check: DayBeforeCheck) -> None:
    if check.answered_at is not None:
        raise StateConflict(_("This confirmation has been answered already."))
    if check.order.status not in UPCOMING:
        raise StateConflict(
            _("This order can no longer be confirmed here; please call the agency.")
        )


def _claim_answer(check: DayBeforeCheck, *, answer: str, text: str = "") -> None:
    """Spend the link: only the first answer changes the row."""
    now = timezone.now()
    claimed = DayBeforeCheck.objects.filter(pk=check.pk, answered_at__isnull=True).update(
        answer=answer, request_text=text, answered_at=now
    )
    if not claimed:
        raise StateConflict(_("This confirmation has been answered already."))
    check.answer, check.request_text, check.answered_at = answer, text, now


@transaction.atomic
def day_before_confirm(*, check: DayBeforeCheck, actor: Actor) -> None:
    """The customer confirms tomorrow's service on the day-before link (DESIGN.md: the
    customer is called the day before to confirm): a line on the order's timeline."""
    _answerable(check)
    _claim_answer(check, answer=DayBeforeAnswer.CONFIRMED)
    order = check.order
    note(order, actor=actor, text=_("The customer confirmed tomorrow's service."))
    audit_record(agency=order.agency, actor=actor, action="day_before.confirmed", target=order)


def clean_request(text: str) -> str:
    """The change the customer asks for, or why it cannot be taken."""
    text = text.strip()
    if not text:
        raise ValidationError({"request_text": _("Say what you would like to change.")})
    if len(text) > REQUEST_MAX_CHARS:
        raise ValidationError(
            {
                "request_text": _(
                    "Please keep it to %(max)s characters (this is %(count)s); "
                    "for more, call the agency."
                )
                % {"max": REQUEST_MAX_CHARS, "count": len(text)}
            }
        )
    return text


@transaction.atomic
def day_before_ask_change(*, check: DayBeforeCheck, actor: Actor, text: str) -> None:
    """The customer asks for a change on the day-before link: the request is kept on the
    order's timeline and the dispatchers are told (Event.CHANGE_ASKED)."""
    text = clean_request(text)
    _answerable(check)
    _claim_answer(check, answer=DayBeforeAnswer.CHANGE_ASKED, text=text)
    order = check.order
    note(order, actor=actor, text=_("The customer asked for a change: %(text)s") % {"text": text})
    audit_record(
        agency=order.agency,
        actor=actor,
        action="day_before.change_asked",
        target=order,
        changes={"request_text": text},
    )
    job = job_context(order)
    announce(
        agency=order.agency,
        event=Event.CHANGE_ASKED,
        key=f"order:{order.pk}:change_asked",
        context=lambda language: {
            **job(language),
            "staff_name": _crew_names(order),
            "request_text": text,
        },
        office=office_recipients(
            order.agency,
            roles=next(
                r.roles for r in rules_of(Event.CHANGE_ASKED) if r.audience == Audience.OFFICE
            ),
            branch_id=order.branch_id,
            link=reverse("order_detail", kwargs={"pk": order.pk}),
        ),
        topics=order_topics(order),
    )


def _crew_names(order: Order) -> str:
    confirmed = order.assignments.filter(status=AssignmentStatus.CONFIRMED).select_related("staff")
    return NAMES.join(assignment.staff.name for assignment in confirmed.order_by("role", "pk"))


def day_before_check_for(*, agency_id: int, order: Order, ref: int | None) -> DayBeforeCheck | None:
    """The check a day-before link names, of this order and agency only."""
    check = DayBeforeCheck.objects.filter(agency_id=agency_id, order=order, pk=ref or 0).first()
    if check is not None:
        check.order = order
    return check
