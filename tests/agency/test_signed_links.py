"""One signing scheme for every link, a salt per purpose; links already sent keep working."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from agency import signed_links
from agency.signed_links import CUSTOMER_LINK, FEEDBACK, INVITATION, MEDIA, SignatureInvalid

PAYLOAD = {"a": 1, "o": 2, "p": "confirm_order", "q": 3}


def test_a_token_made_for_one_purpose_is_refused_by_every_other():
    token = signed_links.sign(FEEDBACK, PAYLOAD)
    assert signed_links.unsign(FEEDBACK, token) == PAYLOAD
    for other in (CUSTOMER_LINK, INVITATION, MEDIA):
        with pytest.raises(SignatureInvalid):
            signed_links.unsign(other, token)


@pytest.mark.parametrize(
    ("purpose", "first_made"),
    [
        (
            CUSTOMER_LINK,
            lambda p: signing.TimestampSigner(salt="hearth.orders.customer-link").sign_object(
                p, compress=True
            ),
        ),
        (
            FEEDBACK,
            lambda p: signing.TimestampSigner(salt="hearth.feedback.link").sign_object(
                p, compress=True
            ),
        ),
        (INVITATION, lambda p: signing.dumps(p, salt="agency.invitation")),
    ],
)
def test_links_made_before_the_scheme_was_shared_read_the_same_and_are_made_the_same(
    purpose, first_made
):
    with time_machine.travel(timezone.now(), tick=False):
        old = first_made(PAYLOAD)
        assert signed_links.sign(purpose, PAYLOAD) == old
    assert signed_links.unsign(purpose, old) == PAYLOAD


def test_a_media_signature_expires_with_its_purpose_and_names_one_value():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sig = signed_links.signature(MEDIA, "scans/a.pdf")
        assert (
            sig == signing.TimestampSigner(salt="hearth.media").sign("scans/a.pdf").split(":", 1)[1]
        )
        signed_links.check_signature(MEDIA, "scans/a.pdf", sig)
        with pytest.raises(SignatureInvalid):
            signed_links.check_signature(MEDIA, "scans/b.pdf", sig)
    with (
        time_machine.travel(start + timedelta(hours=12, seconds=1), tick=False),
        pytest.raises(SignatureInvalid),
    ):
        signed_links.check_signature(MEDIA, "scans/a.pdf", sig)
