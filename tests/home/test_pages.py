"""Each role's home page lists what waits for that role only, of its own agency only,
each line a link to the page that does the work; field staff go on to their jobs."""

from datetime import datetime, time, timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agency.models import Role
from complaints.models import Status as ComplaintStatus
from feedback.models import RevisitKind
from orders.models import (
    AssignmentStatus,
    InvoiceStatus,
    OrderStatus,
    Punctuality,
    RefundStatus,
    Stage,
)
from tests.conftest import Tenant
from tests.factories import (
    AcceptanceRoundFactory,
    AssignmentFactory,
    BookingRequestFactory,
    BranchFactory,
    CallbackFactory,
    CancellationFactory,
    CardRefundFactory,
    CertificateFactory,
    DeadlineFactory,
    InvoiceFactory,
    OrderFactory,
    RefundFactory,
    RevisitFactory,
    TimeOffFactory,
    UserFactory,
)

#: What each role's list holds when one thing of every kind waits (`make_work`).
EXPECTED: dict[Role, dict[str, int]] = {
    Role.DISPATCHER: {
        "unstaffed": 1,
        "unacknowledged": 1,
        "late": 2,
        "booking_requests": 1,
        "quotes": 1,
        "staff_cards": 1,
        "customer_acceptance": 1,
        "callbacks": 1,
        "revisits": 1,
        # The one answered within the hour, and the breached one.
        "complaints": 2,
    },
    Role.SUPERVISOR: {
        "team_stage": 1,
        "office_stage": 1,
        "breaches": 1,
        # Both complaints above: taken without an owner.
        "unowned": 2,
        "low_scores": 1,
        "time_off": 1,
        "certificates": 1,
    },
    Role.FINANCE: {"drafts": 1, "overdue": 1, "refunds_to_pay": 1, "card_refunds_to_pay": 1},
    Role.MANAGER: {"cancellations": 1, "refunds_to_approve": 1, "card_refunds_to_approve": 1},
}


def at_today(tenant: Tenant, hour: int) -> datetime:
    return datetime.combine(tenant.agency.today(), time(hour), tzinfo=tenant.agency.zone)


def make_work(tenant: Tenant) -> None:
    """One thing of every kind waiting in the tenant's branch (two for the late jobs: a
    check-in marked late, and a job started without one)."""
    now = timezone.now()
    a = {"agency": tenant.agency, "branch": tenant.branch}
    ag = {"agency": tenant.agency}
    # The dispatcher's day: a job without staff, one not acknowledged, two late.
    OrderFactory(**a, status=OrderStatus.CONFIRMED, starts_at=at_today(tenant, 14))
    AssignmentFactory(
        **ag,
        order=OrderFactory(**a, status=OrderStatus.ASSIGNED, starts_at=at_today(tenant, 15)),
        status=AssignmentStatus.CONFIRMED,
    )
    AssignmentFactory(
        **ag,
        order=OrderFactory(**a, status=OrderStatus.ASSIGNED, starts_at=at_today(tenant, 8)),
        status=AssignmentStatus.CONFIRMED,
        acknowledged_at=now - timedelta(days=1),
    )
    AssignmentFactory(
        **ag,
        order=OrderFactory(**a, status=OrderStatus.IN_SERVICE, starts_at=at_today(tenant, 7)),
        status=AssignmentStatus.CONFIRMED,
        acknowledged_at=now - timedelta(days=1),
        arrived_at=at_today(tenant, 7) + timedelta(minutes=25),
        punctuality=Punctuality.LATE,
    )
    # A customer's booking request to quote.
    BookingRequestFactory(**ag)
    # Signatures the customer owes: a quote, a staff card, an acceptance.
    OrderFactory(**a, status=OrderStatus.QUOTED)
    proposed = OrderFactory(**a, status=OrderStatus.CONFIRMED)
    AssignmentFactory(**ag, order=proposed, status=AssignmentStatus.PROPOSED)
    AcceptanceRoundFactory(**ag, order__branch=tenant.branch, next_stage=Stage.CUSTOMER)
    CallbackFactory(**ag, due_at=now + timedelta(hours=2))
    RevisitFactory(**ag, order__branch=tenant.branch, order__status=OrderStatus.ACCEPTED)
    DeadlineFactory(**ag, complaint__branch=tenant.branch, due_at=now + timedelta(minutes=15))
    # The supervisor's: both sign-off stages, a breach, a low score, time off, a certificate.
    AcceptanceRoundFactory(**ag, order__branch=tenant.branch, next_stage=Stage.TEAM_SUPERVISOR)
    AcceptanceRoundFactory(**ag, order__branch=tenant.branch, next_stage=Stage.OFFICE_SUPERVISOR)
    DeadlineFactory(
        **ag,
        complaint__branch=tenant.branch,
        complaint__status=ComplaintStatus.RESPONDING,
        due_at=now - timedelta(hours=1),
        breached_at=now - timedelta(hours=1),
    )
    RevisitFactory(
        **ag,
        order__branch=tenant.branch,
        order__status=OrderStatus.ACCEPTED,
        kind=RevisitKind.LOW_SCORE,
        due_at=now + timedelta(days=2),
    )
    TimeOffFactory(**ag, staff__home_branch=tenant.branch)
    CertificateFactory(
        **ag, staff__home_branch=tenant.branch, expires_on=tenant.agency.today() + timedelta(10)
    )
    # Finance's: a draft, an invoice overdue, a refund approved to pay back.
    InvoiceFactory(**a)
    InvoiceFactory(
        **a,
        status=InvoiceStatus.ISSUED,
        number=f"{tenant.agency.slug}-{uuid4().hex[:8]}",
        issued_at=now - timedelta(days=20),
        due_on=tenant.agency.today() - timedelta(days=5),
    )
    RefundFactory(
        **ag,
        invoice__branch=tenant.branch,
        status=RefundStatus.APPROVED,
        decided_by=UserFactory(),
        decided_at=now,
    )
    # The manager's approvals: a late cancellation's fee, a refund.
    CancellationFactory(**ag, order__branch=tenant.branch, order__status=OrderStatus.CONFIRMED)
    RefundFactory(**ag, invoice__branch=tenant.branch)
    # Prepaid card refunds (agency-wide): one for the manager, one approved for finance.
    CardRefundFactory(**ag)
    CardRefundFactory(**ag, status="approved", decided_by=UserFactory(), decided_at=now)


