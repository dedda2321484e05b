"""The dashboard: who opens it, the KPIs on a known week, its bounded queries, the branch filter.

The period is the ISO week of Monday 2026-11-16 in Asia/Shanghai, read on the
Tuesday after. Agency A has two branches (A1 = the fixture's branch, A2).

    complaint  branch  tier/category   received    first response   completing deadline
    c1         A1      hard damage     Mon 10:00   Mon 10:30        resolution in time (Tue)
    c2         A1      hard fault      Tue 09:00   Wed 09:00 (late) resolution late (Wed)
    c3         A2      soft attitude   Wed 14:00   Wed 14:10        verification in time (Wed)
    c6         A1      soft attitude   Fri 17:10   none             — (breached, open)

    order  branch  accepted in the week  feedback (overall)
    o1-o3  A1      yes                   5, 4, 2
    o4     A2      yes                   —
    o5     A2      yes                   5

All branches: first response (30 min + 24 h + 10 min) / 3 = 8 h 13 min (met);
completed in time 2 of 3 = 66.7% (not met); 1 open breach; satisfied 3 of 4
= 75.0% (not met), average 4.00; participation 4 of 5 = 80.0% (met).
Branch A2: first response 10 min; completion 100.0% (met); no breach;
satisfied 1 of 1 = 100.0% (met); participation 1 of 2 = 50.0% (not met).
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.models import Role
from complaints.models import Category, DeadlineKind, Tier
from feedback.models import FeedbackResponse
from feedback.policy import policy_for
from orders.models import OrderEvent, OrderStatus
from reports.dashboard import PeriodKind, dashboard, period_for
from tests.factories import (
    BranchFactory,
    ComplaintFactory,
    CustomerFactory,
    DeadlineFactory,
    FeedbackRequestFactory,
    FeedbackResponseFactory,
    OrderFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
FR, VER, RES = DeadlineKind.FIRST_RESPONSE, DeadlineKind.VERIFICATION, DeadlineKind.RESOLUTION
WEEK = {"period": "custom", "start": "2026-11-16", "end": "2026-11-22"}
#: Upper bound of the dashboard's queries: 15 today (the page's own session, user,
#: membership and navigation; the branch choices; the feedback policy twice; one per
#: complaint and feedback figure).
MAX_QUERIES = 15


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _read_on_tuesday_after():
    with time_machine.travel(sh(24, 9), tick=False):
        yield


@pytest.fixture(autouse=True)
def _english(world):
    for tenant in (world.a, world.b):
        tenant.agency.default_language = "en"
        tenant.agency.save(update_fields=["default_language"])
        policy_for(tenant.agency)


@pytest.fixture
def a2(world):
    return BranchFactory(agency=world.a.agency, name="North")


def complaint(branch, tier, category, received):
    return ComplaintFactory(
        agency=branch.agency, branch=branch, tier=tier, category=category, received_at=received
    )


def deadline(c, kind, due, *, met=None, late=False):
    DeadlineFactory(
        agency=c.agency,
        complaint=c,
        kind=kind,
        due_at=due,
        met_at=met,
        breached_at=due if late else None,
        next_escalation_at=None if met else due,
    )


def served(branch, *, overall: int | None, day: int = 18):
    order = OrderFactory(
        agency=branch.agency,
        branch=branch,
        status=OrderStatus.ACCEPTED,
        needs_form__customer=CustomerFactory(agency=branch.agency),
    )
    event = OrderEvent.objects.create(
        agency=branch.agency, order=order, to_status=OrderStatus.ACCEPTED
    )
    OrderEvent.objects.filter(pk=event.pk).update(created_at=sh(day, 12))
    if overall is not None:
        request = FeedbackRequestFactory(agency=branch.agency, order=order)
        response = FeedbackResponseFactory(agency=branch.agency, request=request, overall=overall)
        FeedbackResponse.objects.filter(pk=response.pk).update(submitted_at=sh(day, 20))
    return order


@pytest.fixture
def week(world, a2):
    a1 = world.a.branch
    c1 = complaint(a1, Tier.HARD, Category.DAMAGE, sh(16, 10))
    deadline(c1, FR, sh(16, 11), met=sh(16, 10, 30))
    deadline(c1, RES, sh(17, 18), met=sh(17, 17))
    c2 = complaint(a1, Tier.HARD, Category.FAULT, sh(17, 9))
    deadline(c2, FR, sh(17, 10), met=sh(18, 9), late=True)
    deadline(c2, RES, sh(18, 8), met=sh(18, 15), late=True)
    c3 = complaint(a2, Tier.SOFT, Category.ATTITUDE, sh(18, 14))
    deadline(c3, FR, sh(18, 14, 15), met=sh(18, 14, 10))
    deadline(c3, VER, sh(18, 14, 30), met=sh(18, 14, 25))
    c6 = complaint(a1, Tier.SOFT, Category.ATTITUDE, sh(20, 17, 10))
    deadline(c6, FR, sh(20, 17, 25), late=True)
    for overall in (5, 4, 2):
        served(a1, overall=overall)
    served(a2, overall=None)
    served(a2, overall=5)
    # Agency B's week: nothing of it counts for A.
    b = complaint(world.b.branch, Tier.SOFT, Category.OTHER, sh(18, 10))
    deadline(b, FR, sh(18, 10, 15), late=True)
    served(world.b.branch, overall=1)
    return world.a.agency


def tiles(html: str) -> dict[str, str]:
    """Each tile's label → its class and text, whitespace collapsed."""
    tile = r'<li class="report-tile is-(\w+)" data-kpi="([^"]+)">(.*?)</li>'
    return {
        label: f"{tone}: {' '.join(re.sub(r'<[^>]+>', ' ', body).split())}"
        for tone, label, body in re.findall(tile, html, re.S)
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGER, 200),
        (Role.SUPERVISOR, 200),
        (Role.DISPATCHER, 403),
        (Role.FINANCE, 403),
        (Role.STAFF, 403),
    ],
)
def test_managers_and_supervisors_only(world, client_for, role, status):
    assert client_for(world.a.user(role)).get(reverse("dashboard")).status_code == status


