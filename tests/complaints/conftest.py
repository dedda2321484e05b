import pytest

from agency.audit import Actor
from agency.models import Role
from complaints.models import ComplaintChannel
from complaints.services.intake import Intake
from tests.factories import CustomerFactory


@pytest.fixture
def office(world) -> Actor:
    return Actor(user=world.a.user(Role.DISPATCHER), ip_address="192.0.2.60")


@pytest.fixture
def customer(world):
    return CustomerFactory(agency=world.a.agency, name="赵敏")


@pytest.fixture
def intake(world, customer):
    """`intake(**overrides)`: what the office records when agency A's customer complains."""

    def _intake(**overrides) -> Intake:
        values = {
            "branch": world.a.branch,
            "customer": customer,
            "channel": ComplaintChannel.PHONE,
            "category": "damage",
            "description": "打碎了一个花瓶",
        }
        return Intake(**{**values, **overrides})

    return _intake
