"""Who is signed in to the portal, per agency, in the browser's session.

The session holds one entry per agency (by the agency's id, which a change of its
short name keeps): `{"<agency id>": {"customer": id, "until": epoch seconds}}`. A
customer of two agencies signs in to each separately and each page reads only its
own agency's entry, so the two are never mixed. An entry lasts the agency's
`portal_session_days`; the session cookie lasts as long as its longest entry.
"""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from agency.models import Agency

SESSION_KEY = "portal"


def signed_in_customer_id(request: HttpRequest, agency: Agency) -> int | None:
    """The agency's customer this browser is signed in as, or None (never another agency's)."""
    entry = request.session.get(SESSION_KEY, {}).get(str(agency.pk))
    if not entry or entry["until"] <= timezone.now().timestamp():
        return None
    return int(entry["customer"])


def sign_in(request: HttpRequest, *, agency: Agency, customer_id: int) -> None:
    """Remember the customer for this agency; a new session key, so a planted one is useless."""
    request.session.cycle_key()
    until = timezone.now() + timedelta(days=agency.portal_session_days)
    entries = {
        key: entry
        for key, entry in request.session.get(SESSION_KEY, {}).items()
        if entry["until"] > timezone.now().timestamp()
    }
    entries[str(agency.pk)] = {"customer": customer_id, "until": until.timestamp()}
    request.session[SESSION_KEY] = entries
    longest = max(entry["until"] for entry in entries.values())
    # Never shorten an office member's session that shares this browser.
    request.session.set_expiry(
        max(int(longest - timezone.now().timestamp()), request.session.get_expiry_age())
    )


def sign_out(request: HttpRequest, *, agency: Agency) -> None:
    """Forget this agency's customer only: a sign-in to another agency stays."""
    entries = dict(request.session.get(SESSION_KEY, {}))
    entries.pop(str(agency.pk), None)
    request.session[SESSION_KEY] = entries
