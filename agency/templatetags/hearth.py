from django import template
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest

from agency.audit_labels import action_label
from agency.media import media_url
from agency.models import Membership
from agency.permissions import Area, can_access

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, page: int) -> str:
    """The current list's query string at another page, keeping its filters."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


@register.filter
def may(membership: Membership | None, area: str) -> bool:
    """Whether the member's role enters this area (agency.permissions), for a page that
    offers an action only to some roles: `{% if active_membership|may:"approvals" %}`."""
    return membership is not None and can_access(membership.role, Area(area))


@register.filter
def signed_url(file: FieldFile | None) -> str:
    """The stored file's link for this page (agency.media): signed, it expires."""
    return media_url(file)


@register.filter
def audit_action(code: str) -> str:
    """The audit action's label in the active language (agency.audit_labels)."""
    return action_label(code)
