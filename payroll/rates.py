"""Which rate pays a job (issue 21): the staff member's own, else their level's, else the
service's for any level; none is a problem the statement names, never a silent zero."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from agency.models import Agency
from payroll.models import PayPolicy, PayRate

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """The one rounding a pay amount gets: to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def policy_for(agency: Agency) -> PayPolicy:
    """The agency's pay policy, or the defaults (unsaved) when it has set none."""
    return PayPolicy.objects.filter(agency=agency).first() or PayPolicy(agency=agency)


@dataclass(frozen=True)
class Rate:
    kind: str
    amount: Decimal


class RateBook:
    """Every rate of the agency, read once: a computation looks each job up in memory."""

    def __init__(self, agency: Agency) -> None:
        self._rates = {
            (rate.service_type_id, rate.level_id, rate.staff_id): Rate(rate.kind, rate.amount)
            for rate in PayRate.objects.filter(agency=agency)
        }

    def find(self, *, service_type_id: int, level_id: int | None, staff_id: int) -> Rate | None:
        for key in (
            (service_type_id, None, staff_id),
            (service_type_id, level_id, None) if level_id else None,
            (service_type_id, None, None),
        ):
            if key is not None and key in self._rates:
                return self._rates[key]
        return None
