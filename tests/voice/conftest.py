import pytest

from agency.audit import Actor
from agency.models import Role
from tests.factories import BranchFactory, StaffMemberFactory


def member(world, role, tenant="a"):
    """An actor of agency A (or B) in that role."""
    return Actor(user=getattr(world, tenant).user(role))


@pytest.fixture
def crew(world):
    """Agency A's field staff: seven in the main branch (one is the staff user), three in
    a second branch."""
    a = world.a
    north = BranchFactory(agency=a.agency, name="北区店", code="north")
    main = [StaffMemberFactory(agency=a.agency, home_branch=a.branch, user=a.user(Role.STAFF))] + [
        StaffMemberFactory(agency=a.agency, home_branch=a.branch) for _ in range(6)
    ]
    others = [StaffMemberFactory(agency=a.agency, home_branch=north) for _ in range(3)]
    return {"main": main, "north": others, "north_branch": north}
