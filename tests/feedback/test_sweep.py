"""The revisit sweep: each letter and each escalation once, whatever runs twice or crashes,
and one order walked through its revisits day by day as beat would sweep it.

An order of agency A (Asia/Shanghai) is confirmed at 10:00 on Monday 2026-11-02
and accepted at 15:00 on Tuesday: the 24-hour call is due on Wednesday at
15:00, the thank-you letter on Monday 2026-11-09 at 10:00, the second contact
seven days after the letter went out.
"""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agency.audit import Actor
from agency.models import Channel, Notification, OutboundMessage, Role
from feedback import revisits
from feedback.models import Revisit, RevisitKind, RevisitOutcome, RevisitStatus
from feedback.revisits import revisit_log, sweep_revisits
from feedback.selectors import revisit_queue
from orders.models import OrderEvent, OrderStatus
from tests.concurrency import race
from tests.factories import CallbackFactory, CustomerFactory, OrderFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONFIRMED = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
ACCEPTED = datetime(2026, 11, 3, 15, 0, tzinfo=SHANGHAI)


def day(n: int, hour: int = 9) -> datetime:
    """Day `n` after the confirmation (day 0 is Monday 2026-11-02), at `hour` in Shanghai."""
    return CONFIRMED.replace(hour=hour) + timedelta(days=n)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def _shanghai(world):
    world.a.agency.time_zone = "Asia/Shanghai"
    world.a.agency.save()


@pytest.fixture
def kicks():
    """The after-commit kicks of the outbox (Celery messages), caught here."""
    with mock.patch("agency.queueing.current_app") as app:
        yield app.send_task


def confirmed_and_accepted(tenant, *, confirmed=CONFIRMED, accepted=ACCEPTED):
    order = OrderFactory(
        agency=tenant.agency,
        branch=tenant.branch,
        status=OrderStatus.ACCEPTED,
        needs_form__customer=CustomerFactory(agency=tenant.agency),
    )
    for status, moment in ((OrderStatus.CONFIRMED, confirmed), (OrderStatus.ACCEPTED, accepted)):
        with at(moment):
            OrderEvent.objects.create(agency=tenant.agency, order=order, to_status=status)
    return order


def letters_to(order) -> int:
    """Texts to the order's customer: only the thank-you letter here (no feedback sweep)."""
    return OutboundMessage.objects.filter(
        channel=Channel.SMS, recipient=order.customer.phone, body__contains=order.number
    ).count()


def queued(world, moment: datetime) -> set[tuple[int | None, str]]:
    """(order, kind) of each revisit in the dispatcher's queue of today, at `moment`."""
    return {
        (r.order_id, r.kind) for r in revisit_queue(agency=world.a.agency, now=moment, view="today")
    }


# --- reliability: real transactions -------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_letter_and_each_escalation_notice_once(world, kicks):
    orders = [confirmed_and_accepted(world.a) for _ in range(8)]
    # On day 8 each letter is a day late and each 24-hour call four days overdue.
    now = day(8, hour=11)

    outcomes = race(lambda: sweep_revisits(now=now), lambda: sweep_revisits(now=now))

    assert all(isinstance(o, dict) for o in outcomes), outcomes
    assert sum(o["letters"] for o in outcomes) == 8  # type: ignore[index]
    assert sum(o["escalated"] for o in outcomes) == 8  # type: ignore[index]
    assert [letters_to(order) for order in orders] == [1] * 8
    assert OutboundMessage.objects.filter(channel=Channel.SMS).count() == 8
    supervisor = world.a.user(Role.SUPERVISOR)
    notices = Notification.objects.filter(user=supervisor)
    assert notices.count() == 8
    assert notices.values("key").distinct().count() == 8
    assert (
        OutboundMessage.objects.filter(channel=Channel.EMAIL, recipient=supervisor.email).count()
        == 8
    )
    assert Revisit.objects.filter(kind=RevisitKind.SECOND_CONTACT).count() == 8
    assert set(
        Revisit.objects.filter(kind=RevisitKind.THANK_YOU_LETTER).values_list("status", flat=True)
    ) == {RevisitStatus.SENT}
    # And a third sweep finds nothing left to do.
    again = sweep_revisits(now=now)
    assert (again["letters"], again["escalated"]) == (0, 0)
    assert OutboundMessage.objects.count() == 16


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_crash_between_claiming_and_sending_leaves_nothing_and_the_next_sweep_sends_once(
    world, kicks
):
    order = confirmed_and_accepted(world.a)
    now = day(7, hour=10)
    with (
        mock.patch.object(revisits, "message_queue", side_effect=RuntimeError("worker killed")),
        pytest.raises(RuntimeError, match="worker killed"),
    ):
        sweep_revisits(now=now)

    letter = Revisit.objects.get(order=order, kind=RevisitKind.THANK_YOU_LETTER)
    assert (letter.status, letter.done_at, letter.next_action_at) == (
        RevisitStatus.OPEN,
        None,
        CONFIRMED + timedelta(days=7),
    )
    assert not OutboundMessage.objects.exists()
    assert not Revisit.objects.filter(kind=RevisitKind.SECOND_CONTACT).exists()
    kicks.assert_not_called()

    assert sweep_revisits(now=now + timedelta(minutes=5))["letters"] == 1
    assert sweep_revisits(now=now + timedelta(minutes=10))["letters"] == 0
    assert letters_to(order) == 1
    assert Revisit.objects.filter(kind=RevisitKind.SECOND_CONTACT).count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_call_overdue_again_after_a_retry_is_escalated_again(world, kicks):
    # The escalation notice's key names the attempt: a retried call overdue again
    # must not collide with its first notice (a unique key per person).
    order = confirmed_and_accepted(world.a)
    assert sweep_revisits(now=day(3, hour=16))["escalated"] == 1  # due Wed 15:00 + a day
    call = Revisit.objects.get(order=order, kind=RevisitKind.SATISFACTION_CALL)
    with at(day(3, hour=17)):
        revisit_log(
            revisit=call,
            actor=Actor(user=world.a.user(Role.DISPATCHER)),
            outcome=RevisitOutcome.NOT_REACHED,
        )
    assert sweep_revisits(now=day(6, hour=12))["escalated"] == 1
    assert Notification.objects.filter(user=world.a.user(Role.SUPERVISOR)).count() == 2


