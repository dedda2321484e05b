from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from agency.tenancy import API_PREFIX, activate_membership

Handler = Callable[[HttpRequest], HttpResponse]


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
