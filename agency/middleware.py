from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from agency.tenancy import API_PREFIX, activate_membership

Handler = Callable[[HttpRequest], HttpResponse]


class RefuseNulInQueryMiddleware:
    """A NUL character in the query string is a 400, once for every page and endpoint.

    PostgreSQL cannot hold NUL in text, so a search or filter that passes one to a query
    fails inside the database (a 500). Forms and serializers refuse it in bodies already;
    views that read a query parameter directly (searches, pickers) do not, and no real
    user types one.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("Null characters are not allowed.")
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class ActiveAgencyMiddleware:
    """Resolve the session user's active agency once, and use its time zone."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.memberships = []  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        request.agency = None  # type: ignore[attr-defined]
        # API views resolve it themselves after authentication (tokens come
        # later than this middleware), so it is still resolved once.
        if request.user.is_authenticated and not request.path.startswith(API_PREFIX):
            activate_membership(request, request.user)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class TenantLocaleMiddleware:
    """Pick the page language: the user's choice, else the agency's default.

    Anonymous visitors (the login page) get the language cookie set by the
    switcher, else their browser's Accept-Language. Replaces LocaleMiddleware.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response

    @staticmethod
    def _language_for(request: HttpRequest) -> str:
        user = request.user
        if user.is_authenticated and user.preferred_language:
            return user.preferred_language
        agency = getattr(request, "agency", None)
        if agency is not None:
            return agency.default_language
        return translation.get_language_from_request(request)
