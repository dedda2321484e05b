from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agency.audit import Actor
from agency.models import Role
from orders.models import PricingUnit, ScheduleKind
from orders.services.intake import CustomerInput, NeedsInput, order_intake
from tests.factories import PriceFactory, ServiceTypeFactory


@pytest.fixture
def cleaning(world):
    """Home cleaning at 50.00 an hour in agency A, priced since 2020."""
    service = ServiceTypeFactory(
        agency=world.a.agency, code="cleaning", pricing_unit=PricingUnit.HOUR
    )
    PriceFactory(agency=world.a.agency, service_type=service, unit_price=Decimal("50.00"))
    return service


@pytest.fixture
def dispatcher(world):
    return Actor(user=world.a.user(Role.DISPATCHER), ip_address="192.0.2.10")


@pytest.fixture
def manager(world):
    return Actor(user=world.a.user(Role.MANAGER), ip_address="192.0.2.11")


def needs_for(service, **overrides):
    values = {
        "service_type": service,
        "schedule_kind": ScheduleKind.ONCE,
        "start_date": timezone.localdate() + timedelta(days=3),
        "time_start": time(9, 0),
        "time_end": time(12, 0),
        "allergies": "对芒果过敏",
        "pets": "一只猫",
    }
    return NeedsInput(**{**values, **overrides})


CUSTOMER = CustomerInput(
    name="王芳", phone="138 0013 8000", district="朝阳区", address="建国路 88 号 501"
)


@pytest.fixture
def book(world, cleaning, dispatcher):
    """`book(**needs_overrides)`: take a booking in agency A the way the office does."""

    def _book(customer=CUSTOMER, submission_key=None, **overrides):
        return order_intake(
            agency=world.a.agency,
            actor=dispatcher,
            branch=world.a.branch,
            customer=customer,
            needs=needs_for(overrides.pop("service", cleaning), **overrides),
            submission_key=submission_key,
        )

    return _book
