"""KPI values as people read them, in the active language; the page and the PDF share them."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reports.kpis import Kpi, Measure, Unit

NOTHING = "—"


def percent(value: Decimal | None) -> str:
    """A fraction (0.8333) as a percentage with one decimal ("83.3%")."""
    if value is None:
        return NOTHING
    shown = (Decimal(value) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _("%(value)s%%") % {"value": number_format(shown, 1)}


def duration(seconds: Decimal | None) -> str:
    if seconds is None:
        return NOTHING
    minutes = round(seconds / 60)
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def money(value: Decimal | None) -> str:
    if value is None:
        return NOTHING
    shown = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return number_format(shown, 2, force_grouping=True)


def count(value: Decimal | int | None) -> str:
    return NOTHING if value is None else number_format(int(value), 0, force_grouping=True)


def score(value: Decimal | None) -> str:
    return NOTHING if value is None else number_format(value, 2)


FORMATS = {
    Unit.SHARE: percent,
    Unit.DURATION: duration,
    Unit.MONEY: money,
    Unit.COUNT: count,
    Unit.SCORE: score,
}


def shown(kpi: Kpi, value: Decimal | None) -> str:
    return FORMATS[kpi.unit](value)


def target(kpi: Kpi, measure: Measure) -> str:
    """The target as read ("≥ 85.0%", "≤ 24 h 00 min", "0"), or "" without one.

    A count whose target is zero reads "0": "none" would read as "no target" next
    to a "not met" verdict.
    """
    if measure.target is None:
        return ""
    if kpi.unit == Unit.COUNT and measure.target == 0:
        return shown(kpi, measure.target)
    template = _("≤ %(target)s") if kpi.at_most else _("≥ %(target)s")
    return template % {"target": shown(kpi, measure.target)}
