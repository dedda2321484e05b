"""Invitations to join an agency: the signed link and the email that carries it.

The link names the invitation; it works until the invitation is accepted or
expires (INVITATION_VALID_FOR), whichever comes first.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from agency import signed_links
from agency.models import Invitation

INVITATION_VALID_FOR = timedelta(days=7)


class InvitationInvalid(Exception):
    """Tampered, unknown, or for an invitation that no longer exists."""


@dataclass(frozen=True)
class SiteAddress:
    """Where links in emails point: taken from the request that caused them."""

    domain: str
    use_https: bool


def invitation_token(invitation: Invitation) -> str:
    return signed_links.sign(
        signed_links.INVITATION, {"a": invitation.agency_id, "i": invitation.pk}
    )


def invitation_from_token(token: str) -> Invitation:
    try:
        payload = signed_links.unsign(signed_links.INVITATION, token)
        return Invitation.objects.select_related("agency", "branch").get(
            pk=payload["i"], agency_id=payload["a"]
        )
    except (signed_links.SignatureInvalid, KeyError, TypeError, Invitation.DoesNotExist) as error:
        raise InvitationInvalid from error


def send_invitation(*, invitation: Invitation, site: SiteAddress) -> None:
    path = reverse("invitation_accept", kwargs={"token": invitation_token(invitation)})
    context = {
        "invitation": invitation,
        "agency": invitation.agency,
        "link": f"{'https' if site.use_https else 'http'}://{site.domain}{path}",
    }
    with translation.override(invitation.agency.default_language):
        subject = render_to_string("registration/invitation_subject.txt", context).strip()
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.email])
