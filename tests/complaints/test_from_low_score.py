"""A complaint raised from a low feedback score starts from what the customer said."""

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from agency.models import Role
from orders.models import AssignmentRole, AssignmentStatus
from tests.factories import AssignmentFactory, FeedbackResponseFactory, OrderFactory


@time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=UTC), tick=False)
def test_a_complaint_from_a_low_score_carries_the_comment_and_the_lead(world, client_for):
    order = OrderFactory(agency=world.a.agency, number="2026-00042")
    AssignmentFactory(
        agency=world.a.agency, order=order, role=AssignmentRole.MEMBER,
        status=AssignmentStatus.CONFIRMED,
    )  # fmt: skip
    lead = AssignmentFactory(
        agency=world.a.agency, order=order, role=AssignmentRole.LEAD,
        status=AssignmentStatus.CONFIRMED,
    )  # fmt: skip
    FeedbackResponseFactory(
        agency=world.a.agency, request__order=order, overall=1, comment="阿姨提前离开了"
    )
    page = client_for(world.a.user(Role.DISPATCHER)).get(
        reverse("complaint_new"), {"order": order.number, "channel": "revisit"}
    )
    form = page.context["form"]
    assert form["description"].value() == "阿姨提前离开了"
    assert form["staff"].value() == lead.staff_id


@time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=UTC), tick=False)
def test_another_agencys_order_lends_nothing_to_the_complaint(world, client_for):
    order = OrderFactory(agency=world.b.agency, number="2026-00042")
    FeedbackResponseFactory(agency=world.b.agency, request__order=order, comment="secret")
    page = client_for(world.a.user(Role.DISPATCHER)).get(
        reverse("complaint_new"), {"order": order.number, "channel": "revisit"}
    )
    assert page.context["form"]["description"].value() in ("", None)
