"""Queue an SMS or email, and deliver what is due (DESIGN.md, "Notifications").

`message_queue` writes the row inside the caller's transaction and asks a
worker to send it after commit; `deliver_due` (beat, every minute) sends
whatever is still waiting, so a lost task or a Redis restart loses nothing.
"""

import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import escape, format_html, linebreaks

from agency.models import Agency, Channel, MessageStatus, Notification, OutboundMessage, User
from agency.queueing import enqueue_on_commit
from agency.sms import get_backend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
#: A provider call answers within seconds; an attempt "sending" for longer lost its worker.
SENDING_TIMEOUT = timedelta(minutes=5)
DELIVER_TASK = "agency.tasks.deliver_message"
#: A link in a message's text, up to a space or the punctuation that may follow it.
LINK = re.compile(r"https?://[^\s<>\"'，。；、）)]+")
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
    enqueue_on_commit(DELIVER_TASK, args=[message.pk])
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
        enqueue_on_commit(DELIVER_DUE_TASK)
    return created


def language_of(user: User, agency: Agency) -> str:
    """The language to write to this person in."""
    return user.preferred_language or agency.default_language


def deliver(message_id: int) -> bool:
    """Send one waiting message; True if it went. Safe to call twice.

    The attempt is committed (status "sending", counted, timed) before the
    provider is called, so a worker that dies after the provider accepted the
    message leaves a row that says so: it is never sent blindly again, and
    `deliver_due` records it as an unknown outcome. Call it outside a
    transaction, or that step is not committed on its own.
    """
    message = _claim(message_id)
    if message is None:
        return False  # sent already, being sent, or another worker is on it
    try:
        provider_id = _send(message)
    except Exception as error:  # noqa: BLE001 - the provider did not accept it: retry later
        _record_refusal(message, error)
        return False
    _this_attempt(message).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), provider_id=provider_id[:64]
    )
    return True


def _claim(message_id: int) -> OutboundMessage | None:
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=MessageStatus.PENDING)
            .first()
        )
        if message is None:
            return None
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.attempted_at = timezone.now()
        message.save(update_fields=["status", "attempts", "attempted_at"])
    return message


def _this_attempt(message: OutboundMessage) -> QuerySet[OutboundMessage]:
    # Still this attempt, even if the sweep gave up waiting for it meanwhile:
    # the provider's late answer is the better record.
    return OutboundMessage.objects.filter(
        pk=message.pk,
        attempted_at=message.attempted_at,
        status__in=[MessageStatus.SENDING, MessageStatus.UNKNOWN],
    )


def _record_refusal(message: OutboundMessage, error: Exception) -> None:
    gave_up = message.attempts >= MAX_ATTEMPTS
    _this_attempt(message).update(
        status=MessageStatus.FAILED if gave_up else MessageStatus.PENDING,
        last_error=str(error)[:500],
        # Backoff: 1, 2, 4 … minutes; after MAX_ATTEMPTS it needs a person.
        next_attempt_at=timezone.now() + timedelta(minutes=2 ** (message.attempts - 1)),
    )
    logger.warning("message %s not sent (attempt %s): %s", message.pk, message.attempts, error)


def deliver_due(*, limit: int = 200) -> int:
    """Send the messages whose time has come; how many went."""
    _record_unanswered()
    due = OutboundMessage.objects.filter(
        status=MessageStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    return sum(deliver(pk) for pk in list(due))


def _record_unanswered() -> None:
    """Attempts still "sending" long after their start lost their worker mid-send.

    The provider may have delivered them, so they are not sent again: their
    outcome is recorded as unknown for a person to check (and send again from
    the admin's outbox if it did not arrive).
    """
    lost = OutboundMessage.objects.filter(
        status=MessageStatus.SENDING, attempted_at__lt=timezone.now() - SENDING_TIMEOUT
    ).update(status=MessageStatus.UNKNOWN)
    if lost:
        logger.warning("%s message(s) lost their worker mid-send: outcome unknown", lost)


def _html(text: str) -> str:
    """An email's HTML part from its text: escaped, paragraphs kept, links clickable (the
    customer's signed link is the point of many messages). Chinese text runs into a link
    without a space (“请签字：https://…”), so links are found by their scheme, not by words."""
    parts, last = [], 0
    for found in LINK.finditer(text):
        parts += [
            escape(text[last : found.start()]),
            format_html('<a href="{0}">{0}</a>', found[0]),
        ]
        last = found.end()
    parts.append(escape(text[last:]))
    return linebreaks("".join(parts), autoescape=False)


def _send(message: OutboundMessage) -> str:
    """The provider's id of the accepted message ("" for email)."""
    if message.channel == Channel.SMS:
        return get_backend().send(
            to=message.recipient, text=message.body, idempotency_key=str(message.key)
        )
    else:
        email = EmailMultiAlternatives(message.subject, message.body, to=[message.recipient])
        email.attach_alternative(_html(message.body), "text/html")
        if message.attachment:
            with message.attachment.open("rb") as file:
                email.attach(Path(message.attachment.name or "").name, file.read())
        email.send()
        return ""


@dataclass(frozen=True)
class Receipt:
    """A provider's delivery receipt: the message by its provider id or its key."""

    provider_id: str
    key: str
    delivered: bool
    at: datetime
    error: str = ""


def receipts_record(receipts: Sequence[Receipt]) -> int:
    """Record delivery receipts; how many messages they changed.

    A message the provider took (sent, or still "sending" or "unknown" here because
    its answer was not recorded yet) becomes delivered or failed; any other is left as
    it is, so a receipt pushed twice changes nothing the second time. A failed text
    to a customer is then shown to the dispatchers by messaging's failed-texts sweep.
    """
    changed = 0
    for receipt in receipts:
        match = Q(provider_id=receipt.provider_id) if receipt.provider_id else Q()
        if _is_uuid(receipt.key):
            match = match | Q(key=receipt.key) if match else Q(key=receipt.key)
        if not match:
            continue
        outcome: dict[str, object] = (
            {"status": MessageStatus.DELIVERED, "delivered_at": receipt.at}
            if receipt.delivered
            else {"status": MessageStatus.FAILED, "last_error": receipt.error[:500]}
        )
        if receipt.provider_id:
            outcome["provider_id"] = receipt.provider_id[:64]
        changed += OutboundMessage.objects.filter(
            match,
            channel=Channel.SMS,
            status__in=[MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.UNKNOWN],
        ).update(**outcome)
    return changed


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
