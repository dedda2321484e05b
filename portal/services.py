"""Signing in to the portal: a code texted to the customer's phone (issue 18).

The rules: 6 digits, valid 5 minutes, kept only as an HMAC, at most 5 tries per
code, and at most PORTAL_CODE_SENDS_PER_PHONE_PER_HOUR codes to one phone and
PORTAL_CODE_SENDS_PER_IP_PER_HOUR requests from one address in an hour. Whether
a phone is a customer's is never revealed: every request gets the same answer
and a row (`SignInCode`), and only a customer's phone is texted.

A phone is one customer of the agency: `Customer.phone` is unique per agency
(normalised), so a sign-in never has to choose between customers; the second
phone (`phone_alt`) does not sign in, as it may be a relative's.
"""

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agency.audit import Actor, audit_record
from agency.models import Agency, Channel
from agency.notifications import message_queue
from agency.phones import normalise_phone
from orders.intake.selectors import customer_by_phone
from orders.models import Customer
from portal.models import SignInCode

CODE_DIGITS = 6
CODE_VALID_FOR = timedelta(minutes=5)
MAX_TRIES = 5
SEND_WINDOW = timedelta(hours=1)
#: A second request this soon after the last (a double tap, an impatient "send again")
#: texts nothing new: the code on its way stays the one to type.
RESEND_AFTER = timedelta(seconds=60)
#: Rows older than this count towards no limit and sign nobody in: the sweep deletes them.
KEPT_FOR = timedelta(days=1)

SMS_WORDING = gettext_lazy(
    "%(agency)s: your sign-in code is %(code)s. It is valid for 5 minutes; "
    "never tell it to anyone, not even us."
)


class Refusal(StrEnum):
    """Why a code did not sign the customer in; each has one message for them."""

    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY_TRIES = "too_many_tries"

    @property
    def message(self) -> str:
        return {
            Refusal.WRONG: _("That code is not right. Check the text message and try again."),
            Refusal.EXPIRED: _("That code has expired. Ask for a new one."),
            Refusal.USED: _("That code was used already. Ask for a new one."),
            Refusal.TOO_MANY_TRIES: _("Too many wrong tries for that code. Ask for a new one."),
        }[self]


def code_hash(*, agency_id: int, phone: str, code: str) -> str:
    """The code's HMAC (SECRET_KEY), bound to the agency and the phone it was sent to."""
    return salted_hmac(
        "hearth.portal.code", f"{agency_id}:{phone}:{code}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def code_request(*, agency: Agency, phone: str, ip_address: str | None) -> None:
    """Text a new code to the phone if it is one of the agency's customers.

    Raises ValidationError when a send limit is reached, for every phone alike
    (a customer's or not). The limits are counted on the rows of the last hour,
    under a lock per phone so that two requests at once cannot both slip under.
    Within RESEND_AFTER of the last code, nothing new is made or sent.
    """
    phone = normalise_phone(phone)
    _lock(f"portal-code:{agency.pk}:{phone}")
    now = timezone.now()
    since = now - SEND_WINDOW
    sent_to_phone = SignInCode.objects.filter(agency=agency, phone=phone, created_at__gte=since)
    if sent_to_phone.filter(created_at__gt=now - RESEND_AFTER, used_at__isnull=True).exists():
        return
    if sent_to_phone.count() >= settings.PORTAL_CODE_SENDS_PER_PHONE_PER_HOUR or (
        ip_address
        and SignInCode.objects.filter(ip_address=ip_address, created_at__gte=since).count()
        >= settings.PORTAL_CODE_SENDS_PER_IP_PER_HOUR
    ):
        raise ValidationError(
            _("Too many codes were asked for. Wait an hour, then try again."), code="throttled"
        )
    customer = customer_by_phone(agency=agency, phone=phone)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    SignInCode.objects.create(
        agency=agency,
        phone=phone,
        customer=customer,
        code_hash=code_hash(agency_id=agency.pk, phone=phone, code=code),
        ip_address=ip_address,
        created_at=now,
        expires_at=now + CODE_VALID_FOR,
    )
    if customer is None:
        return
    with translation.override(customer.preferred_language or agency.default_language):
        body = str(SMS_WORDING) % {"agency": agency.name, "code": code}
    message_queue(agency=agency, channel=Channel.SMS, recipient=customer.phone, body=body)


def code_verify(
    *, agency: Agency, phone: str, code: str, ip_address: str | None
) -> Customer | Refusal:
    """The customer the code signs in, or why not; a refusal is recorded, never rolled back.

    Only the newest code counts (asking again replaces the code), so the tries of an
    older one cannot be added up. The outcome is in the audit log either way: the
    customer signing in, or a refused try (by nobody known, with the address).
    """
    with transaction.atomic():
        phone = normalise_phone(phone)
        latest = (
            SignInCode.objects.select_for_update(of=("self",))
            .select_related("customer")
            .filter(agency=agency, phone=phone)
            .order_by("-created_at", "-id")
            .first()
        )
        outcome = _check(latest, agency=agency, phone=phone, code=code.strip())
        if isinstance(outcome, Customer):
            audit_record(
                agency=agency,
                actor=Actor.customer(outcome.pk, ip_address=ip_address),
                action="portal.sign_in",
                target=outcome,
            )
        else:
            audit_record(
                agency=agency,
                actor=Actor(user=None, ip_address=ip_address),
                action="portal.sign_in_refused",
                target=latest or agency,
                changes={"refusal": str(outcome)},
            )
    return outcome


def _check(
    latest: SignInCode | None, *, agency: Agency, phone: str, code: str
) -> Customer | Refusal:
    if latest is None:
        return Refusal.WRONG
    if latest.used_at is not None:
        return Refusal.USED
    if latest.tries >= MAX_TRIES:
        return Refusal.TOO_MANY_TRIES
    now = timezone.now()
    if now >= latest.expires_at:
        return Refusal.EXPIRED
    matches = constant_time_compare(
        latest.code_hash, code_hash(agency_id=agency.pk, phone=phone, code=code)
    )
    # A phone that is no customer's had nothing texted: any code is wrong, as it would be.
    if not matches or latest.customer is None:
        latest.tries += 1
        latest.save(update_fields=["tries"])
        return Refusal.WRONG
    latest.used_at = now
    latest.save(update_fields=["used_at"])
    return latest.customer


def sign_in_codes_prune(*, now: datetime) -> int:
    """Forget the codes older than KEPT_FOR, of every agency; how many went."""
    deleted, _by_model = SignInCode.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted


def _lock(key: str) -> None:
    """A lock held until the transaction ends (PostgreSQL advisory lock on the key's hash)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
