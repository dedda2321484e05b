"""Staff tests: a fixed day in the agency's time zone, media in a temporary folder."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agency.audit import Actor
from agency.models import Role
from tests.factories import StaffMemberFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Monday 15 June 2026, 10:00 in Beijing and Shanghai.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def actor_for(world, role: Role) -> Actor:
    return Actor(user=world.a.user(role), ip_address="192.0.2.20")


@pytest.fixture
def dispatcher(world) -> Actor:
    return actor_for(world, Role.DISPATCHER)


@pytest.fixture
def supervisor(world) -> Actor:
    return actor_for(world, Role.SUPERVISOR)


@pytest.fixture
def staff(world):
    """A staff member of agency A, at its branch."""
    return StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch, name="王秀兰")