@pytest.fixture
def work(world):
    for tenant in (world.a, world.b):
        make_work(tenant)
    return world


def waiting(response) -> dict[str, int]:
    return {item.key: item.count for item in response.context["items"]}


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_each_role_sees_what_waits_for_it_only_and_of_its_own_agency(work, client_for, role):
    response = client_for(work.a.user(role)).get(reverse("home"))
    assert response.status_code == 200
    # Another role's work is not listed; another agency's would double every count.
    assert waiting(response) == EXPECTED[role]
    page = response.content.decode()
    for item in response.context["items"]:
        assert f'href="{item.url}"' in page.replace("&amp;", "&")


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_each_line_opens_a_page_the_role_may_open(work, client_for, role):
    client = client_for(work.a.user(role))
    for item in client.get(reverse("home")).context["items"]:
        assert client.get(item.url).status_code == 200, item.key


def test_the_dispatchers_lines_open_the_board_filtered(work, client_for):
    client = client_for(work.a.user(Role.DISPATCHER))
    items = {item.key: item.url for item in client.get(reverse("home")).context["items"]}
    today = work.a.agency.today().isoformat()
    assert items["unstaffed"] == f"{reverse('order_board')}?status=confirmed&day={today}"
    assert items["customer_acceptance"] == f"{reverse('acceptance_queue')}?stage=4"
    board = client.get(items["unstaffed"])
    assert [o.status for o in board.context["object_list"]] == [OrderStatus.CONFIRMED]


def test_the_dispatchers_job_lines_name_todays_jobs_with_their_check_in_time(work, client_for):
    client = client_for(work.a.user(Role.DISPATCHER))
    response = client.get(reverse("home"))
    items = {item.key: item for item in response.context["items"]}
    late = items["late"].jobs
    assert [job.starts_at for job in late] == [at_today(work.a, 7), at_today(work.a, 8)]
    # Check-in opens the agency's set time before the start (60 minutes by default).
    assert late[1].check_in_opens == at_today(work.a, 7)
    assert [job.check_in_opens for job in items["unstaffed"].jobs] == [None]
    page = response.content.decode()
    for job in late:
        assert f'href="{job.url}"' in page
        assert client.get(job.url).status_code == 200
    assert "07:00 起可到岗" in page


def test_the_supervisor_opens_the_acceptance_queue_on_their_stage(work, client_for):
    client = client_for(work.a.user(Role.SUPERVISOR))
    items = {item.key: item.url for item in client.get(reverse("home")).context["items"]}
    queue = client.get(items["office_stage"])
    assert queue.context["stage"] == Stage.OFFICE_SUPERVISOR
    assert [r.next_stage for r in queue.context["rounds"]] == [Stage.OFFICE_SUPERVISOR]


def test_the_low_scores_line_opens_the_revisit_queue_on_low_scores_only(work, client_for):
    client = client_for(work.a.user(Role.SUPERVISOR))
    items = {item.key: item.url for item in client.get(reverse("home")).context["items"]}
    queue = client.get(items["low_scores"])
    assert [row.revisit.kind for row in queue.context["rows"]] == [RevisitKind.LOW_SCORE]
    # The queue's other links keep the kind.
    assert "kind=low_score" in queue.context["here"]
    assert len(client.get(reverse("revisit_queue"), {"view": "all"}).context["rows"]) == 2


