from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from agency.tenancy import API_PREFIX


class StateConflict(Exception):
    """The object is not in a state that allows the action (409 in the API).

    Apps subclass it for their own state machines, e.g. OrderStateConflict.
    """


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """API clients get their 404 as JSON, like every other API error."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
