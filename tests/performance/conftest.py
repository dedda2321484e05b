import pytest

from agency.audit import Actor
from agency.models import Role
from tests.factories import LevelFactory, StaffMemberFactory, TrainingFactory
from tests.orders.conftest import book, cleaning, dispatcher  # noqa: F401  (matching tests)


@pytest.fixture
def manager_actor(world):
    return Actor(user=world.a.user(Role.MANAGER))


@pytest.fixture
def supervisor_actor(world):
    return Actor(user=world.a.user(Role.SUPERVISOR))


@pytest.fixture
def ladder(world):
    """Agency A's two levels: 初级 (anyone) and 中级 (one training in 12 months, no upheld
    complaint)."""
    junior = LevelFactory(agency=world.a.agency, name="初级", rank=1)
    middle = LevelFactory(
        agency=world.a.agency,
        name="中级",
        rank=2,
        min_trainings=1,
        max_upheld_complaints=0,
        matching_bonus=5,
    )
    return junior, middle


@pytest.fixture
def ready(world, ladder):
    """A 初级 staff member who meets 中级's criteria."""
    member = StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch, level=ladder[0])
    TrainingFactory(agency=world.a.agency, staff=member)
    return member
