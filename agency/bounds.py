"""Sane bounds for what people type: dates near today, texts of a readable length.

Python and PostgreSQL accept dates from year 1 to 9999, so a slip of the keyboard
(0001-01-01, 9999-12-31) was stored, consumed a receipt number, and later overflowed
when a service added a day to it or made it timezone-aware. No agency business happens
before Hearth's era or decades ahead, so every date a user enters (forms, serializers
and list filters alike) is refused outside EARLIEST_DATE .. today + YEARS_AHEAD.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

EARLIEST_DATE = date(2000, 1, 1)
#: Long live-in contracts and price lists are set up to a few years ahead, never more.
YEARS_AHEAD = 10
#: For filters by year, fixed when the filter is declared: a generous ceiling is enough there.
LATEST_YEAR = 2100
#: Notes, descriptions, requirements and comments: a long page of text, not a file.
TEXT_MAX_LENGTH = 5000


def latest_date() -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February, in a year without one
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        # Its own calendar date: converting 9999-12-31 23:00 to local time would overflow.
        return value.date()
    return value


def validate_plausible_date(value: date | datetime) -> None:
    """Refuse a date (or a time's date) outside EARLIEST_DATE .. today + YEARS_AHEAD."""
    day = _as_date(value)
    latest = latest_date()
    if not EARLIEST_DATE <= day <= latest:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {
                "earliest": formats.date_format(EARLIEST_DATE),
                "latest": formats.date_format(latest),
            },
            code="date_out_of_range",
        )


#: `validators=PLAUSIBLE_DATE` on a form, serializer or model field.
PLAUSIBLE_DATE = [validate_plausible_date]


class PlausibleDateTimeField(serializers.DateTimeField):
    """An API time within the bounds above.

    DRF checks a naive time made aware in the agency's zone by converting it to UTC, and
    0001-01-01T00:00 at +08:00 has no UTC: an OverflowError DRF does not catch. It is
    refused with DRF's own "out of range" message instead.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", PLAUSIBLE_DATE)
        super().__init__(**kwargs)

    def enforce_timezone(self, value: datetime) -> datetime:
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")