# --- the walk ----------------------------------------------------------------------------------


def test_one_order_walked_through_its_revisits_as_beat_sweeps_every_two_hours(world):
    office = Actor(user=world.a.user(Role.DISPATCHER))
    order = confirmed_and_accepted(world.a)
    callback = CallbackFactory(
        agency=world.a.agency, customer=order.customer, due_at=day(3, hour=10)
    )
    call = (order.pk, RevisitKind.SATISFACTION_CALL)
    second = (order.pk, RevisitKind.SECOND_CONTACT)
    asked = (None, RevisitKind.REQUESTED_CALLBACK)

    moment = CONFIRMED
    seen: dict[int, set[tuple[int | None, str]]] = {}
    while moment <= day(14, hour=23):
        with at(moment):
            sweep_revisits()
        if moment.hour == 10:  # the dispatcher opens the queue at ten every morning
            seen[(moment - CONFIRMED).days] = queued(world, moment)
            if call in seen[(moment - CONFIRMED).days]:
                with at(moment):
                    revisit_log(
                        revisit=Revisit.objects.get(order=order, kind=call[1]),
                        actor=office,
                        outcome=RevisitOutcome.REACHED,
                        satisfaction=5,
                    )
        moment += timedelta(hours=2)

    # Accepted on Tuesday afternoon: the call is in the queue on Wednesday, and logged.
    assert call not in seen[1]
    assert call in seen[2]
    assert call not in seen[3]
    assert Revisit.objects.get(order=order, kind=call[1]).status == RevisitStatus.DONE
    # The letter went out once, on day 7 at ten, however many sweeps came after.
    letter = Revisit.objects.get(order=order, kind=RevisitKind.THANK_YOU_LETTER)
    assert (letter.status, letter.done_at) == (RevisitStatus.SENT, day(7, hour=10))
    assert letters_to(order) == 1
    # The second contact, seven days after the letter: in the queue on day 14, not before.
    assert Revisit.objects.get(order=order, kind=second[1]).due_at == day(14, hour=10)
    assert all(second not in seen[n] for n in range(14))
    assert second in seen[14]
    # The callback the customer asked for, three days on: there on day 3, not on day 2.
    assert {k for k in seen[2] if k[1] == asked[1]} == set()
    callback_revisit = Revisit.objects.get(kind=RevisitKind.REQUESTED_CALLBACK)
    assert callback_revisit.source == f"callback-{callback.pk}"
    assert (callback_revisit.order_id, callback_revisit.kind) in seen[3]
    # Only the callback, never logged here, went to a supervisor: the call was logged on
    # its day and the second contact is not late yet.
    escalated = Revisit.objects.filter(escalated_at__isnull=False)
    assert list(escalated) == [callback_revisit]


def test_a_cancelled_orders_letter_is_dropped_not_sent(world):
    order = confirmed_and_accepted(world.a)
    with at(day(1)):
        sweep_revisits()
    # As the lifecycle cancels it: the status and its event, which the sweep reads.
    order.status = OrderStatus.CANCELLED
    order.save()
    OrderEvent.objects.create(agency=order.agency, order=order, to_status=OrderStatus.CANCELLED)
    with at(day(7, hour=11)):
        result = sweep_revisits()
    assert result["letters"] == 0
    assert letters_to(order) == 0
    letter = Revisit.objects.get(order=order, kind=RevisitKind.THANK_YOU_LETTER)
    assert (letter.status, letter.dropped_reason) == (RevisitStatus.DROPPED, "order cancelled")
