"""The invitation email: a one-time link for a new member to choose a password.

It reuses Django's password-reset tokens, so the link expires after
PASSWORD_RESET_TIMEOUT and stops working once a password is set.
"""

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agency.models import Agency, User


@dataclass(frozen=True)
class SiteAddress:
    """Where links in emails point: taken from the request that caused them."""

    domain: str
    use_https: bool


def send_invitation(*, user: User, agency: Agency, site: SiteAddress) -> None:
    context = {
        "user": user,
        "agency": agency,
        "protocol": "https" if site.use_https else "http",
        "domain": site.domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(user.preferred_language or agency.default_language):
        subject = render_to_string("registration/invitation_subject.txt", context).strip()
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
