import pytest

from agency.audit import Actor
from tests.factories import PlacementFactory


def member(world, role, tenant="a"):
    """An actor of agency A (or B) in that role."""
    return Actor(user=getattr(world, tenant).user(role))


@pytest.fixture
def placement(world):
    """Agency A's 26-day 月嫂 placement with complete terms and its staff member confirmed."""
    return PlacementFactory(agency=world.a.agency)
