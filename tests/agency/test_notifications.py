"""The outbox: recorded with the change, sent after commit, retried until it goes."""

from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from agency.models import Channel, MessageStatus, OutboundMessage
from agency.notifications import MAX_ATTEMPTS, deliver, deliver_due, message_queue


class BrokenSMS:
    def send(self, *, to, text):
        raise ConnectionError("provider down")


def test_a_queued_text_is_sent_once(world, sms_outbox):
    message = message_queue(
        agency=world.a.agency, channel=Channel.SMS, recipient="13800138000", body="你好"
    )
    assert deliver(message.pk) is True
    assert deliver(message.pk) is False  # a redelivered task sends nothing twice
    assert sms_outbox == [("13800138000", "你好")]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at is not None


def test_email_goes_through_djangos_mail(world):
    message = message_queue(
        agency=world.a.agency,
        channel=Channel.EMAIL,
        recipient="a@example.com",
        subject="Hi",
        body="Body",
    )
    deliver(message.pk)
    assert [m.subject for m in mail.outbox] == ["Hi"]


def test_a_failed_send_is_retried_later_and_never_lost(world, settings, sms_outbox):
    message = message_queue(agency=world.a.agency, channel=Channel.SMS, recipient="1380", body="x")
    settings.SMS_BACKEND = "tests.agency.test_notifications.BrokenSMS"
    assert deliver(message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        MessageStatus.PENDING,
        1,
        "provider down",
    )
    assert deliver_due() == 0  # not due yet: it waits a minute

    settings.SMS_BACKEND = "agency.sms.LocmemSMSBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert deliver_due() == 1
    assert sms_outbox == [("1380", "x")]


def test_after_max_attempts_a_message_is_marked_failed(world, settings):
    message = message_queue(agency=world.a.agency, channel=Channel.SMS, recipient="1380", body="x")
    settings.SMS_BACKEND = "tests.agency.test_notifications.BrokenSMS"
    OutboundMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    deliver(message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
