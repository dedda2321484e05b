"""What waits for each role (issue 17, "Home pages"): one line per kind of work, with how
many wait and a link to the page that does it, filtered where that page has filters.

Each role's list is its own work only, from DESIGN.md "Who uses it": the dispatcher's
day (jobs, signatures, calls, complaint deadlines), the supervisor's sign-offs and
follow-ups, finance's invoices and refunds, the manager's approvals. Field staff have no
list: their home is 我的工单 (`agency.permissions.START_PAGE`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agency.models import Agency, Branch, Membership, Role
from feedback.models import RevisitKind
from home import selectors
from orders.models import Order, OrderStatus, Stage
from orders.service.services.service_log import check_in_opens_at


@dataclass(frozen=True)
class Job:
    """One of today's jobs named under its line, opening the order's page."""

    number: str
    starts_at: datetime
    customer: str
    #: The lead's name; "" while nobody is confirmed.
    staff: str
    #: When its staff may check in (到岗); None while nobody is confirmed.
    check_in_opens: datetime | None
    url: str

    @classmethod
    def of(cls, order: Order) -> "Job":
        staffed = order.status != OrderStatus.CONFIRMED
        return cls(
            number=order.number,
            starts_at=order.starts_at,
            customer=order.customer.name,
            staff=getattr(order, "lead_name", None) or "",
            check_in_opens=check_in_opens_at(order) if staffed else None,
            url=reverse("order_detail", args=[order.pk]),
        )


@dataclass(frozen=True)
class Item:
    key: str
    label: str | Promise
    count: int
    url: str
    #: Late already (a no-show, a breach, money overdue): shown in red.
    urgent: bool = False
    #: The first few rows behind the count, each one click from its own page.
    jobs: tuple[Job, ...] = ()


@dataclass(frozen=True)
class Scope:
    """Whose list: the agency, the member's home branch (if any), who, and when."""

    agency: Agency
    branch: Branch | None
    user_id: int
    now: datetime

    @property
    def where(self) -> selectors.Where:
        return selectors.Where(agency=self.agency, branch=self.branch)

    @property
    def branch_id(self) -> int | None:
        return None if self.branch is None else self.branch.pk

    @property
    def today(self) -> str:
        return self.agency.local_date(self.now).isoformat()


def url(name: str, **query: Any) -> str:
    """The page `name`, with the filters that have a value."""
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(params) if params else "")


#: Today's jobs named under each of the dispatcher's job lines; the line links to the rest.
JOBS_PER_LINE = 5


def _named(jobs: list[Order], line: str) -> tuple[Job, ...]:
    return tuple(Job.of(order) for order in jobs if getattr(order, line))[:JOBS_PER_LINE]


def dispatcher(scope: Scope) -> list[Item]:
    where = scope.where
    jobs = selectors.todays_jobs(**where, now=scope.now)
    named = selectors.todays_jobs_named(**where, now=scope.now)
    signatures = selectors.signatures_outstanding(**where, now=scope.now)
    calls = selectors.calls_due(**where, now=scope.now)
    today = {"day": scope.today, "branch": scope.branch_id}
    from_today = {"starts_after": scope.today, "branch": scope.branch_id}
    return [
        Item(
            "unstaffed",
            _("Today's jobs without staff"),
            jobs["unstaffed"],
            url("order_board", status=OrderStatus.CONFIRMED, **today),
            jobs=_named(named, "unstaffed"),
        ),
        Item(
            "unacknowledged",
            _("Today's jobs their staff have not acknowledged"),
            jobs["unacknowledged"],
            url("order_board", status=OrderStatus.ASSIGNED, **today),
            jobs=_named(named, "unacknowledged"),
        ),
        Item(
            "late",
            _("Late check-ins and no-shows today"),
            jobs["late"],
            url("order_board", **today),
            urgent=True,
            jobs=_named(named, "late"),
        ),
        Item(
            "booking_requests",
            _("Booking requests waiting for a quote"),
            selectors.booking_requests_waiting(**where),
            url("booking_request_list"),
        ),
        Item(
            "quotes",
            _("Quotes waiting for the customer's signature"),
            signatures["quotes"],
            url("order_board", status=OrderStatus.QUOTED, **from_today),
        ),
        Item(
            "staff_cards",
            _("Proposed staff waiting for the customer's confirmation"),
            signatures["staff_cards"],
            url("order_board", status=OrderStatus.CONFIRMED, **from_today),
        ),
        Item(
            "customer_acceptance",
            _("Acceptances waiting for the customer's signature"),
            signatures["acceptances"],
            url("acceptance_queue", stage=Stage.CUSTOMER.value),
        ),
        Item("callbacks", _("Callbacks due today"), calls["callbacks"], url("callback_queue")),
        Item(
            "revisits",
            _("Revisit calls due today"),
            calls["revisits"],
            url("revisit_queue", view="today"),
        ),
        Item(
            "complaints",
            _("Complaints with a deadline within the hour"),
            selectors.complaints_near_deadline(**where, now=scope.now),
            url("complaint_desk", branch=scope.branch_id),
            urgent=True,
        ),
    ]


