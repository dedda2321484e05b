"""The filters of the agency-wide message log, shared by its page and the API."""

from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.filters import DayFilter
from agency.models import Channel, MessageStatus, OutboundMessage
from messaging.rules import RULES, Audience
from messaging.selectors import TOPIC

#: Pending and held back (quiet hours, or a retry's wait) until a later time.
HELD = "held"


def rule_choices() -> list[tuple[str, str]]:
    return [(rule.code, f"{rule.label} · {rule.audience.label}") for rule in RULES]


class MessageFilter(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(
        label=pgettext_lazy("message", "channel"), choices=Channel.choices
    )
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[*MessageStatus.choices, (HELD, _("held for later"))],
        method="filter_status",
    )
    rule = django_filters.ChoiceFilter(label=_("message"), choices=rule_choices)
    audience = django_filters.ChoiceFilter(
        label=_("to whom"), choices=Audience.choices, method="filter_audience"
    )
    since = DayFilter(label=_("from"), field_name="created_at", lookup_expr="date__gte")
    until = DayFilter(label=_("to"), field_name="created_at", lookup_expr="date__lte")
    q = django_filters.CharFilter(label=_("recipient"), method="filter_recipient", max_length=100)
    topic = django_filters.CharFilter(
        label=_("about"),
        method="filter_topic",
        validators=[RegexValidator(TOPIC, _("Name one order, customer or staff member."))],
        widget=forms.HiddenInput,
    )

    class Meta:
        model = OutboundMessage
        fields = ["channel", "status", "rule", "audience", "since", "until", "q", "topic"]

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        now = timezone.now()
        if value == HELD:
            return queryset.filter(status=MessageStatus.PENDING, next_attempt_at__gt=now)
        if value == MessageStatus.PENDING:
            return queryset.filter(status=value, next_attempt_at__lte=now)
        return queryset.filter(status=value)

    def filter_audience(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(rule__endswith=f":{value}")

    def filter_recipient(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(recipient_name__icontains=value) | Q(recipient__icontains=value))

    def filter_topic(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(topics__contains=[value])


def topic_filter(kind: str, label: str | Promise) -> django_filters.NumberFilter:
    """`?order=12`: the messages filed under "order:12" (the GIN index on topics)."""

    def filter_kind(queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(topics__contains=[f"{kind}:{int(value)}"])

    return django_filters.NumberFilter(
        label=label, method=filter_kind, min_value=1, max_value=2**63 - 1
    )


class MessageAPIFilter(MessageFilter):
    """The log's filters, and the API's way to name a subject: ?order=, ?customer=, ?staff=."""

    order = topic_filter("order", _("order id"))
    customer = topic_filter("customer", _("customer id"))
    staff = topic_filter("staff", _("staff member id"))

    class Meta(MessageFilter.Meta):
        fields = [*MessageFilter.Meta.fields, "order", "customer", "staff"]
