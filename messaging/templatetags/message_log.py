"""How a message log shows a message: its rule in words, its status, its recipient masked."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from agency.masking import mask_phone
from agency.models import Channel, MessageStatus, OutboundMessage
from messaging.rules import BY_CODE

register = template.Library()


@register.filter
def message_rule(message: OutboundMessage) -> str:
    """The rule's event and audience, or "letter" for a message no rule wrote."""
    rule = BY_CODE.get(message.rule)
    if rule is None:
        return _("letter")
    return f"{rule.label} · {rule.audience.label}"


@register.filter
def message_status(message: OutboundMessage) -> str:
    """Its status; a message still waiting says until when (quiet hours, or a retry)."""
    if message.status == MessageStatus.PENDING and message.next_attempt_at > timezone.now():
        at = formats.time_format(timezone.localtime(message.next_attempt_at), "H:i")
        if message.attempts:
            return _("retry at %(time)s") % {"time": at}
        return _("held until %(time)s") % {"time": at}
    if message.status == MessageStatus.PENDING:
        return _("queued")
    return str(message.get_status_display())


@register.filter
def message_recipient(message: OutboundMessage) -> str:
    """An SMS recipient's number masked: a full phone is revealed only through its audit."""
    if message.channel == Channel.SMS:
        return mask_phone(message.recipient)
    return message.recipient


#: The badge of each outcome; a message still waiting is muted (or warned when held).
TONES = {
    MessageStatus.SENT: "badge-ok",
    MessageStatus.DELIVERED: "badge-ok",
    MessageStatus.FAILED: "badge-danger",
    MessageStatus.UNKNOWN: "badge-warn",
}


@register.filter
def message_tone(message: OutboundMessage) -> str:
    if message.status == MessageStatus.PENDING and message.next_attempt_at > timezone.now():
        return "badge-warn"
    return TONES.get(MessageStatus(message.status), "badge-muted")
