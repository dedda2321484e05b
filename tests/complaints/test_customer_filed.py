"""A complaint the customer files from their portal (issue 18) enters the normal flow."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agency.audit import Actor
from agency.idempotency import RepeatedSubmission
from agency.models import AuditLog, OutboundMessage, Role
from complaints.models import Complaint, ComplaintChannel, Tier
from complaints.services.intake import MAX_CUSTOMER_ATTACHMENTS, complaint_file
from orders.models import OrderEvent
from tests.factories import OrderFactory
from tests.uploads import photo, text_as


@pytest.fixture
def as_customer(customer):
    return Actor.customer(customer.pk, ip_address="198.51.100.20")


@pytest.fixture
def served(world, customer):
    return OrderFactory(
        agency=world.a.agency,
        branch=world.a.branch,
        needs_form__customer=customer,
        status="accepted",
    )


def test_a_customer_files_with_photos_into_the_sla_flow(customer, as_customer, served):
    complaint = complaint_file(
        customer=customer,
        actor=as_customer,
        order=served,
        category="damage",
        description="打碎了一个花瓶",
        attachments=[photo("vase.png")],
    )

    assert complaint.channel == ComplaintChannel.PORTAL
    assert complaint.taken_by is None and complaint.tier == Tier.HARD
    assert complaint.branch == served.branch
    assert complaint.deadlines.exists()
    assert complaint.attachments.get().uploaded_by is None
    customer.refresh_from_db()
    assert customer.special_attention
    line = OrderEvent.objects.get(order=served, reason__contains=complaint.number)
    assert line.by_customer
    entry = AuditLog.objects.get(action="complaint.take")
    assert entry.customer_id == customer.pk and entry.actor is None
    assert OutboundMessage.objects.filter(rule="complaint.received:customer").exists()


def test_without_an_order_it_goes_to_the_agencys_branch(world, customer, as_customer):
    complaint = complaint_file(
        customer=customer, actor=as_customer, category="attitude", description="态度不好"
    )
    assert complaint.branch == world.a.branch and complaint.order is None


def test_a_filed_complaint_is_refused_with_its_reasons(world, customer, as_customer):
    theirs = OrderFactory(agency=world.a.agency)
    with pytest.raises(ValidationError) as refused:
        complaint_file(
            customer=customer, actor=as_customer, order=theirs, category="x", description=" "
        )
    assert set(refused.value.message_dict) >= {"order", "category", "description"}
    too_many = [photo(f"{n}.png") for n in range(MAX_CUSTOMER_ATTACHMENTS + 1)]
    with pytest.raises(ValidationError, match="at most"):
        complaint_file(
            customer=customer,
            actor=as_customer,
            category="damage",
            description="花瓶",
            attachments=too_many,
        )
    with pytest.raises(ValidationError):
        complaint_file(
            customer=customer,
            actor=as_customer,
            category="damage",
            description="花瓶",
            attachments=[text_as("vase.png")],
        )
    assert not Complaint.objects.exists()


def test_only_the_customer_files_for_themselves(world, customer):
    for actor in (Actor.customer(customer.pk + 1000), Actor(user=world.a.user(Role.DISPATCHER))):
        with pytest.raises(PermissionDenied):
            complaint_file(customer=customer, actor=actor, category="damage", description="花瓶")


def test_the_same_filing_twice_is_one_complaint(customer, as_customer):
    key = uuid.uuid4()
    first = complaint_file(
        customer=customer,
        actor=as_customer,
        category="damage",
        description="花瓶",
        submission_key=key,
    )
    with pytest.raises(RepeatedSubmission) as repeat:
        complaint_file(
            customer=customer,
            actor=as_customer,
            category="damage",
            description="花瓶",
            submission_key=key,
        )
    assert repeat.value.earlier == first
    assert Complaint.objects.count() == 1
