from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agency.audit import Actor
from agency.models import Role
from orders.intake.services.booking import CustomerInput, NeedsInput, order_intake
from orders.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Order,
    OrderStatus,
    PricingUnit,
    Quote,
    ScheduleKind,
)
from orders.payments.fake_provider import FakeProviders
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    NeedsFormFactory,
    OrderFactory,
    PriceFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
)
from tests.orders.payments_setup import configure


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


@dataclass
class TeamJob:
    """An assigned order starting within the hour: a lead and a member, each with a login."""

    order: Order
    lead: Assignment
    member: Assignment
    lead_actor: Actor
    member_actor: Actor

    def reload(self) -> Order:
        self.order.refresh_from_db()
        return self.order


@pytest.fixture
def team_job(world, cleaning) -> TeamJob:
    agency = world.a.agency
    needs = NeedsFormFactory(
        agency=agency,
        service_type=cleaning,
        checklist=["厨房", "卫生间", "客厅"],
        start_date=timezone.localdate(),
    )
    starts = timezone.now() + timedelta(minutes=30)
    order = OrderFactory(
        agency=agency,
        branch=world.a.branch,
        needs_form=needs,
        status=OrderStatus.ASSIGNED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )
    order.confirmed_quote = Quote.objects.create(
        agency=agency,
        order=order,
        price=cleaning.prices.get(),
        description="家庭保洁",
        unit=cleaning.pricing_unit,
        unit_price=Decimal("50.00"),
        quantity=Decimal("3.00"),
        total=Decimal("150.00"),
        currency=agency.currency,
    )
    order.save(update_fields=["confirmed_quote"])
    member_user = MembershipFactory(agency=agency, role=Role.STAFF, branch=world.a.branch).user
    lead = AssignmentFactory(
        agency=agency,
        order=order,
        staff=StaffMemberFactory(agency=agency, user=world.a.user(Role.STAFF), name="张阿姨"),
        role=AssignmentRole.LEAD,
        status=AssignmentStatus.CONFIRMED,
    )
    member = AssignmentFactory(
        agency=agency,
        order=order,
        staff=StaffMemberFactory(agency=agency, user=member_user, name="李阿姨"),
        role=AssignmentRole.MEMBER,
        status=AssignmentStatus.CONFIRMED,
    )
    return TeamJob(
        order=order,
        lead=lead,
        member=member,
        lead_actor=Actor(user=lead.staff.user, ip_address="192.0.2.20"),
        member_actor=Actor(user=member_user, ip_address="192.0.2.21"),
    )


# --- online payment (orders.payments): the fake providers and the agency's accounts ----


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeProviders]:
    fake = FakeProviders().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(fake_server, settings) -> FakeProviders:
    fake_server.trades.clear()
    fake_server.refunds.clear()
    fake_server.requests.clear()
    fake_server.refuse_refunds = ""
    settings.WECHATPAY_GATEWAY = fake_server.wechat_gateway
    settings.ALIPAY_GATEWAY = fake_server.alipay_gateway
    return fake_server


@pytest.fixture
def accounts(fake, world):
    return configure(fake, world.a)
