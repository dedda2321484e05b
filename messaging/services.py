"""Writing messages: `announce` an event, and keep an agency's templates.

`announce` runs inside the caller's transaction (the service that wrote the event):
its messages are rows of that transaction, so a rollback tells nobody, and they are
sent after commit through the outbox (agency.notifications), which retries until the
provider takes them. Each message has a key made of the event's key, the rule and the
recipient: announcing the same event twice writes nothing the second time.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.models import (
    Agency,
    Channel,
    Membership,
    MessageStatus,
    Notification,
    OutboundMessage,
    User,
)
from agency.notifications import DELIVER_DUE_TASK
from agency.queueing import enqueue_on_commit
from messaging.defaults import DEFAULTS
from messaging.models import MessageTemplate
from messaging.recipients import Recipient
from messaging.rendering import (
    SMS_MAX_CHARS,
    SUBJECT_MAX_CHARS,
    TemplateProblem,
    check,
    render,
    samples,
    signed,
)
from messaging.rules import BY_CODE, Audience, Event, Rule, Via, rule, rules_of

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


@dataclass
class Announced:
    """What an announcement wrote: messages, in-app notices, and whom it could not reach."""

    messages: list[OutboundMessage] = field(default_factory=list)
    notices: list[Notification] = field(default_factory=list)
    unreachable: list[Recipient] = field(default_factory=list)


def announce(
    *,
    agency: Agency,
    event: Event,
    key: str,
    context: Mapping[str, str] | Callable[[str], Mapping[str, str]],
    customer: Recipient | None = None,
    staff: Sequence[Recipient] = (),
    office: Sequence[Recipient] | None = None,
    branch_id: int | None = None,
    topics: Sequence[str] = (),
    now: datetime | None = None,
    wordings: Mapping[tuple[str, str], Wording] | None = None,
    reread: bool = True,
) -> Announced:
    """Write every message the rules of `event` ask for.

    `key` names the event once (e.g. "assignment:12:assigned"). `context` holds the
    event's variables, or makes them for a language (dates and service names read
    differently in each); each recipient's own (`Recipient.context`) go over them.
    `office` overrides the
    rule's roles (e.g. the one reviewer of a stage); by default the office recipients
    are the active members in the rule's roles, of `branch_id` or of no branch.
    `wordings` (from `wordings_of`) spares the read of the agency's templates when the
    caller announces many events of one agency. `reread=False` spares the read of the
    stored messages for a caller that does not look at them (see `_save`).
    """
    announced = Announced()
    _compose(
        announced,
        Announcement(
            agency=agency,
            event=event,
            key=key,
            context=context,
            customer=customer,
            staff=staff,
            office=office,
            branch_id=branch_id,
            topics=topics,
        ),
        now=now or timezone.now(),
        wordings=wordings,
    )
    _save(announced, reread=reread)
    return announced


@dataclass(frozen=True)
class Announcement:
    """One event to announce, as `announce`'s arguments: for `announce_all`."""

    agency: Agency
    event: Event
    key: str
    context: Mapping[str, str] | Callable[[str], Mapping[str, str]]
    customer: Recipient | None = None
    staff: Sequence[Recipient] = ()
    office: Sequence[Recipient] | None = None
    branch_id: int | None = None
    topics: Sequence[str] = ()


def announce_all(
    announcements: Iterable[Announcement],
    *,
    wordings: Mapping[int, Mapping[tuple[str, str], Wording]],
    now: datetime | None = None,
) -> Announced:
    """Write the messages of many events in a constant number of queries (a sweep's batch):
    `wordings` holds each agency's words by agency id (`wordings_by_agency`). Each event's
    messages are exactly `announce`'s; the answer holds what was composed (a repeat of an
    earlier event is skipped by its key, and not read back)."""
    now = now or timezone.now()
    announced = Announced()
    for announcement in announcements:
        _compose(announced, announcement, now=now, wordings=wordings[announcement.agency.pk])
    _save(announced, reread=False)
    return announced


def _compose(
    announced: Announced,
    announcement: Announcement,
    *,
    now: datetime,
    wordings: Mapping[tuple[str, str], Wording] | None,
) -> None:
    agency, context = announcement.agency, announcement.context
    rules = rules_of(announcement.event)
    if wordings is None:
        wordings = wordings_of(agency, [each.code for each in rules])
    by_language: dict[str, Mapping[str, str]] = {}

    def values_in(language: str) -> Mapping[str, str]:
        if language not in by_language:
            found = context(language) if callable(context) else context
            by_language[language] = {"agency_name": agency.name, **found}
        return by_language[language]

    for each in rules:
        if each.audience == Audience.CUSTOMER:
            customer = announcement.customer
            people: Sequence[Recipient] = [customer] if customer else []
        elif each.audience == Audience.STAFF:
            people = announcement.staff
        else:
            people = (
                announcement.office
                if announcement.office is not None
                else office_recipients(agency, roles=each.roles, branch_id=announcement.branch_id)
            )
        for person in people:
            language = _language(person.language, agency)
            _write(
                announced,
                agency=agency,
                rule=each,
                person=person,
                wording=wordings[each.code, language],
                context={**values_in(language), **person.context},
                key=f"{announcement.key}:{each.code}:{_who(person)}",
                topics=[*announcement.topics, *person.topics],
                now=now,
            )


