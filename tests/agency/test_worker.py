"""A real Celery worker, on the local Redis broker, runs the heartbeat task."""

import threading
import uuid
from unittest import mock

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.urls import reverse

from agency.models import Document, DocumentStatus, Heartbeat, Role
from agency.tasks import record_heartbeat
from config.celery import app
from tests.orders.test_billing import pdf_text
from tests.orders.test_billing_pages import paid
from tests.workers import wait_for


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


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_an_asked_for_invoice_and_the_page_serves_it(world, client_for):
    # The page's request sends the build after its commit, as routed to the reports queue;
    # a real worker takes it from Redis (the test's own queue) and stores the PDF.
    queue = f"test-{uuid.uuid4().hex}"
    routed: list[str] = []
    send_task = app.send_task

    def to_test_queue(name, *args, **options):
        routed.append(app.amqp.router.route(options, name, args)["queue"].name)
        return send_task(name, *args, **{**options, "queue": queue})

    invoice = paid(world.a)
    client = client_for(world.a.user(Role.FINANCE))
    url = reverse("invoice_pdf", kwargs={"pk": invoice.pk})
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            with mock.patch.object(app, "send_task", side_effect=to_test_queue):
                assert client.get(url).status_code == 202
            wait_for(
                lambda: Document.objects.filter(status=DocumentStatus.READY).exists(),
                "the invoice's document",
            )
    finally:
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )

    assert routed == [settings.REPORTS_QUEUE]
    assert Document.objects.get().kind == "invoice"
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert invoice.number in pdf_text(response.getvalue())
