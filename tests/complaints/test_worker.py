"""A real beat and a real Celery worker, on the local Redis, escalate a breached complaint."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
import redis
from celery import beat
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.utils import timezone

from agency.models import MessageStatus, Notification, OutboundMessage, Role
from complaints import policy as sla
from complaints.models import Deadline, DeadlineKind, Escalation, EscalationLevel
from complaints.services.intake import complaint_take
from complaints.tasks import sweep_deadlines
from config.celery import app
from tests.workers import only_scheduler, wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_beat_and_a_worker_escalate_a_breached_complaint_through_redis(
    world, office, intake, tmp_path
):
    # A queue of its own, so a development worker on the same Redis cannot take the tasks,
    # and the outbox kick (sent after the sweep's commit) goes there too.
    queue = f"test-{uuid.uuid4().hex}"
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    send_task = app.send_task

    def to_test_queue(name, *args, **options):
        return send_task(name, *args, **{**options, "queue": queue})

    policy = sla.policy_for(world.a.agency)
    policy.hard_office_hours = False
    policy.save()
    complaint = complaint_take(
        agency=world.a.agency,
        actor=office,
        intake=intake(received_at=timezone.now() - timedelta(minutes=90)),
    )
    # First response due half an hour ago (the manager's turn comes in half an hour);
    # the second response in an hour and a half.
    supervisor = world.a.user(Role.SUPERVISOR)

    sweeps: list[object] = []  # one entry per sweep the worker finished

    def _finished(sender=None, **kwargs):
        if sender is not None and sender.name == sweep_deadlines.name:
            sweeps.append(kwargs.get("retval"))

    task_postrun.connect(_finished, weak=False)
    clock = beat.EmbeddedService(
        app,
        thread=True,
        scheduler_cls=only_scheduler("complaint-deadlines", queue),
        schedule_filename=str(tmp_path / "beat-schedule"),
    )
    try:
        with mock.patch.object(app, "send_task", side_effect=to_test_queue):
            clock.start()
            # Beat sends with no worker listening; then Redis loses it all.
            wait_for(lambda: broker.llen(queue) >= 1, "beat to send a sweep")
            broker.delete(queue)
            with start_worker(
                app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
            ):
                wait_for(
                    lambda: OutboundMessage.objects.filter(status=MessageStatus.SENT).exists(),
                    "the escalation email to be delivered",
                )
                # Beat keeps sweeping: the next sweep finds nothing more to do.
                seen = len(sweeps)
                wait_for(lambda: len(sweeps) > seen, "another sweep")
    finally:
        clock.stop()
        task_postrun.disconnect(_finished)
        broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")

    escalation = Escalation.objects.get()
    assert (escalation.complaint, escalation.level) == (complaint, EscalationLevel.SUPERVISOR)
    assert escalation.deadline.kind == DeadlineKind.FIRST_RESPONSE
    assert [n.user for n in Notification.objects.all()] == [supervisor]
    assert [m.to for m in mail.outbox] == [[supervisor.email]]
    assert sweeps.count(1) == 1 and set(sweeps) == {0, 1}
    second = Deadline.objects.get(complaint=complaint, kind=DeadlineKind.SECOND_RESPONSE)
    assert (second.level, second.breached_at) == (0, None)


def test_the_beat_schedule_sweeps_complaint_deadlines_every_30_seconds():
    entry = app.conf.beat_schedule["complaint-deadlines"]
    assert entry["task"] == sweep_deadlines.name == "complaints.tasks.sweep_deadlines"
    assert entry["schedule"] == 30.0
