"""Candidate matching (匹配): who may take an order, ranked, and why.

DESIGN.md, "Staff and assignment": staff are matched on skills and experience
for the service type, valid certificates, availability, area and ratings.
The hard filters run in the database; every candidate
carries its reasons, and an excluded staff member can be looked up with the
rules they fail.

How it reads the database (two queries for a ranking, whatever the staff count):

1. The survivors, with every input of their score: one SQL statement over the
   agency's `staff_staffmember` rows, each hard rule a column test or an
   `EXISTS` / `NOT EXISTS` on certificates, working hours, approved time off,
   holding assignments, the do-not-send list and the agency's induction training
   (issue 21); PostgreSQL runs them as (anti)
   semi-joins, nothing loops per staff member in Python. Each required skill is
   an inner join on the unique (agency, staff, code) row — the same test as its
   `EXISTS`, and it brings the level the score needs. The workload (holding
   assignments in the next 14 days) and the past visits to this customer are
   grouped subqueries joined in; district and language matches are array
   containment on the row itself; the level's matching bonus a left join on
   `staff_level`. The join search is narrowed for this
   statement (`JOIN_SEARCH_LIMIT`): planning every join order cost more than
   running it.
2. The staff rows of the top `limit`, by primary key, to show.

The score is computed in Python over the survivors from those values, by the
same code that writes the reasons (`orders.staffing.scoring`), so a reason never
disagrees with a score; the reasons' texts are written only for the
candidates shown.

`explain_exclusion` evaluates the very same rule fragments as booleans for one
staff member (one query) and names each rule that fails.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Model, QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agency.models import Agency, Branch
from orders.models import (
    HOLDING,
    Assignment,
    AssignmentStatus,
    DoNotSend,
    Order,
    ScheduleKind,
)
from orders.staffing.scoring import WORKLOAD_DAYS, Reason, Scorer, Survivor
from staff.models import (
    Certificate,
    CertificateKind,
    EmploymentStatus,
    Level,
    StaffMember,
    StaffPolicy,
    StaffSkill,
    TimeOff,
    TimeOffStatus,
    Training,
    TrainingKind,
    WorkingHours,
)
from staff.skills import SKILL_LABELS

# --- what the reasons say -------------------------------------------------------
# Translated when a reason is written, in the language of the request.

NOT_ACTIVE = _("Not active (%(status)s).")
LACKS_SKILL = _("Lacks the required skill %(skill)s.")
NO_CERTIFICATE = _("No %(certificate)s valid from %(first_day)s to %(last_day)s.")
NO_LIVE_IN = _("Does not accept live-in placements.")
NOT_WORKING = _("Does not work %(weekday)s %(from)s–%(until)s (working pattern).")
TIME_OFF = _("Approved time off overlaps the service window.")
BOOKED = _("Already booked at that time (order %(booked)s).")
OTHER_BRANCH = _("Based at another branch (%(branch)s); the order is not urgent.")
DO_NOT_SEND = _("Not to be sent to this customer: %(complaint)s")
NOT_OURS = _("Not a staff member of this agency.")
NO_INDUCTION = _("Has not done the induction training (%(induction)s).")


@dataclass(frozen=True)
class Candidate:
    staff: StaffMember
    score: float
    reasons: list[Reason]
    #: Holding assignments in the next WORKLOAD_DAYS days.
    workload: int


@dataclass(frozen=True)
class Window:
    """The time a staff member must be free for: the order's service window."""

    starts_at: datetime
    ends_at: datetime
    local_start: datetime
    local_end: datetime
    #: A live-in placement (or any window over several days): the working
    #: pattern does not apply, the staff member must accept live-in work.
    live_in: bool

    @property
    def period(self) -> DateTimeTZRange:
        return DateTimeTZRange(self.starts_at, self.ends_at, "[)")


