"""The suite's clock: every test starts at the same instant, whatever the wall clock says.

scripts/test runs this file again with the wall clock at an awkward instant (libfaketime).
"""

from datetime import timedelta

from django.utils import timezone

from tests.conftest import PINNED_NOW


def test_every_test_starts_at_the_pinned_instant_whatever_the_hour():
    assert PINNED_NOW <= timezone.now() < PINNED_NOW + timedelta(minutes=1)
    assert timezone.localdate() == PINNED_NOW.date()
