"""Queue an SMS or email, and deliver what is due (DESIGN.md, "Notifications").

`message_queue` writes the row inside the caller's transaction and asks a
worker to send it after commit; `deliver_due` (beat, every minute) sends
whatever is still waiting, so a lost task or a Redis restart loses nothing.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from agency.models import Agency, Channel, MessageStatus, Notification, OutboundMessage, User
from agency.sms import get_backend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
DELIVER_TASK = "agency.tasks.deliver_message"
DELIVER_DUE_TASK = "agency.tasks.deliver_due_messages"


def message_queue(
    *,
    agency: Agency,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    attachment: str = "",
) -> OutboundMessage:
    """`attachment`: the storage name of a file an email carries (left where it is)."""
    message = OutboundMessage.objects.create(
        agency=agency,
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        attachment=attachment,
    )
    # By name: agency.tasks imports this module.
    transaction.on_commit(lambda: current_app.send_task(DELIVER_TASK, args=[message.pk]))
    return message


@dataclass(frozen=True)
class Notice:
    """One in-app notice for one person; `key` names what it is about (once per person)."""

    agency_id: int
    user: User
    key: str
    title: str
    body: str = ""
    link: str = ""


def notify(notices: Sequence[Notice]) -> list[Notification]:
    """In-app notices, and an email to each person with an address, in bulk.

    Rows of the caller's transaction: if it rolls back, nobody was told. The
    emails go through the outbox after commit (one kick of the delivery sweep),
    retried until sent. The caller makes keys unique, e.g. from the row that
    records the event; a repeated key is refused by the database.
    """
    created = Notification.objects.bulk_create(
        Notification(
            agency_id=notice.agency_id,
            user=notice.user,
            key=notice.key,
            title=notice.title[:200],
            body=notice.body,
            link=notice.link[:300],
        )
        for notice in notices
    )
    site = settings.SITE_URL.rstrip("/")
    emails = OutboundMessage.objects.bulk_create(
        OutboundMessage(
            agency_id=notice.agency_id,
            channel=Channel.EMAIL,
            recipient=notice.user.email,
            subject=notice.title[:200],
            body=f"{notice.body}\n\n{site}{notice.link}" if notice.link else notice.body,
        )
        for notice in notices
        if notice.user.email
    )
    if emails:
        transaction.on_commit(lambda: current_app.send_task(DELIVER_DUE_TASK))
    return created


def language_of(user: User, agency: Agency) -> str:
    """The language to write to this person in."""
    return user.preferred_language or agency.default_language


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
        email = EmailMessage(message.subject, message.body, to=[message.recipient])
        if message.attachment:
            with message.attachment.open("rb") as file:
                email.attach(Path(message.attachment.name or "").name, file.read())
        email.send()
