"""Real orders for the template preview, without messaging knowing what an order is.

The template page previews a text on one of the agency's orders, in that order's own
values. Orders live above messaging (which may not import them), so orders registers a
finder here when it starts (orders.apps): given the agency and an order number ("" for
the latest order) it answers a label and the order's variables per language, or None.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from agency.models import Agency


@dataclass(frozen=True)
class Example:
    #: What the preview says it shows, e.g. "Order 2026-00123".
    label: str
    #: The example's variables in a language (as `announce` takes a context).
    values: Callable[[str], Mapping[str, str]]


Finder = Callable[[Agency, str], Example | None]

_finders: list[Finder] = []


def register(finder: Finder) -> None:
    """Add a source of examples (an app's ready() calls this once)."""
    if finder not in _finders:
        _finders.append(finder)


def example_for(agency: Agency, number: str = "") -> Example | None:
    """The agency's order `number` (the latest when ""), else None: the samples then."""
    for finder in _finders:
        found = finder(agency, number.strip())
        if found is not None:
            return found
    return None
