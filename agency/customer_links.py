"""The address of a page behind a customer's signed link (no account, DESIGN.md "Who uses it")."""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache


def customer_link_path(route: str, view: Callable[..., Any], *, name: str) -> URLPattern:
    """Route a customer-link page or one of its PDFs.

    The token in the address is the only key to the customer's order, so no
    answer (the page, its PDFs, the refusals) may be kept by a browser on a
    shared phone or by a proxy: every one says `Cache-Control: no-store`.
    """
    return path(route, never_cache(view), name=name)