def service_window(order: Order, *, starts_at: datetime | None = None) -> Window:
    """The order's window in the agency's time zone; from `starts_at` for a replacement."""
    zone = order.agency.zone
    start = max(starts_at, order.starts_at) if starts_at else order.starts_at
    local_start, local_end = start.astimezone(zone), order.ends_at.astimezone(zone)
    live_in = (
        order.needs_form.schedule_kind == ScheduleKind.LIVE_IN
        or local_start.date() != local_end.date()
    )
    return Window(start, order.ends_at, local_start, local_end, live_in)


# --- hard rules -----------------------------------------------------------------
# Written in SQL rather than the ORM: the ranking must read 5,000 staff in under
# 50 ms (`bench/matching.py`), and building and compiling eight ORM subqueries cost as much as
# running them. Every fragment names the agency; every value is a parameter. The
# agency id is cast to bigint, its column's type: the GiST indexes (btree_gist) on
# assignments and time off can use it only when the types match.

#: The tables the SQL below names (tests/orders/test_matching.py checks them).
TABLES: dict[type[Model], str] = {
    StaffMember: "staff_staffmember",
    StaffSkill: "staff_staffskill",
    Certificate: "staff_certificate",
    WorkingHours: "staff_workinghours",
    TimeOff: "staff_timeoff",
    Assignment: "orders_assignment",
    DoNotSend: "orders_donotsend",
    Order: "orders_order",
    Branch: "agency_branch",
    Level: "staff_level",
    StaffPolicy: "staff_staffpolicy",
    Training: "staff_training",
}


class _Rule(NamedTuple):
    """A hard filter: `sql` is true for an eligible staff member `s`.

    `message` says why it fails, filled in with `params` and, if `names` is
    set, that detail of the staff row (selected by `explain_exclusions`).

    A rule with a `join` is applied by the ranking as that inner join instead:
    the same test, and it brings the column the score needs (a skill's level).
    """

    sql: str
    args: tuple[Any, ...]
    message: Promise
    params: dict[str, Any] | None = None
    names: str = ""
    join: str = ""
    joined: str = ""

    def explain(self, row: dict[str, Any]) -> str:
        params = _localise(self.params or {})
        if self.names:
            params[self.names] = row[self.names]
        return str(self.message % params if params else self.message)


def _rules(order: Order, window: Window) -> list[_Rule]:
    """The hard filters of DESIGN.md "Staff and assignment"."""
    agency = order.agency_id
    service = order.service_type
    period = window.period
    start_day, end_day = window.local_start.date(), window.local_end.date()
    rules = [_Rule("s.status = %s", (EmploymentStatus.ACTIVE,), NOT_ACTIVE, names="status")]
    for i, code in enumerate(service.required_skills):
        # One row per (agency, staff, code): the join neither drops nor repeats an eligible row.
        has_skill = f"k{i}.agency_id = %s::bigint AND k{i}.staff_id = s.id AND k{i}.code = %s"
        rules.append(
            _Rule(
                f"EXISTS (SELECT FROM staff_staffskill k{i} WHERE {has_skill})",
                (agency, code),
                LACKS_SKILL,
                {"skill": SKILL_LABELS.get(code, code)},
                join=f"JOIN staff_staffskill k{i} ON {has_skill}",
                joined=f"k{i}.level",
            )
        )
    for code in service.required_certificates:
        # Valid for the whole window: issued by its first day, not expired by its last.
        rules.append(
            _Rule(
                "EXISTS (SELECT FROM staff_certificate c"
                " WHERE c.agency_id = %s::bigint AND c.staff_id = s.id AND c.kind = %s"
                " AND c.issued_on <= %s AND (c.expires_on IS NULL OR c.expires_on > %s))",
                (agency, code, start_day, end_day),
                NO_CERTIFICATE,
                {"certificate": code, "first_day": start_day, "last_day": end_day},
            )
        )
    if window.live_in:
        rules.append(_Rule("s.accepts_live_in", (), NO_LIVE_IN))
    else:
        start, end = window.local_start, window.local_end
        rules.append(
            _Rule(
                "EXISTS (SELECT FROM staff_workinghours w"
                " WHERE w.agency_id = %s::bigint AND w.staff_id = s.id AND w.weekday = %s"
                " AND w.starts <= %s AND w.ends >= %s)",
                (agency, start.weekday(), start.time(), end.time()),
                NOT_WORKING,
                {"weekday": start, "from": start, "until": end},
            )
        )
    rules += [
        _Rule(
            "NOT EXISTS (SELECT FROM staff_timeoff t"
            " WHERE t.agency_id = %s::bigint AND t.staff_id = s.id AND t.status = %s"
            " AND t.period && %s::tstzrange)",
            (agency, TimeOffStatus.APPROVED, period),
            TIME_OFF,
        ),
        _Rule(f"NOT EXISTS ({_BOOKED})", (agency, list(HOLDING), period), BOOKED, names="booked"),
    ]
    if not order.is_urgent:
        # An urgent order may be staffed from another branch (DESIGN.md, "Intake and booking").
        rules.append(
            _Rule("s.home_branch_id = %s", (order.branch_id,), OTHER_BRANCH, names="branch")
        )
    rules.append(
        _Rule(
            f"NOT EXISTS ({_NOT_FOR_CUSTOMER})",
            (agency, order.customer_id),
            DO_NOT_SEND,
            names="complaint",
        )
    )
    # The agency's induction course, if it names one, before any job (issue 21). Read in
    # the statement itself: the rule costs the ranking no query of its own.
    rules.append(
        _Rule(
            f"NOT EXISTS ({_NO_INDUCTION})",
            (agency, agency, TrainingKind.TRAINING),
            NO_INDUCTION,
            names="induction",
        )
    )
    return rules


