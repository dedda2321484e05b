"""Redis down: a complaint is taken all the same, and its notices go out once it is back."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from agency.models import MessageStatus, OutboundMessage, Role
from agency.notifications import deliver_due
from complaints.models import Complaint


def office_mail():
    """The office's escalation emails; the customer's own complaint messages (rules of
    messaging, e.g. "complaint received") are not what these tests count."""
    return OutboundMessage.objects.filter(rule="")


@pytest.mark.django_db(transaction=True)
def test_a_major_complaint_is_taken_while_the_broker_is_down_and_the_managers_told_once(
    world, customer, broker_down, caplog
):
    client = APIClient()
    client.force_authenticate(world.a.user(Role.DISPATCHER))
    response = client.post(
        reverse("complaint-list"),
        {
            "branch": world.a.branch.pk,
            "customer": customer.pk,
            "channel": "phone",
            "category": "damage",
            "severity": "major",
            "description": "打碎了一个花瓶",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Complaint.objects.count() == 1
    assert "agency.tasks.deliver_due_messages" in caplog.text  # logged, by task
    [waiting] = office_mail()
    assert (waiting.status, waiting.recipient) == (
        MessageStatus.PENDING,
        world.a.user(Role.MANAGER).email,
    )

    # The beat's outbox sweep, once the broker is back, sends it; a second sweep sends nothing.
    assert deliver_due() == 2  # the managers' email and the customer's "complaint received"
    assert deliver_due() == 0
    assert [m.to for m in mail.outbox] == [[world.a.user(Role.MANAGER).email]]
