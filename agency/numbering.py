"""Human-readable document numbers, per agency and year, without gaps.

Order numbers, invoices, credit notes, receipts and complaints are all numbered
here, from one counter row per agency, kind and year (`DocumentCounter`).
"""

from django.db import connection, transaction

from agency.models import Agency

#: One statement takes the numbers: the row is made on first use, else its value moves on,
#: and either way it stays locked until the transaction ends (what a rolled-back number needs).
#: (DocumentCounter's table, named in its Meta.)
_TAKE = """
    INSERT INTO orders_documentcounter AS counter (agency_id, kind, year, last_value)
    VALUES (%s, %s, %s, %s)
    ON CONFLICT (agency_id, kind, year)
    DO UPDATE SET last_value = counter.last_value + EXCLUDED.last_value
    RETURNING last_value
"""


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
    with connection.cursor() as cursor:
        cursor.execute(_TAKE, [agency.pk, kind, year, count])
        (last,) = cursor.fetchone()
    return int(last) - count + 1
