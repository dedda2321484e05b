import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from agency.audit import Actor
from agency.models import Role
from complaints.quality import services
from tests.factories import AssignmentFactory, OrderFactory, StaffMemberFactory


@pytest.fixture(autouse=True)
def _english(world):
    """Pages in English, so the tests read the words as written (the Chinese is checked by
    the catalogue test)."""
    world.a.agency.default_language = "en"
    world.a.agency.save(update_fields=["default_language"])


@pytest.fixture
def supervisor(world) -> Actor:
    return Actor(user=world.a.user(Role.SUPERVISOR), ip_address="192.0.2.61")


@pytest.fixture
def manager(world) -> Actor:
    return Actor(user=world.a.user(Role.MANAGER), ip_address="192.0.2.62")


@pytest.fixture
def checklist(world, supervisor):
    return services.checklist_create(
        agency=world.a.agency,
        actor=supervisor,
        name="家庭保洁质检表",
        items=[("厨房清洁", 10), ("卫生间清洁", 10), ("服务态度", 5)],
    )


@pytest.fixture
def staff(world):
    return StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch, name="王秀英")


_SLOTS = itertools.count()


def job_for(world, staff, **fields):
    """A job of agency A's branch with `staff` on it (each in its own slot of time)."""
    fields.setdefault("starts_at", timezone.now() + timedelta(days=3, hours=4 * next(_SLOTS)))
    order = OrderFactory(agency=world.a.agency, branch=world.a.branch, **fields)
    AssignmentFactory(agency=world.a.agency, order=order, staff=staff, status="confirmed")
    return order


@pytest.fixture
def job(world, staff):
    return job_for(world, staff)


@pytest.fixture
def plan(world, supervisor, checklist, staff):
    return services.plan_create(
        agency=world.a.agency,
        actor=supervisor,
        kind="monthly",
        starts_on=date(2026, 12, 1),
        checklist=checklist,
        jobs_planned=2,
        staff=staff,
    )


@pytest.fixture
def scores(checklist):
    """`scores(*values)`: the values for the checklist's items, in order."""

    def _scores(*values: int) -> dict[int, int]:
        return dict(zip([item.pk for item in checklist.items.all()], values, strict=True))

    return _scores
