from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agency.audit import Actor
from agency.errors import StateConflict
from agency.models import OutboundMessage, Role
from agency.signed_links import sign
from complaints.incidents.valuables import (
    VALUABLES_LINK,
    valuables_check_record,
    valuables_confirm_by_link,
)
from complaints.models import ValuablesCheck
from orders.models import OrderStatus
from orders.service.services.service_log import log_check_in


@pytest.fixture
def marked_job(world, job):
    """A job of a service marked for the valuables check, checked in to."""
    order = job.order
    order.service_type.valuables_check = True
    order.service_type.preparation_checklist = []
    order.service_type.save()
    order.status = OrderStatus.ASSIGNED
    order.starts_at = timezone.now() - timedelta(hours=1)
    order.ends_at = timezone.now() + timedelta(hours=2)
    order.save()
    log_check_in(assignment=job, actor=Actor(user=world.a.user(Role.STAFF)))
    job.order.refresh_from_db()
    return job


def test_the_customer_ticks_on_the_staff_phone(world, marked_job, client_for):
    client = client_for(world.a.user(Role.STAFF))
    page = client.get(reverse("my_job", args=[marked_job.pk]))
    assert reverse("my_job_valuables", args=[marked_job.pk]) in page.content.decode()
    response = client.post(
        reverse("my_job_valuables", args=[marked_job.pk]), {"customer_confirmed": "on"}
    )
    assert response.status_code == 302
    check = ValuablesCheck.objects.get()
    assert check.confirmed_via == "device"
    assert check.confirmed_by == marked_job.order.customer.name
    assert check.checked_by == world.a.user(Role.STAFF)
    assert not OutboundMessage.objects.filter(rule="valuables.to_confirm:customer").exists()


def test_without_the_customer_a_link_is_sent_and_confirms_once(world, marked_job, client):
    check = valuables_check_record(
        assignment=marked_job, actor=Actor(user=world.a.user(Role.STAFF)), customer_confirmed=False
    )
    assert check.confirmed_at is None
    message = OutboundMessage.objects.get(rule="valuables.to_confirm:customer")
    link = message.body.split("/v/")[1].split("/")[0]
    assert client.get(f"/v/{link}/").status_code == 200
    assert client.post(f"/v/{link}/").status_code == 200
    check.refresh_from_db()
    assert (check.confirmed_via, check.confirmed_at is not None) == ("link", True)
    first = check.confirmed_at
    assert valuables_confirm_by_link(token=link).confirmed_at == first


def test_a_forged_link_answers_404(client, world, marked_job):
    assert client.get("/v/forged/").status_code == 404
    other_purpose = sign(VALUABLES_LINK, {"nothing": 1})
    assert client.get(f"/v/{other_purpose}/").status_code == 404


def test_unmarked_services_and_second_checks_are_refused(world, job, marked_job):
    staff = Actor(user=world.a.user(Role.STAFF))
    valuables_check_record(assignment=marked_job, actor=staff, customer_confirmed=True)
    with pytest.raises(StateConflict):
        valuables_check_record(assignment=marked_job, actor=staff, customer_confirmed=True)
    marked_job.order.service_type.valuables_check = False
    marked_job.order.service_type.save()
    ValuablesCheck.objects.all().delete()
    with pytest.raises(StateConflict):
        valuables_check_record(assignment=marked_job, actor=staff, customer_confirmed=True)