def test_the_week_against_targets(week, world, client_for):
    response = client_for(world.a.user(Role.SUPERVISOR)).get(reverse("dashboard"), WEEK)
    assert response.status_code == 200
    shown = tiles(response.content.decode())
    assert shown["Average first response"] == (
        "met: Average first response 8 h 13 min target ≤ 24 h 00 min met over 3"
    )
    assert shown["Completed in time"] == (
        "unmet: Completed in time 66.7% target ≥ 90.0% not met over 3"
    )
    assert shown["Open breaches"] == "unmet: Open breaches 1 target none not met"
    assert shown["Received"] == (
        "none: Received 4 Soft (attitude, manner, environment) 2, Hard (damage, a tangible fault) 2"
    )
    assert shown["Satisfied (score 4 or 5)"] == (
        "unmet: Satisfied (score 4 or 5) 75.0% target ≥ 85.0% not met over 4"
    )
    assert shown["Average score"] == "none: Average score 4.00 out of 5"
    assert shown["Feedback participation"] == (
        "met: Feedback participation 80.0% target ≥ 70.0% met over 5"
    )
    assert shown["Revisits done"] == "none: Revisits done — over 0"


def test_the_branch_filter(week, world, a2, client_for):
    response = client_for(world.a.user(Role.MANAGER)).get(
        reverse("dashboard"), {**WEEK, "branch": a2.pk}
    )
    shown = tiles(response.content.decode())
    assert shown["Average first response"].startswith("met: Average first response 0 h 10 min")
    assert shown["Completed in time"].startswith("met: Completed in time 100.0%")
    assert shown["Open breaches"].startswith("met: Open breaches 0")
    assert shown["Satisfied (score 4 or 5)"].startswith("met: Satisfied (score 4 or 5) 100.0%")
    assert shown["Feedback participation"].startswith("unmet: Feedback participation 50.0%")
    # Drill-downs keep the branch.
    assert f"branch={a2.pk}" in response.content.decode()


def test_another_agencys_branch_is_refused(week, world, client_for):
    response = client_for(world.a.user(Role.MANAGER)).get(
        reverse("dashboard"), {**WEEK, "branch": world.b.branch.pk}
    )
    assert response.status_code == 200
    # The form refuses it; the page falls back to this week, all branches.
    assert "all branches" in response.content.decode()


def test_drill_downs(week, world, client_for):
    html = client_for(world.a.user(Role.MANAGER)).get(reverse("dashboard"), WEEK).content.decode()
    assert reverse("complaint_desk") in html
    assert reverse("revisit_queue") + "?view=overdue" in html
    assert reverse("complaint_log") + "?received_after=2026-11-16" in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard"), WEEK).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_data(world, client_for, django_assert_max_num_queries):
    client = client_for(world.a.user(Role.SUPERVISOR))
    c = complaint(world.a.branch, Tier.HARD, Category.DAMAGE, sh(16, 10))
    deadline(c, FR, sh(16, 11), met=sh(16, 10, 30))
    served(world.a.branch, overall=5)
    with django_assert_max_num_queries(MAX_QUERIES):
        one = _queries(client)
    for hour in range(11, 15):
        c = complaint(world.a.branch, Tier.SOFT, Category.ATTITUDE, sh(17, hour))
        deadline(c, FR, sh(17, hour, 15), late=True)
        served(world.a.branch, overall=3)
    with django_assert_max_num_queries(MAX_QUERIES):
        five = _queries(client)
    assert five == one


def test_periods_in_the_agencys_time_zone(world):
    agency = world.a.agency  # Asia/Shanghai; "now" is Tuesday 2026-11-24 09:00 there
    this = period_for(agency)
    assert (this.start, this.end) == (sh(23, 0), sh(30, 0))
    last = period_for(agency, PeriodKind.LAST_WEEK)
    assert (last.start, last.end) == (sh(16, 0), sh(23, 0))
    days = period_for(agency, PeriodKind.LAST_30_DAYS)
    assert (days.start, days.end) == (sh(26, 0).replace(month=10), sh(25, 0))


def test_the_groups_of_this_first_slice(world):
    groups = dashboard(agency=world.a.agency, period=period_for(world.a.agency))
    assert [g.key for g in groups] == ["satisfaction", "complaints", "revisits"]