#: Holding assignments of staff member `s` overlapping a period (agency, statuses, period).
_BOOKED = (
    "SELECT a.order_id FROM orders_assignment a"
    " WHERE a.agency_id = %s::bigint AND a.staff_id = s.id"
    " AND a.status = ANY(%s) AND a.period && %s::tstzrange"
)
#: Holding assignments per staff member over a period (agency, statuses, period): grouped
#: once and joined to the survivors, cheaper than a count per survivor.
_WORKLOAD = (
    "SELECT a.staff_id, count(*) AS jobs FROM orders_assignment a"
    " WHERE a.agency_id = %s::bigint AND a.status = ANY(%s) AND a.period && %s::tstzrange"
    " GROUP BY a.staff_id"
)
#: Confirmed assignments per staff member on this customer's earlier orders
#: (agency, customer, confirmed, this order's start).
_PAST_VISITS = (
    "SELECT a.staff_id, count(DISTINCT a.order_id) AS visits FROM orders_assignment a"
    " JOIN orders_order o ON o.id = a.order_id"
    " WHERE a.agency_id = %s::bigint AND o.customer_id = %s AND a.status = %s"
    " AND o.starts_at < %s GROUP BY a.staff_id"
)
#: Staff member `s` is on the customer's do-not-send list (agency, customer).
_NOT_FOR_CUSTOMER = (
    "SELECT d.reason FROM orders_donotsend d"
    " WHERE d.agency_id = %s::bigint AND d.customer_id = %s AND d.staff_id = s.id"
)


#: The agency names an induction course and staff member `s` has no training of it
#: (agency, agency, the training kind).
_NO_INDUCTION = (
    "SELECT FROM staff_staffpolicy p WHERE p.agency_id = %s::bigint"
    " AND p.induction_course <> '' AND NOT EXISTS (SELECT FROM staff_training t"
    " WHERE t.agency_id = %s::bigint AND t.staff_id = s.id AND t.kind = %s"
    " AND t.course = p.induction_course)"
)
#: The agency's induction course, for the reason (agency).
_INDUCTION_COURSE = (
    "SELECT p.induction_course FROM staff_staffpolicy p WHERE p.agency_id = %s::bigint"
)