def test_a_member_with_a_home_branch_sees_that_branchs_work(work, client_for):
    other = BranchFactory(agency=work.a.agency)
    elsewhere = {"agency": work.a.agency, "branch": other}
    OrderFactory(**elsewhere, status=OrderStatus.CONFIRMED, starts_at=at_today(work.a, 16))
    dispatcher = work.a.members[Role.DISPATCHER]
    client = client_for(dispatcher.user)
    assert waiting(client.get(reverse("home")))["unstaffed"] == 2
    dispatcher.branch = work.a.branch
    dispatcher.save()
    response = client.get(reverse("home"))
    assert waiting(response)["unstaffed"] == 1
    unstaffed = next(i for i in response.context["items"] if i.key == "unstaffed")
    assert f"branch={work.a.branch.pk}" in unstaffed.url


def test_calls_without_an_order_stay_on_every_branchs_list(work, client_for):
    other = BranchFactory(agency=work.a.agency)
    due = timezone.now() + timedelta(hours=1)
    CallbackFactory(
        agency=work.a.agency, order=OrderFactory(agency=work.a.agency, branch=other), due_at=due
    )
    dispatcher = work.a.members[Role.DISPATCHER]
    dispatcher.branch = work.a.branch
    dispatcher.save()
    # make_work's callback has no order: it stays; the other branch's order's does not.
    assert waiting(client_for(dispatcher.user).get(reverse("home")))["callbacks"] == 1
    dispatcher.branch = other
    dispatcher.save()
    assert waiting(client_for(dispatcher.user).get(reverse("home")))["callbacks"] == 2


def test_the_manager_reads_the_kpis_against_their_targets(work, client_for):
    page = client_for(work.a.user(Role.MANAGER)).get(reverse("home"))
    keys = [tile.kpi.key for tile in page.context["kpis"]]
    assert {"satisfied", "participation", "completion", "training_coverage"} <= set(keys)
    assert "满意（4 分或 5 分）" in page.content.decode()
    assert all(tile.target for tile in page.context["kpis"])
    assert client_for(work.a.user(Role.DISPATCHER)).get(reverse("home")).context["kpis"] == []


def test_field_staff_go_straight_to_their_jobs(work, client_for):
    response = client_for(work.a.user(Role.STAFF)).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("my_jobs")


def test_the_counts_fragment_is_the_list_alone_and_asks_again_every_minute(work, client_for):
    client = client_for(work.a.user(Role.FINANCE))
    fragment = client.get(reverse("home_waiting"), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert waiting(fragment) == EXPECTED[Role.FINANCE]
    assert "<html" not in html
    assert 'hx-trigger="every 60s"' in html and f'hx-get="{reverse("home_waiting")}"' in html
    # The page swaps the same element.
    assert 'id="home-waiting"' in client.get(reverse("home")).content.decode()


def test_nothing_waiting_says_so(world, client_for):
    page = client_for(world.a.user(Role.FINANCE)).get(reverse("home")).content.decode()
    assert "目前没有待办事项。" in page


def test_the_home_page_reads_in_chinese(work, client_for):
    work.a.agency.default_language = "zh-hans"
    work.a.agency.save()
    page = client_for(work.a.user(Role.DISPATCHER)).get(reverse("home")).content.decode()
    for text in ("首页", "待办事项", "今日未派工的工单", "今日迟到与未到岗"):
        assert text in page
    fragment = client_for(work.a.user(Role.SUPERVISOR)).get(reverse("home_waiting"))
    assert "待办公室主管验收" in fragment.content.decode()


#: The list's queries per role: one aggregate per line or group of lines (home/selectors.py).
WAITING_QUERIES = {
    # today's jobs counted, and named; booking requests; quotes; staff cards; customer
    # acceptances; callbacks; revisit calls; complaints near a deadline
    Role.DISPATCHER: 9,
    # both supervisor stages; breaches; complaints without an owner; low scores; time
    # off; certificates
    Role.SUPERVISOR: 6,
    # drafts and overdue invoices; refunds to pay back; prepaid card refunds
    Role.FINANCE: 3,
    # late cancellations; refunds to approve; prepaid card refunds
    Role.MANAGER: 3,
}
#: The shell's queries on every page: session, user, memberships, unread notices.
SHELL_QUERIES = 4


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_the_list_costs_one_query_per_line_whatever_the_rows(
    world, client_for, django_assert_num_queries, role
):
    client = client_for(world.a.user(role))
    for _ in range(3):
        make_work(world.a)
    with django_assert_num_queries(SHELL_QUERIES + WAITING_QUERIES[role]):
        assert client.get(reverse("home_waiting")).status_code == 200


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_the_page_costs_the_same_queries_whatever_the_rows(
    world, client_for, django_assert_num_queries, role
):
    make_work(world.a)
    client = client_for(world.a.user(role))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for _ in range(3):
        make_work(world.a)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("home"))
    assert waiting(response)[next(iter(EXPECTED[role]))] >= 4