def supervisor(scope: Scope) -> list[Item]:
    where = scope.where
    stages = selectors.acceptance_for_supervisor(**where, user_id=scope.user_id)
    return [
        Item(
            "team_stage",
            _("Acceptances waiting for the team supervisor"),
            stages["team"],
            url("acceptance_queue", stage=Stage.TEAM_SUPERVISOR.value),
        ),
        Item(
            "office_stage",
            _("Acceptances waiting for the office supervisor"),
            stages["office"],
            url("acceptance_queue", stage=Stage.OFFICE_SUPERVISOR.value),
        ),
        Item(
            "breaches",
            _("Complaints past a deadline"),
            selectors.complaints_breached(**where),
            url("complaint_desk", branch=scope.branch_id),
            urgent=True,
        ),
        Item(
            "unowned",
            _("Complaints without an owner"),
            selectors.complaints_without_owner(**where),
            url("complaint_desk", branch=scope.branch_id, owner="none"),
            urgent=True,
        ),
        Item(
            "low_scores",
            _("Low scores to follow up"),
            selectors.low_scores_open(**where),
            url("revisit_queue", view="all", kind=RevisitKind.LOW_SCORE.value),
        ),
        Item(
            "time_off",
            _("Time-off requests to decide"),
            selectors.time_off_requests(**where),
            url("time_off_pending"),
        ),
        Item(
            "certificates",
            _("Certificates expiring within 30 days"),
            selectors.certificates_expiring(**where),
            url("certificates_expiring"),
        ),
    ]


def finance(scope: Scope) -> list[Item]:
    where = scope.where
    invoices = selectors.invoices_waiting(**where, now=scope.now)
    return [
        Item(
            "drafts",
            _("Draft invoices to issue"),
            invoices["drafts"],
            url("billing_list", tab="drafts", branch=scope.branch_id),
        ),
        Item(
            "overdue",
            _("Invoices unpaid past their due date"),
            invoices["overdue"],
            url("billing_list", tab="unpaid", overdue="true", branch=scope.branch_id),
            urgent=True,
        ),
        Item(
            "refunds_to_pay",
            _("Refunds to pay back"),
            selectors.refunds_to_pay_back(**where),
            url("refund_queue"),
        ),
        Item(
            "card_refunds_to_pay",
            _("Prepaid card refunds to pay back"),
            selectors.card_refunds_waiting(agency=scope.agency)["to_pay_back"],
            url("prepaid_refund_queue"),
        ),
    ]


def manager(scope: Scope) -> list[Item]:
    approvals = selectors.approvals_waiting(**scope.where)
    return [
        Item(
            "cancellations",
            _("Late cancellations (fees) to approve"),
            approvals["cancellations"],
            url("approval_queue"),
        ),
        Item(
            "refunds_to_approve",
            _("Refunds to approve"),
            approvals["refunds"],
            url("refund_queue"),
        ),
        Item(
            "card_refunds_to_approve",
            _("Prepaid card refunds to approve"),
            selectors.card_refunds_waiting(agency=scope.agency)["to_approve"],
            url("prepaid_refund_queue"),
        ),
    ]


#: Each role's list; a role without one (field staff) starts elsewhere.
LISTS: dict[Role, Callable[[Scope], list[Item]]] = {
    Role.DISPATCHER: dispatcher,
    Role.SUPERVISOR: supervisor,
    Role.FINANCE: finance,
    Role.MANAGER: manager,
}

#: Who sees the KPIs against their targets above the list (DESIGN.md: the manager).
SHOWS_TARGETS = frozenset({Role.MANAGER})


def scope_of(membership: Membership, *, now: datetime) -> Scope:
    return Scope(
        agency=membership.agency, branch=membership.branch, user_id=membership.user_id, now=now
    )


def waiting_for(membership: Membership, *, now: datetime) -> list[Item]:
    """What waits for this member now: the lines with something in them, in the list's order."""
    make = LISTS.get(Role(membership.role))
    if make is None:
        return []
    return [item for item in make(scope_of(membership, now=now)) if item.count]