def _localise(params: dict[str, Any]) -> dict[str, Any]:
    """A rule's details in the reader's language: dates, times, certificate names."""
    shown = dict(params)
    if "certificate" in shown and shown["certificate"] in CertificateKind.values:
        shown["certificate"] = CertificateKind(shown["certificate"]).label
    for key in ("first_day", "last_day"):
        if key in shown:
            shown[key] = formats.date_format(shown[key])
    if "weekday" in shown:
        shown["weekday"] = formats.date_format(shown["weekday"], "l")
    for key in ("from", "until"):
        if key in shown:
            shown[key] = formats.time_format(shown[key].time())
    return shown


# --- ranking --------------------------------------------------------------------


def orders_to_match(*, agency: Agency) -> QuerySet[Order]:
    """The agency's orders with what matching reads, in one query."""
    return Order.objects.filter(agency=agency).select_related(
        "agency", "branch", "customer", "service_type", "needs_form__address"
    )


def rank_candidates(
    *, order: Order, limit: int = 20, starts_at: datetime | None = None
) -> list[Candidate]:
    """The staff who may take the order, best first, each with its reasons.

    `starts_at` ranks for what is left of the window (a replacement during the service).
    """
    window = service_window(order, starts_at=starts_at)
    needs = order.needs_form
    agency = order.agency_id
    now = timezone.now()
    rules = _rules(order, window)
    joins = [rule for rule in rules if rule.join]
    tests = [rule for rule in rules if not rule.join]
    columns = [
        *("s.id", "s.name", "s.gender", "s.years_experience", "s.rating::float"),
        *("s.rating_count", "coalesce(busy.jobs, 0)", "coalesce(past.visits, 0)"),
        *("s.districts @> %s::varchar[]", "s.languages @> %s::varchar[]"),
        *("lv.name", "coalesce(lv.matching_bonus, 0)"),
        *(rule.joined for rule in joins),
    ]
    # Each piece of the statement with its own parameters, in the order they appear.
    pieces: list[tuple[str, list[Any]]] = [
        (
            # Values are parameters, never in the text.
            f"SELECT {', '.join(columns)} FROM staff_staffmember s",  # noqa: S608
            [[needs.address.district], [needs.preferred_language]],
        ),
        *((rule.join, list(rule.args)) for rule in joins),
        (
            f"LEFT JOIN ({_WORKLOAD}) busy ON busy.staff_id = s.id",
            [agency, list(HOLDING), DateTimeTZRange(now, now + timedelta(days=WORKLOAD_DAYS))],
        ),
        (
            f"LEFT JOIN ({_PAST_VISITS}) past ON past.staff_id = s.id",
            [agency, order.customer_id, AssignmentStatus.CONFIRMED, order.starts_at],
        ),
        # The level's matching bonus (issue 21); a person without a level has none.
        ("LEFT JOIN staff_level lv ON lv.id = s.level_id", []),
        ("WHERE s.agency_id = %s::bigint", [agency]),
        *((f"AND {rule.sql}", list(rule.args)) for rule in tests),
    ]
    sql = " ".join(text for text, _args in pieces)
    args = [arg for _text, piece_args in pieces for arg in piece_args]
    width = len(Survivor._fields) - 1
    rows = _fetch_in_written_order(sql, args)
    survivors = [Survivor._make((*row[:width], row[width:])) for row in rows]

    scorer = Scorer(order)
    best = sorted(
        ((scorer.score(s), s) for s in survivors),
        key=lambda item: (-item[0], item[1].workload, item[1].name, item[1].pk),
    )[:limit]
    staff = StaffMember.objects.filter(agency_id=agency, pk__in=[s.pk for _, s in best]).in_bulk()
    return [
        Candidate(
            staff=staff[s.pk], score=round(score, 1), reasons=scorer.reasons(s), workload=s.workload
        )
        for score, s in best
    ]


