"""Which agency a request acts for, and the guard that keeps it there.

The active agency is resolved once per request: by `ActiveAgencyMiddleware`
for browser sessions, or by the API base view after token authentication.
"""

from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agency.models import Agency, Membership, User

SESSION_KEY = "active_agency_id"
API_PREFIX = "/api/"
#: API clients name the agency they act for by its slug in this header.
AGENCY_HEADER = "X-Agency"

M = TypeVar("M", bound=Model)


def activate_membership(
    request: HttpRequest, user: User, *, wanted_slug: str | None = None
) -> None:
    """Attach the user's memberships and the active one to the request.

    The wanted agency is the header's slug, else the session's choice. A header
    naming an agency the user is not an active member of leaves no membership
    active (the API refuses the call): a write meant for one agency must never
    land in another. The session's choice may fall back to the first
    membership, since a membership can end while a session lives on.
    """
    memberships = list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("agency", "branch")
        .order_by("agency__name")
    )
    wanted_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    active = next(
        (
            m
            for m in memberships
            if (m.agency.slug == wanted_slug if wanted_slug else m.agency_id == wanted_id)
        ),
        None if wanted_slug or not memberships else memberships[0],
    )
    request.memberships = memberships  # type: ignore[attr-defined]
    request.membership = active  # type: ignore[attr-defined]
    request.agency = active.agency if active else None  # type: ignore[attr-defined]
    if active:
        timezone.activate(ZoneInfo(active.agency.time_zone))


def get_tenant_object_or_404(queryset: QuerySet[M], *, agency: Agency, **lookups: Any) -> M:
    """Fetch one of the agency's objects; another agency's answers 404 like a missing one."""
    return get_object_or_404(queryset.filter(agency=agency), **lookups)
