from typing import Any

from django.conf import settings
from django.http import HttpRequest

from agency.models import Membership, Notification
from agency.navigation import NavItem, navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: navigation, agencies to switch to, languages."""
    membership = getattr(request, "membership", None)
    navigation = navigation_for(membership)
    return {
        "navigation": navigation,
        "current_nav": _current(navigation, request),
        "active_membership": membership,
        "memberships": getattr(request, "memberships", []),
        "shell_languages": settings.LANGUAGES,
        "unread_notifications": _unread(request, membership),
    }


def _current(navigation: list[NavItem], request: HttpRequest) -> NavItem | None:
    """The entry for this page: its own, else the first of its area (a detail page)."""
    match = request.resolver_match
    if match is None:
        return None
    own = next((item for item in navigation if item.url_name == match.url_name), None)
    area = getattr(getattr(match.func, "view_class", None), "area", None)
    return own or next((item for item in navigation if item.area == area), None)


def _unread(request: HttpRequest, membership: Membership | None) -> int:
    """How many notices wait for this person in this agency (the bell's number)."""
    if membership is None:
        return 0
    return Notification.objects.filter(
        agency_id=membership.agency_id, user_id=membership.user_id, read_at__isnull=True
    ).count()
