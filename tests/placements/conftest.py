import pytest

from agency.audit import Actor
from agency.models import Role
from placements.contracts import contract_prepare
from tests.factories import PlacementFactory


def member(world, role, tenant="a"):
    """An actor of agency A (or B) in that role."""
    return Actor(user=getattr(world, tenant).user(role))


@pytest.fixture
def placement(world):
    """Agency A's 26-day 月嫂 placement with complete terms and its staff member confirmed."""
    return PlacementFactory(agency=world.a.agency)


@pytest.fixture
def version(world, placement, django_capture_on_commit_callbacks):
    """The placement's contract out for signature, its links sent."""
    with django_capture_on_commit_callbacks(execute=True):
        return contract_prepare(placement=placement, actor=member(world, Role.DISPATCHER))