def _write(
    announced: Announced,
    *,
    agency: Agency,
    rule: Rule,
    person: Recipient,
    wording: Wording,
    context: Mapping[str, str],
    key: str,
    topics: list[str],
    now: datetime,
) -> None:
    if rule.promotional and not person.promotions:
        return
    channels = _channels(rule, person)
    if not channels:
        announced.unreachable.append(person)
        return
    names = rule.variables
    values = {name: context.get(name, "") for name in names}
    subject = render(wording.subject, values)[:SUBJECT_MAX_CHARS]
    body = render(wording.body, values)
    release = None if rule.urgent and not rule.promotional else _held_until(person, agency, now)
    for via in channels:
        if via == Via.IN_APP:
            announced.notices.append(
                Notification(
                    agency=agency,
                    user=person.user,
                    key=key[:100],
                    title=subject,
                    body=body,
                    link=person.link[:300],
                )
            )
            continue
        announced.messages.append(
            OutboundMessage(
                agency=agency,
                channel=Channel(via.value),
                recipient=person.phone if via == Via.SMS else person.email,
                recipient_name=person.name[:100],
                subject=subject,
                body=signed(body, signature=agency.name) if via == Via.SMS else body,
                rule=rule.code,
                reference=context.get("order_number", "")[:40],
                topics=sorted(set(topics)),
                dedupe_key=f"{key}:{via.value}"[:160],
                next_attempt_at=release or now,
            )
        )


def _channels(rule: Rule, person: Recipient) -> list[Via]:
    """The channels this message goes by: a customer's first reachable choice (else any
    channel that reaches them); for staff and the office, each chosen one that reaches."""
    usable = [via for via in person.via if via in rule.channels and person.reaches(via)]
    if rule.audience != Audience.CUSTOMER:
        return usable
    if usable:
        return usable[:1]
    fallback = [via for via in rule.channels if person.reaches(via)]
    return fallback[:1]


def _held_until(person: Recipient, agency: Agency, now: datetime) -> datetime | None:
    if person.quiet is None:
        return None
    return person.quiet.release_at(now, zone=agency.zone)


def _who(person: Recipient) -> str:
    if person.user is not None:
        return f"u{person.user.pk}"
    return person.phone or person.email or person.name


def _language(language: str, agency: Agency) -> str:
    language = (language or agency.default_language).lower()
    return language if language in LANGUAGES else LANGUAGES[0]


def _save(announced: Announced, *, reread: bool = True) -> None:
    """Store what was composed. `reread` answers with the stored messages (one more
    query), the first announcement's rows where this one repeated it."""
    # Repeats of one event meet the unique keys and are skipped, not raised: the first
    # announcement stands.
    if announced.notices:
        Notification.objects.bulk_create(announced.notices, ignore_conflicts=True)
    if announced.messages:
        OutboundMessage.objects.bulk_create(announced.messages, ignore_conflicts=True)
        if reread:
            # Skipped rows come back without a key: answer with what is stored.
            announced.messages = list(
                OutboundMessage.objects.filter(
                    agency_id=announced.messages[0].agency_id,
                    dedupe_key__in=[message.dedupe_key for message in announced.messages],
                ).order_by("pk")
            )
        enqueue_on_commit(DELIVER_DUE_TASK)


def failed_texts_report(*, now: datetime | None = None, limit: int = 200) -> int:
    """Show the dispatchers each text to a customer that failed for good, once.

    Issue 16, "Delivery": a failed SMS to a customer (refused after the last try, or
    failed by the provider's receipt) is shown to the dispatcher, so that someone calls.
    Reads only the unreported failures (a partial index); marks each one reported in
    the same transaction as its announcement, whose key is once per message anyway.
    """
    now = now or timezone.now()
    with transaction.atomic():
        failed = list(
            OutboundMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=MessageStatus.FAILED,
                rule__endswith=f":{Audience.CUSTOMER}",
                failure_reported_at=None,
            )
            .select_related("agency")
            .order_by("pk")[:limit]
        )
        for message in failed:
            announce(
                agency=message.agency,
                event=Event.MESSAGE_FAILED,
                key=f"message:{message.pk}:failed",
                context={
                    "customer_name": message.recipient_name,
                    "order_number": message.reference,
                    "reason": message.last_error,
                },
                topics=message.topics,
                now=now,
            )
        OutboundMessage.objects.filter(pk__in=[message.pk for message in failed]).update(
            failure_reported_at=now
        )
    return len(failed)


