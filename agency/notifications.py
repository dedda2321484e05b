"""Queue an SMS or email, and deliver what is due (DESIGN.md, "Notifications").

`message_queue` writes the row inside the caller's transaction and asks a
worker to send it after commit; `deliver_due` (beat, every minute) sends
whatever is still waiting, so a lost task or a Redis restart loses nothing.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from agency.models import Agency, Channel, MessageStatus, OutboundMessage
from agency.sms import get_backend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
DELIVER_TASK = "agency.tasks.deliver_message"


def message_queue(
    *, agency: Agency, channel: str, recipient: str, body: str, subject: str = ""
) -> OutboundMessage:
    message = OutboundMessage.objects.create(
        agency=agency, channel=channel, recipient=recipient, subject=subject, body=body
    )
    # By name: agency.tasks imports this module.
    transaction.on_commit(lambda: current_app.send_task(DELIVER_TASK, args=[message.pk]))
    return message


def deliver(message_id: int) -> bool:
    """Send one waiting message; True if it went. Safe to call twice: the row is locked."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=MessageStatus.PENDING)
            .first()
        )
        if message is None:
            return False  # sent already, or another worker is on it
        try:
            _send(message)
        except Exception as error:  # noqa: BLE001 - any failure is retried later
            message.attempts += 1
            message.last_error = str(error)[:500]
            # Backoff: 1, 2, 4 … minutes; after MAX_ATTEMPTS it needs a person.
            message.next_attempt_at = timezone.now() + timedelta(
                minutes=2 ** (message.attempts - 1)
            )
            if message.attempts >= MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
            logger.warning(
                "message %s not sent (attempt %s): %s", message.pk, message.attempts, error
            )
            return False
        message.status = MessageStatus.SENT
        message.sent_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "sent_at", "attempts"])
        return True


def deliver_due(*, limit: int = 200) -> int:
    """Send the messages whose time has come; how many went."""
    due = OutboundMessage.objects.filter(
        status=MessageStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    return sum(deliver(pk) for pk in list(due))


def _send(message: OutboundMessage) -> None:
    if message.channel == Channel.SMS:
        get_backend().send(to=message.recipient, text=message.body)
    else:
        send_mail(message.subject, message.body, None, [message.recipient])
