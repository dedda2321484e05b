"""Request body parsers for the API: DRF's, with JSON nesting bounded.

Python's json module recurses once per nesting level, so a body of a few thousand `[`
raises RecursionError (a 500) before any view runs, also on the anonymous token endpoint.
No Hearth payload nests deeper than a few levels; anything deeper is refused as a 400.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

MAX_JSON_DEPTH = 32


def _nesting_depth(data: Any) -> int:
    """How deep lists and objects nest, counted without recursion."""
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        too_deep = ParseError(
            _("The JSON body nests deeper than %(depth)d levels.") % {"depth": MAX_JSON_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if _nesting_depth(data) > MAX_JSON_DEPTH:
            raise too_deep
        return data


# Endpoints that take a file take it as multipart, but still accept JSON for the rest.
UPLOAD_PARSERS = [MultiPartParser, FormParser, BoundedJSONParser]