#: How many relations PostgreSQL may reorder when it plans the ranking. The survivors
#: query joins a dozen (each EXISTS is a semi-join); searching every join order took
#: about as long as running the query (6–10 ms on the benchmark). Written as it is —
#: the staff rows, their skills, the grouped workload, then the rules — the order
#: needs little searching.
JOIN_SEARCH_LIMIT = 4


def _fetch_in_written_order(sql: str, args: list[Any]) -> list[tuple[Any, ...]]:
    """Run the ranking query with the join search narrowed, for this query only."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('join_collapse_limit', %s, true),"
            " set_config('from_collapse_limit', %s, true)",
            [str(JOIN_SEARCH_LIMIT)] * 2,
        )
        cursor.execute(sql, args)
        rows = cursor.fetchall()
        # Nothing was written: rolling the block back ends the setting with it, also
        # inside a caller's transaction (a savepoint).
        transaction.set_rollback(True)
    return rows


# --- explaining an exclusion ----------------------------------------------------


def explain_exclusion(
    *, order: Order, staff: StaffMember, starts_at: datetime | None = None
) -> list[str]:
    """Why `staff` is not a candidate for `order`: each hard rule it fails; [] if eligible.

    `starts_at` narrows the window to what is left of it (a replacement).
    """
    if staff.agency_id != order.agency_id:
        return [str(NOT_OURS)]
    found = explain_exclusions(order=order, staff_ids=[staff.pk], starts_at=starts_at)
    return found.get(staff.pk, [str(NOT_OURS)])


def explain_exclusions(
    *, order: Order, staff_ids: list[int], starts_at: datetime | None = None
) -> dict[int, list[str]]:
    """`explain_exclusion` for several staff of the order's agency, in one query.

    The same rule fragments as the ranking, each selected as a boolean, with
    the details the messages name: the home branch, the order a conflicting
    booking belongs to, the do-not-send reason.
    """
    window = service_window(order, starts_at=starts_at)
    rules = _rules(order, window)
    agency = order.agency_id
    columns = [
        "s.id",
        "s.status",
        "b.name",
        f"(SELECT o.number FROM ({_BOOKED}) a JOIN orders_order o ON o.id = a.order_id"  # noqa: S608
        " ORDER BY o.starts_at LIMIT 1)",
        f"(SELECT d.reason FROM ({_NOT_FOR_CUSTOMER}) d LIMIT 1)",  # noqa: S608
        f"({_INDUCTION_COURSE})",
        *(f"({rule.sql})" for rule in rules),
    ]
    # Values are parameters, never in the text.
    sql = (
        f"SELECT {', '.join(columns)} FROM staff_staffmember s"  # noqa: S608
        " JOIN agency_branch b ON b.id = s.home_branch_id"
        " WHERE s.agency_id = %s::bigint AND s.id = ANY(%s)"
    )
    args = [
        agency,
        list(HOLDING),
        window.period,
        agency,
        order.customer_id,
        agency,
        *(arg for rule in rules for arg in rule.args),
        agency,
        list(staff_ids),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    explained = {}
    for pk, status, branch, booked, complaint, induction, *passed in rows:
        details = {
            "status": EmploymentStatus(status).label,
            "branch": branch,
            "booked": booked,
            "complaint": complaint,
            "induction": induction,
        }
        explained[pk] = [
            rule.explain(details) for rule, ok in zip(rules, passed, strict=True) if not ok
        ]
    return explained


def why_not(*, order: Order, name: str, limit: int = 10) -> list[tuple[StaffMember, list[str]]]:
    """The "why not?" box: staff whose name contains `name`, each with the rules they fail."""
    if not name.strip():
        return []
    staff = list(
        StaffMember.objects.filter(agency_id=order.agency_id, name__icontains=name.strip())
        .select_related("home_branch")
        .order_by("name", "id")[:limit]
    )
    reasons = explain_exclusions(order=order, staff_ids=[member.pk for member in staff])
    return [(member, reasons[member.pk]) for member in staff]
