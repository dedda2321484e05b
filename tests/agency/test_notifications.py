"""The outbox: recorded with the change, sent after commit, retried until it goes."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from agency.models import Channel, MessageStatus, OutboundMessage
from agency.notifications import (
    MAX_ATTEMPTS,
    SENDING_TIMEOUT,
    deliver,
    deliver_due,
    message_queue,
)
from agency.sms import LocmemSMSBackend

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class BrokenSMS:
    def send(self, *, to, text, idempotency_key):
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


class CrashAfterAccepting:
    """The provider takes the text, then the worker dies before it records that."""

    def send(self, *, to, text, idempotency_key):
        LocmemSMSBackend().send(to=to, text=text, idempotency_key=idempotency_key)
        raise WorkerDied


class WorkerDied(BaseException):
    """Not an Exception: nothing in the worker gets to handle it, as with a killed process."""


def test_a_worker_dying_after_the_provider_accepted_does_not_send_the_text_again(
    world, settings, sms_outbox
):
    message = message_queue(agency=world.a.agency, channel=Channel.SMS, recipient="1380", body="x")
    settings.SMS_BACKEND = "tests.agency.test_notifications.CrashAfterAccepting"
    with time_machine.travel(NOON, tick=False), pytest.raises(WorkerDied):
        deliver(message.pk)

    message.refresh_from_db()
    # The attempt was recorded before the provider was called, and survives the crash.
    assert (message.status, message.attempts, message.attempted_at) == (
        MessageStatus.SENDING,
        1,
        NOON,
    )
    settings.SMS_BACKEND = "agency.sms.LocmemSMSBackend"
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        assert deliver(message.pk) is False  # the redelivered task
        assert deliver_due() == 0  # the sweep
    assert sms_outbox == [("1380", "x")]


def test_an_attempt_unanswered_past_the_timeout_is_recorded_as_an_unknown_outcome(
    world, settings, sms_outbox
):
    message = message_queue(agency=world.a.agency, channel=Channel.SMS, recipient="1380", body="x")
    settings.SMS_BACKEND = "tests.agency.test_notifications.CrashAfterAccepting"
    with time_machine.travel(NOON, tick=False), pytest.raises(WorkerDied):
        deliver(message.pk)
    settings.SMS_BACKEND = "agency.sms.LocmemSMSBackend"

    with time_machine.travel(NOON + SENDING_TIMEOUT - timedelta(seconds=1), tick=False):
        deliver_due()
    assert OutboundMessage.objects.get().status == MessageStatus.SENDING
    with time_machine.travel(NOON + SENDING_TIMEOUT + timedelta(seconds=1), tick=False):
        assert deliver_due() == 0

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.UNKNOWN, 1)
    assert deliver(message.pk) is False
    assert sms_outbox == [("1380", "x")]


class TimingOutSMS:
    """The provider times out: it may or may not have the text; the key lets it tell."""

    keys: list[str] = []

    def send(self, *, to, text, idempotency_key):
        self.keys.append(idempotency_key)
        raise TimeoutError("provider timed out")


def test_the_provider_gets_the_same_idempotency_key_on_every_attempt(world, settings, sms_outbox):
    message = message_queue(agency=world.a.agency, channel=Channel.SMS, recipient="1380", body="x")
    other = message_queue(agency=world.a.agency, channel=Channel.SMS, recipient="1381", body="y")
    settings.SMS_BACKEND = "tests.agency.test_notifications.TimingOutSMS"
    TimingOutSMS.keys = []
    deliver(message.pk)
    settings.SMS_BACKEND = "agency.sms.LocmemSMSBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        deliver(message.pk)
    deliver(other.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert TimingOutSMS.keys + LocmemSMSBackend.keys == [str(message.key)] * 2 + [str(other.key)]
    assert message.key != other.key


def test_an_unknown_outcome_is_sent_again_only_when_a_person_says_so(
    world, settings, sms_outbox, admin_client
):
    message = message_queue(agency=world.a.agency, channel=Channel.SMS, recipient="1380", body="x")
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.UNKNOWN, attempts=1)
    outbox = reverse("admin:agency_outboundmessage_changelist")

    page = admin_client.get(outbox, {"status__exact": "unknown"})
    with translation.override(page.wsgi_request.LANGUAGE_CODE):
        assert str(MessageStatus.UNKNOWN.label) in page.content.decode()
    admin_client.post(outbox, {"action": "send_again", "_selected_action": [message.pk]})
    assert deliver_due() == 1
    assert sms_outbox == [("1380", "x")]
    assert LocmemSMSBackend.keys == [str(message.key)]
