"""Human-readable document numbers, per agency and year, without gaps."""

from django.db import transaction

from agency.models import Agency
from orders.models import DocumentCounter


def next_number(*, agency: Agency, kind: str, year: int) -> int:
    """The next number of `kind` in `year`; call inside the transaction that uses it.

    The counter row stays locked until that transaction ends, so concurrent
    callers queue and a rolled-back number is given again (no gaps).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    DocumentCounter.objects.get_or_create(agency=agency, kind=kind, year=year)
    counter = DocumentCounter.objects.select_for_update().get(agency=agency, kind=kind, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value
