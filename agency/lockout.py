"""Login lockout with one limit per lockout parameter (django-axes handler).

Axes compares the largest failure count over AXES_LOCKOUT_PARAMETERS with a
single AXES_FAILURE_LIMIT. Hearth wants two limits: a few failures for one
username from one address, and many more from one address over any usernames
(a password sprayed over the accounts), since an office's staff share an
address. The axes maintainers' answer for per-parameter limits is a custom
handler (jazzband/django-axes#661); this one changes how failures count, and
what a successful login forgets.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def _address_only(parameter: str | list[str]) -> bool:
    return parameter in ("ip_address", ["ip_address"])


def _limit_for(parameter: str | list[str]) -> int:
    if _address_only(parameter):
        return settings.AXES_ADDRESS_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class LoginLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The failures, scaled to AXES_FAILURE_LIMIT, of the parameter nearest its own limit.

        Axes locks out when this reaches AXES_FAILURE_LIMIT (on each failure
        and before each attempt); scaling each count by base/own limit, rounded
        down, reaches it exactly when that count reaches its own limit.
        """
        base = settings.AXES_FAILURE_LIMIT
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        return max(
            (attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)
            * base
            // _limit_for(parameter)
            for parameter, attempts in zip(parameters, attempts_list, strict=True)
        )

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """On a successful login, forget that account's failures, not the address's.

        Otherwise one account the sprayer owns would wipe the address's count.
        """
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.filter_user_attempts(request, credentials)
        return sum(
            attempts.delete()[0]
            for parameter, attempts in zip(parameters, attempts_list, strict=True)
            if not _address_only(parameter)
        )
