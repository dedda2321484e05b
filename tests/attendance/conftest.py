from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agency.models import Membership

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, clock: str, zone: ZoneInfo = SHANGHAI) -> datetime:
    """A moment in the agency's zone: at("2026-12-09", "08:36")."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=zone)


@pytest.fixture
def joined_in_november(world) -> None:
    """The office of both agencies has worked there since November."""
    Membership.objects.update(created_at=at("2026-11-01", "09:00"))
