"""A real Celery worker, on the local Redis broker, runs the heartbeat task."""

import threading
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.urls import reverse

from agency.models import Heartbeat
from agency.tasks import record_heartbeat
from config.celery import app


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_heartbeat_task_from_redis(client, queues):
    # /health/ reads the test's own empty queues, not what other tests left on the broker.
    # A queue of its own, so a development worker on the same Redis cannot take the task.
    queue = f"test-{uuid.uuid4().hex}"
    done = threading.Event()

    def _finished(sender=None, **kwargs):
        if sender is not None and sender.name == record_heartbeat.name:
            done.set()

    task_postrun.connect(_finished, weak=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            record_heartbeat.apply_async(queue=queue)
            assert done.wait(timeout=30), "the worker did not run the task"
    finally:
        task_postrun.disconnect(_finished)

    assert Heartbeat.objects.count() == 1
    assert client.get(reverse("health")).status_code == 200


def test_the_beat_schedule_runs_the_heartbeat_every_interval(settings):
    entry = app.conf.beat_schedule["heartbeat"]
    assert entry["task"] == record_heartbeat.name
    assert entry["schedule"] == settings.HEARTBEAT_INTERVAL_SECONDS


def test_celery_is_configured_for_reliability():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_url.startswith("redis://")


def test_a_send_to_a_broker_that_does_not_answer_gives_up_within_seconds():
    # A request sends its tasks after commit and waits for the publish: at most
    # two connection attempts of two seconds each (agency/queueing.py).
    assert app.conf.broker_transport_options["socket_connect_timeout"] == 2
    assert app.conf.task_publish_retry_policy["max_retries"] == 1