def office_recipients(
    agency: Agency, *, roles: Iterable[str], branch_id: int | None = None, link: str = ""
) -> list[Recipient]:
    """The active office members in `roles`: of the branch, or of the whole agency;
    `link` is the page their in-app notice opens."""
    memberships = Membership.objects.filter(
        agency=agency, role__in=list(roles), is_active=True, user__is_active=True
    ).select_related("user")
    if branch_id is not None:
        memberships = memberships.filter(Q(branch_id=branch_id) | Q(branch__isnull=True))
    return [
        office_recipient(membership.user, agency=agency, link=link) for membership in memberships
    ]


def office_recipient(user: User, *, agency: Agency, link: str = "") -> Recipient:
    return Recipient(
        name=user.get_full_name() or user.username,
        language=user.preferred_language or agency.default_language,
        via=(Via.IN_APP,),
        user=user,
        link=link,
    )


# --- templates --------------------------------------------------------------------------


def wordings_of(agency: Agency, codes: Iterable[str]) -> dict[tuple[str, str], Wording]:
    """(rule code, language) → the words in force: the agency's own, else the default."""
    return wordings_by_agency([agency.pk], codes)[agency.pk]


def wordings_by_agency(
    agency_ids: Iterable[int], codes: Iterable[str]
) -> dict[int, dict[tuple[str, str], Wording]]:
    """`wordings_of` for many agencies in one query: agency id → its words in force."""
    codes = list(codes)
    shipped = {
        (code, language): Wording(subject, body)
        for code in codes
        for language, (subject, body) in DEFAULTS[code].items()
    }
    found = {agency_id: dict(shipped) for agency_id in agency_ids}
    own = MessageTemplate.objects.filter(agency_id__in=list(found), rule__in=codes)
    for template in own.only("agency_id", "rule", "language", "subject", "body"):
        found[template.agency_id][template.rule, template.language] = Wording(
            template.subject, template.body
        )
    return found


def template_problems(*, code: str, subject: str, body: str) -> dict[str, list[str]]:
    """Why these words may not be saved for rule `code`, by field; empty if they may."""
    each = rule(code)
    problems: dict[str, list[str]] = {}
    for name, text in (("subject", subject), ("body", body)):
        try:
            check(text, allowed=each.variables)
        except TemplateProblem as problem:
            problems[name] = [str(problem)]
    if problems:
        return problems
    example = samples(each.variables)
    text = render(body, example)
    if not text:
        problems["body"] = [_("The text renders empty.")]
    elif Via.SMS in each.channels and len(signed(text, signature="x" * 12)) > SMS_MAX_CHARS:
        too_long = _("With the sample values this text is %(count)s characters; ") + _(
            "an SMS takes at most %(max)s."
        )
        problems["body"] = [too_long % {"count": len(text), "max": SMS_MAX_CHARS}]
    if not render(subject, example):
        problems["subject"] = [_("The subject renders empty.")]
    return problems


@transaction.atomic
def template_save(
    *, agency: Agency, actor: Actor, code: str, language: str, subject: str, body: str
) -> MessageTemplate:
    """Save an agency's words for a rule; refused with the reason if they do not work."""
    if code not in BY_CODE:
        raise ValidationError({"rule": _("There is no such rule.")})
    if language not in LANGUAGES:
        raise ValidationError({"language": _("There is no such language.")})
    problems = template_problems(code=code, subject=subject, body=body)
    if problems:
        raise ValidationError(problems)
    template, _created = MessageTemplate.objects.update_or_create(
        agency=agency,
        rule=code,
        language=language,
        defaults={"subject": subject, "body": body, "updated_by": actor.user},
    )
    audit_record(
        agency=agency,
        actor=actor,
        action="message_template.saved",
        target=template,
        changes={"subject": subject, "body": body},
    )
    return template


@transaction.atomic
def template_reset(*, agency: Agency, actor: Actor, code: str, language: str) -> None:
    """Back to the shipped words."""
    template = MessageTemplate.objects.filter(agency=agency, rule=code, language=language).first()
    if template is None:
        return
    audit_record(agency=agency, actor=actor, action="message_template.reset", target=template)
    template.delete()


def preview(*, code: str, subject: str, body: str, context: Mapping[str, Any]) -> Wording:
    """The words rendered with `context` (an example's values, else the samples)."""
    each = rule(code)
    values = {**samples(each.variables), **{k: str(v) for k, v in context.items()}}
    return Wording(render(subject, values), render(body, values))
