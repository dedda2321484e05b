"""A real beat and a real Celery worker, on the local Redis, send the thank-you letter once."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
import redis
from celery import beat
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.utils import timezone

from agency.models import MessageStatus, OutboundMessage
from config.celery import app
from feedback.models import Revisit, RevisitKind, RevisitStatus
from feedback.tasks import sweep_revisits
from orders.models import OrderEvent, OrderStatus
from tests.factories import OrderFactory
from tests.workers import only_scheduler, wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_beat_and_a_worker_send_the_thank_you_letter_once(world, sms_outbox, tmp_path):
    queue = f"test-{uuid.uuid4().hex}"
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    send_task = app.send_task

    def to_test_queue(name, *args, **options):
        return send_task(name, *args, **{**options, "queue": queue})

    order = OrderFactory(agency=world.a.agency, branch=world.a.branch, status=OrderStatus.ASSIGNED)
    event = OrderEvent.objects.create(
        agency=world.a.agency, order=order, to_status=OrderStatus.CONFIRMED
    )
    # Confirmed eight days ago: the letter (7 days after the order) is due.
    OrderEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=8))

    sweeps: list[object] = []

    def _finished(sender=None, **kwargs):
        if sender is not None and sender.name == sweep_revisits.name:
            sweeps.append(kwargs.get("retval"))

    task_postrun.connect(_finished, weak=False)
    clock = beat.EmbeddedService(
        app,
        thread=True,
        scheduler_cls=only_scheduler("revisits", queue),
        schedule_filename=str(tmp_path / "beat-schedule"),
    )
    try:
        with mock.patch.object(app, "send_task", side_effect=to_test_queue):
            clock.start()
            with start_worker(
                app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
            ):
                wait_for(
                    lambda: OutboundMessage.objects.filter(status=MessageStatus.SENT).exists(),
                    "the thank-you letter to be delivered",
                )
                seen = len(sweeps)
                wait_for(lambda: len(sweeps) > seen + 1, "two more sweeps")
    finally:
        clock.stop()
        task_postrun.disconnect(_finished)
        broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")

    letter = Revisit.objects.get(kind=RevisitKind.THANK_YOU_LETTER)
    assert letter.status == RevisitStatus.SENT
    assert [to for to, _text in sms_outbox] == [order.customer.phone]
    assert Revisit.objects.filter(kind=RevisitKind.SECOND_CONTACT).count() == 1
