"""Every route of the project, as the sweeps see it.

Walks the URL resolver, so routes added by later issues are swept without
anyone remembering to list them.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

#: Namespaces left out of the sweeps: the Django admin is for platform
#: operators (is_staff), never for agency users, and guards itself.
SKIPPED_NAMESPACES = {"admin"}
#: The customer portal's pages and API: customers, not members, use them, so the
#: members' sweeps (roles, agency isolation) leave them out and `portal_routes()`
#: hands them to the customers' sweep (tests/portal/test_isolation.py).
CUSTOMER_NAMESPACES = {"portal", "portal_api"}


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: frozenset[str]
    callback: Any

    @property
    def view_class(self) -> Any:
        """The class behind the route: a Django CBV's, a DRF view's, or the function."""
        return (
            getattr(self.callback, "view_class", None)
            or getattr(self.callback, "cls", None)
            or self.callback
        )

    @property
    def is_api(self) -> bool:
        return hasattr(self.callback, "cls")

    @property
    def methods(self) -> list[str]:
        """HTTP methods the route answers (lower case), HEAD and OPTIONS aside."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            return sorted(actions)
        view = self.view_class
        if isinstance(view, type):
            allowed = getattr(view, "http_method_names", ())
            return [
                m
                for m in ("get", "post", "put", "patch", "delete")
                if hasattr(view, m) and m in allowed
            ]
        allowed = getattr(self.callback, "allowed_methods", None)
        return sorted(m.lower() for m in allowed) if allowed else ["get"]

    @property
    def object_kwargs(self) -> set[str]:
        return {k for k in self.kwargs if k == "pk" or k.endswith("_pk")}


def all_routes() -> list[Route]:
    """Every route of the members (office and field staff)."""
    return _routes(skipped=SKIPPED_NAMESPACES | CUSTOMER_NAMESPACES)


def portal_routes() -> list[Route]:
    """Every route of the customer portal, pages and API; each takes the agency's slug."""
    return [
        route
        for route in _routes(skipped=SKIPPED_NAMESPACES)
        if route.name.partition(":")[0] in CUSTOMER_NAMESPACES
    ]


def _routes(*, skipped: set[str]) -> list[Route]:
    seen: dict[tuple[str, frozenset[str]], Route] = {}
    for route in _walk(get_resolver().url_patterns, namespace="", skipped=skipped):
        # A DRF format-suffix variant is the same route with one more kwarg.
        kwargs = route.kwargs - {"format"}
        seen.setdefault((route.name, kwargs), Route(route.name, kwargs, route.callback))
    return sorted(seen.values(), key=lambda r: (r.name, sorted(r.kwargs)))


def _walk(patterns: list[Any], namespace: str, skipped: set[str]) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in skipped:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, skipped)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield Route(
                name=namespace + pattern.name,
                kwargs=frozenset(pattern.pattern.regex.groupindex),
                callback=pattern.callback,
            )
