"""The shape every figure selector returns, shared by the lower apps (orders, staff).

Like `complaints.figures.Figure` and `feedback.figures.Figure` (which keep
their own): a measured value against its target. Values are fractions rounded
to four places (0.8333); targets are fractions too (10% is 0.10).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Figure:
    """A measured share against its target. `value` and `met` are None when there was
    nothing to measure (`measured` is 0); `target` and `met` are None without a target."""

    value: Decimal | None
    target: Decimal | None
    met: bool | None
    #: How many orders, rounds or staff the value is over.
    measured: int


def percent_target(percent: int) -> Decimal:
    """An agency's target in percent (85) as the fraction the figures compare with."""
    return (Decimal(percent) / 100).quantize(FOUR_PLACES)


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole, four places; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
