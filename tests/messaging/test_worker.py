"""A real Celery worker, on the local Redis, sends a customer's text through the fake Aliyun."""

import uuid
from unittest import mock

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction

from agency.models import MessageStatus, Notification, OutboundMessage
from config.celery import app
from messaging.tasks import report_failed_texts
from tests.messaging.test_aliyun import customer_text
from tests.workers import wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_the_text_to_aliyun_and_reports_a_failed_one(world, fake_aliyun):
    queue = f"test-{uuid.uuid4().hex}"
    send_task = app.send_task

    def to_test_queue(name, *args, **options):
        return send_task(name, *args, **{**options, "queue": queue})

    try:
        with (
            mock.patch.object(app, "send_task", side_effect=to_test_queue),
            start_worker(
                app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
            ),
        ):
            with transaction.atomic():
                message = customer_text(world)  # its delivery is asked for after commit
            wait_for(
                lambda: OutboundMessage.objects.filter(pk=message.pk, status="sent").exists(),
                "the text to be sent",
            )
            # The provider's receipt says it never arrived: the dispatchers are told.
            OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
            report_failed_texts.apply_async(queue=queue)
            wait_for(
                lambda: Notification.objects.filter(
                    key__startswith=f"message:{message.pk}"
                ).exists(),
                "the dispatchers to be told",
            )
    finally:
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )

    message.refresh_from_db()
    [sent] = fake_aliyun.accepted
    assert (message.provider_id, sent["OutId"]) == (sent["BizId"], str(message.key))
    assert len(fake_aliyun.requests) == 1
