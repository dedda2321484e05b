"""The suite's clock: every test starts at the same instant, whatever the wall clock says.

scripts/test runs this file again with the wall clock at an awkward instant (libfaketime).
"""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tests.conftest import PINNED_NOW

#: PostgreSQL's own clock, in the spellings Django code and raw SQL would use.
DATABASE_CLOCK = re.compile(
    r"\bNow\(\)|import[^\n]*\bNow\b|\bNOW\(\)|CURRENT_TIMESTAMP|CURRENT_DATE|LOCALTIMESTAMP"
    r"|clock_timestamp|statement_timestamp|transaction_timestamp"
)


def test_every_test_starts_at_the_pinned_instant_whatever_the_hour():
    assert PINNED_NOW <= timezone.now() < PINNED_NOW + timedelta(minutes=1)
    assert timezone.localdate() == PINNED_NOW.date()


def test_the_app_takes_the_time_from_python_never_from_the_database_clock():
    # Tests pin Python's clock; PostgreSQL's runs in another process and would disagree.
    top = [p for p in settings.BASE_DIR.iterdir() if not p.name.startswith((".", "tests"))]
    sources = [p for p in top if p.suffix == ".py"]
    sources += [path for p in top if p.is_dir() for path in p.rglob("*.py")]
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}"
        for path in sorted(sources)
        for line, text in enumerate(path.read_text().splitlines(), start=1)
        if DATABASE_CLOCK.search(text)
    ]
    assert found == []
