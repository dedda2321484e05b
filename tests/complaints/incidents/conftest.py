import pytest

from agency.models import Role
from orders.models import AssignmentStatus
from tests.factories import AssignmentFactory, OrderFactory, StaffMemberFactory


@pytest.fixture
def job(world):
    """Agency A's staff user on a confirmed job of branch A."""
    staff = StaffMemberFactory(
        agency=world.a.agency, home_branch=world.a.branch, user=world.a.user(Role.STAFF)
    )
    order = OrderFactory(agency=world.a.agency, branch=world.a.branch)
    return AssignmentFactory(
        agency=world.a.agency, order=order, staff=staff, status=AssignmentStatus.CONFIRMED
    )
