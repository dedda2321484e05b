"""Writing the history's rows: in bulk, with seeded random draws, and numbered from the
agency's counters as the services number their documents."""

import random
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from django.db import models

from agency.models import Agency
from agency.numbering import reserve_numbers

BATCH = 2_000


M = TypeVar("M", bound=models.Model)


def bulk(model: type[M], rows: Sequence[M]) -> list[M]:
    return model._default_manager.bulk_create(rows, batch_size=BATCH)


def seeded(name: str) -> random.Random:
    """The same draws on every run (demo data, not secrets)."""
    return random.Random(name)  # noqa: S311


def document_numbers(
    agency: Agency, kind: str, prefix: str, moments: list[datetime], *, digits: int = 6
) -> list[str]:
    """Document numbers for documents dated `moments` (in order), from the agency's counter
    of each year, as the services number them: "2026-R000123", "2026-C0012"."""
    years = [agency.local_date(moment).year for moment in moments]
    next_of: dict[int, int] = {}
    for year in sorted(set(years)):
        next_of[year] = reserve_numbers(
            agency=agency, kind=kind, year=year, count=years.count(year)
        )
    numbers = []
    for year in years:
        numbers.append(f"{year}-{prefix}{next_of[year]:0{digits}d}")
        next_of[year] += 1
    return numbers
