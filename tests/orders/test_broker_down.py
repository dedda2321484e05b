"""Redis down: the confirmation link is recorded and texted once the outbox sweep runs."""

import pytest
from django.urls import reverse

from agency.models import MessageStatus, OutboundMessage, Role
from agency.notifications import deliver_due


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_link_is_sent_while_the_broker_is_down_and_texted_once(
    world, book, client_for, sms_outbox, broker_down
):
    order = book()
    page = reverse("order_detail", kwargs={"pk": order.pk})
    response = client_for(world.a.user(Role.DISPATCHER)).post(
        reverse("order_confirmation_link", kwargs={"pk": order.pk})
    )

    assert (response.status_code, response.url) == (302, page)
    assert OutboundMessage.objects.get().status == MessageStatus.PENDING

    assert deliver_due() == 1
    assert deliver_due() == 0
    [(to, text)] = sms_outbox
    assert to == order.customer.phone and "/c/" in text
