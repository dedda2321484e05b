"""The agency-wide message log (managers): every message sent, with filters."""

from typing import Any

from django.db.models import QuerySet
from django_filters.views import FilterView

from agency.models import Agency, OutboundMessage
from agency.permissions import Area
from agency.tenant_views import TenantMixin
from messaging.filters import MessageFilter
from messaging.selectors import latest_messages, messages_for


class MessageLogView(TenantMixin, FilterView):
    area = Area.MESSAGES
    template_name = "messaging/log.html"
    filterset_class = MessageFilter
    paginate_by = 50

    def get_queryset(self) -> QuerySet[OutboundMessage]:
        return messages_for(agency=self.agency)


def page_log(*, agency: Agency, topic: str) -> dict[str, Any]:
    """What a subject's page (order, customer, staff) gives templates/messaging/_log.html:
    its latest messages, in one query, and the topic its full log is filtered by."""
    return {"message_log": latest_messages(agency=agency, topic=topic), "message_topic": topic}
