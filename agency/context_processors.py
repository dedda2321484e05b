from typing import Any

from django.conf import settings
from django.http import HttpRequest

from agency.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: navigation, agencies to switch to, languages."""
    membership = getattr(request, "membership", None)
    match = request.resolver_match
    view_class = getattr(match.func, "view_class", None) if match else None
    return {
        "navigation": navigation_for(membership),
        "current_area": getattr(view_class, "area", None),
        "active_membership": membership,
        "memberships": getattr(request, "memberships", []),
        "shell_languages": settings.LANGUAGES,
    }
