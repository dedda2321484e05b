"""Reads of messaging: the messages an agency sent (the log of a page's subject, or all
of them), and the template editor's words in force per rule and language, and previews.

Shared by the pages (messaging.views) and the API (messaging.api).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise

from agency.models import Agency, OutboundMessage
from messaging.defaults import DEFAULTS
from messaging.examples import example_for
from messaging.models import MessageTemplate
from messaging.rendering import segments, signed
from messaging.rules import BY_CODE, RULES, Audience, Rule, Via
from messaging.services import LANGUAGES, Wording, preview
from messaging.variables import VARIABLES, Variable


@dataclass(frozen=True)
class Words:
    """One rule's words in one language, and whether they are the agency's own."""

    rule: Rule
    language: str
    subject: str
    body: str
    own: bool

    @property
    def language_name(self) -> str | Promise:
        return dict(settings.LANGUAGES)[self.language]


@dataclass(frozen=True)
class RuleWords:
    rule: Rule
    words: list[Words]


def rule_or_404(code: str, language: str) -> Rule:
    """The rule and language an address names; an unknown one is a missing page."""
    if code not in BY_CODE or language not in LANGUAGES:
        raise Http404
    return BY_CODE[code]


def variables_of(rule: Rule) -> list[Variable]:
    return [VARIABLES[name] for name in rule.variables]


def words_by_rule(agency: Agency) -> list[RuleWords]:
    """Every rule, in the table's order, with its words in each language (one query)."""
    own = {
        (template.rule, template.language): template
        for template in MessageTemplate.objects.filter(agency=agency).only(
            "rule", "language", "subject", "body"
        )
    }
    return [
        RuleWords(
            rule, [_words(rule, language, own.get((rule.code, language))) for language in LANGUAGES]
        )
        for rule in RULES
    ]


def by_audience(rows: list[RuleWords]) -> list[tuple[Audience, list[RuleWords]]]:
    return [
        (audience, [row for row in rows if row.rule.audience == audience]) for audience in Audience
    ]


def words_of(agency: Agency, rule: Rule, language: str) -> Words:
    template = MessageTemplate.objects.filter(
        agency=agency, rule=rule.code, language=language
    ).first()
    return _words(rule, language, template)


def _words(rule: Rule, language: str, template: MessageTemplate | None) -> Words:
    if template is not None:
        return Words(rule, language, template.subject, template.body, own=True)
    subject, body = DEFAULTS[rule.code][language]
    return Words(rule, language, subject, body, own=False)


@dataclass(frozen=True)
class PreviewChannel:
    via: Via
    #: The text as it goes out (an SMS with its signature).
    text: str
    characters: int
    segments: int


@dataclass(frozen=True)
class Preview:
    #: The order it was rendered on; "" when on the sample values.
    example: str
    #: The order number asked for and not found ("" if none was asked or it was found).
    missing: str
    subject: str
    body: str
    channels: list[PreviewChannel]


def template_preview(
    *, agency: Agency, rule: Rule, language: str, subject: str, body: str, number: str = ""
) -> Preview:
    """The words rendered as they would go out: on the agency's order `number` (its
    latest when ""), else on the sample values. Variables the order cannot fill (a fee, a
    link) keep their samples. Only call with words `template_problems` accepts."""
    example = example_for(agency, number)
    values = {"agency_name": agency.name}
    if example is not None:
        values.update(example.values(language))
    wording: Wording = preview(code=rule.code, subject=subject, body=body, context=values)
    channels = []
    for via in rule.channels:
        text = signed(wording.body, signature=agency.name) if via == Via.SMS else wording.body
        count = segments(text) if via == Via.SMS else 0
        channels.append(PreviewChannel(via, text, len(text), count))
    return Preview(
        example=example.label if example else "",
        missing=number.strip() if number.strip() and example is None else "",
        subject=wording.subject,
        body=wording.body,
        channels=channels,
    )


#: What a message can be filed under (OutboundMessage.topics): a page's subject.
TOPIC = re.compile(r"^(order|customer|staff):[0-9]{1,18}$")
#: How many of a subject's messages its page shows; the rest are on the agency-wide log.
LATEST = 20


def messages_for(*, agency: Agency, topic: str | None = None) -> QuerySet[OutboundMessage]:
    """The agency's messages, newest first; with `topic` ("order:12") only that subject's.

    One query whatever the page shows: the topic is matched by the GIN index on
    `topics` (`@>`), the agency and order by `outbound_agency_recent`.
    """
    messages = OutboundMessage.objects.filter(agency=agency)
    if topic is not None:
        messages = messages.filter(topics__contains=[topic])
    return messages.defer("attachment", "subject").order_by("-created_at", "-pk")


def latest_messages(*, agency: Agency, topic: str) -> list[OutboundMessage]:
    """The newest LATEST messages about one subject, for its page's log (one query)."""
    return list(messages_for(agency=agency, topic=topic)[:LATEST])
