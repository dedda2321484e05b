"""The performance API and pages: roles (403), other agencies (404), decided twice (409),
and scorecards in constant queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.models import Role
from performance.promotions import promotions_propose
from tests.factories import PromotionFactory, StaffMemberFactory, TrainingFactory


def test_a_manager_approves_once_by_api(world, ready, ladder, client_for):
    (promotion,) = promotions_propose(agency=world.a.agency)
    client = client_for(world.a.user(Role.MANAGER))
    url = reverse("promotion-approve", kwargs={"pk": promotion.pk})

    first = client.post(url, {}, content_type="application/json")
    second = client.post(url, {}, content_type="application/json")

    assert first.status_code == 200
    assert first.json()["status"] == "approved"
    assert second.status_code == 409


def test_a_supervisor_may_not_decide(world, ready, client_for):
    (promotion,) = promotions_propose(agency=world.a.agency)
    client = client_for(world.a.user(Role.SUPERVISOR))

    response = client.post(
        reverse("promotion-approve", kwargs={"pk": promotion.pk}),
        {},
        content_type="application/json",
    )
    level_added = client.post(
        reverse("level-list"), {"name": "高级", "rank": 3}, content_type="application/json"
    )

    assert response.status_code == 403
    assert level_added.status_code == 403


def test_a_dispatcher_sees_no_scorecards(world, client_for):
    response = client_for(world.a.user(Role.DISPATCHER)).get(reverse("scorecard-list"))

    assert response.status_code == 403


def test_another_agencys_promotion_is_404(world, client_for):
    theirs = PromotionFactory(agency=world.b.agency)
    client = client_for(world.a.user(Role.MANAGER))

    response = client.post(
        reverse("promotion-approve", kwargs={"pk": theirs.pk}), {}, content_type="application/json"
    )

    assert response.status_code == 404


def test_a_supervisor_proposes_by_api(world, ready, ladder, client_for):
    response = client_for(world.a.user(Role.SUPERVISOR)).post(
        reverse("promotion-list"),
        {"staff": ready.pk, "note": "客户表扬多"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["to_level"] == ladder[1].pk


def test_scorecards_cost_the_same_queries_for_more_staff(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    url = reverse("scorecard-list")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch)
    count()  # the first request fills the session's caches
    few = count()  # the session, the memberships, the page's count, its staff rows
    for _ in range(5):
        member = StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch)
        TrainingFactory(agency=world.a.agency, staff=member)
    assert count() == few


def test_the_pages_open_for_a_manager(world, ready, client_for):
    (promotion,) = promotions_propose(agency=world.a.agency)
    client = client_for(world.a.user(Role.MANAGER))

    board = client.get(reverse("performance"))
    page = client.get(reverse("performance_staff", kwargs={"pk": ready.pk}))
    queue = client.get(reverse("promotion_queue"))
    levels = client.get(reverse("level_list"))

    assert ready.name in board.content.decode()
    assert f"{ready.staff_number:04d}" in page.content.decode()
    assert promotion.to_level.name in queue.content.decode()
    assert "中级" in levels.content.decode()


def test_the_manager_approves_on_the_queue_page(world, ready, ladder, client_for):
    (promotion,) = promotions_propose(agency=world.a.agency)
    client = client_for(world.a.user(Role.MANAGER))

    response = client.post(reverse("promotion_approve", kwargs={"pk": promotion.pk}))

    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.level == ladder[1]
