"""Schedules and quotes: when a needs form's service happens and what it costs.

Money is Decimal, rounded once, here, half up to the cent.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from orders.models import NeedsForm, Price, PricingUnit, ScheduleKind, ServiceType

CENT = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Window:
    starts_at: datetime
    ends_at: datetime


def service_window(needs: NeedsForm, *, on: date, time_zone: str) -> Window:
    """The service window of one order: a single visit on `on`, or a whole live-in placement."""
    tz = ZoneInfo(time_zone)
    starts = datetime.combine(on, needs.time_start, tzinfo=tz)
    if needs.schedule_kind == ScheduleKind.LIVE_IN:
        last_day = on + timedelta(days=(needs.days or 1) - 1)
        return Window(starts, datetime.combine(last_day, needs.time_end, tzinfo=tz))
    return Window(starts, datetime.combine(on, needs.time_end, tzinfo=tz))


def quantity_for(needs: NeedsForm, unit: str) -> Decimal:
    """How many pricing units one order of this needs form is."""
    hours_a_day = Decimal(
        (datetime.combine(date.min, needs.time_end) - datetime.combine(date.min, needs.time_start))
        / timedelta(hours=1)
    )
    days = Decimal(needs.days or 1) if needs.schedule_kind == ScheduleKind.LIVE_IN else Decimal(1)
    if unit == PricingUnit.HOUR:
        return money(hours_a_day * days)
    if unit == PricingUnit.DAY:
        return days
    if unit == PricingUnit.SQUARE_METRE:
        return needs.quantity or Decimal(0)
    return Decimal(1)


def price_on(service_type: ServiceType, on: date) -> Price:
    price = (
        Price.objects.filter(agency_id=service_type.agency_id, service_type=service_type)
        .filter(valid_during__contains=on)
        .first()
    )
    if price is None:
        raise ValidationError(
            {
                "start_date": _(
                    "The price list has no price for %(service)s on %(date)s. "
                    "A manager adds it under Services and prices."
                )
                % {"service": service_type.name, "date": on.isoformat()}
            }
        )
    return price
