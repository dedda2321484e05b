"""Human-readable document numbers, per agency and year, without gaps.

Order numbers, invoices, credit notes, receipts and complaints are all numbered
here, from one counter row per agency, kind and year (`DocumentCounter`).
"""

from django.db import transaction

from agency.models import Agency, DocumentCounter


def next_number(*, agency: Agency, kind: str, year: int) -> int:
    """The next number of `kind` in `year`; call inside the transaction that uses it.

    The counter row stays locked until that transaction ends, so concurrent
    callers queue and a rolled-back number is given again (no gaps).
    """
    return reserve_numbers(agency=agency, kind=kind, year=year, count=1)


def reserve_numbers(*, agency: Agency, kind: str, year: int, count: int) -> int:
    """The first of `count` consecutive numbers of `kind` in `year`, all taken at once
    (as `next_number`, which takes one)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    DocumentCounter.objects.get_or_create(agency=agency, kind=kind, year=year)
    counter = DocumentCounter.objects.select_for_update().get(agency=agency, kind=kind, year=year)
    first = counter.last_value + 1
    counter.last_value += count
    counter.save(update_fields=["last_value"])
    return first
