"""The portal API's own authentication: the portal session's customer, never a member's token.

`/api/portal/<agency_slug>/…` is called by the portal's pages (or an H5 page of the
agency) in the browser that signed in: the session's entry for the agency in the
address names the customer (portal.session). Like DRF's session authentication it
asks for the CSRF token on writes, so another site cannot act in the customer's name.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, CSRFCheck
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from agency.models import Agency
from orders.models import Customer
from portal import selectors
from portal.session import signed_in_customer_id


@dataclass(frozen=True)
class PortalCustomer:
    """`request.user` of a portal endpoint: the signed-in customer of the address's agency."""

    agency: Agency
    customer: Customer
    is_authenticated: bool = True


class PortalSessionAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[PortalCustomer, None] | None:
        agency: Agency = request.parser_context["view"].agency
        customer_id = signed_in_customer_id(request._request, agency)
        customer = (
            selectors.customer_for(agency=agency, customer_id=customer_id) if customer_id else None
        )
        if customer is None:
            return None
        self.enforce_csrf(request._request)
        return PortalCustomer(agency=agency, customer=customer), None

    def authenticate_header(self, request: Request) -> str:
        # A 401 (not a 403) tells the caller to sign in first.
        return "PortalSession"

    @staticmethod
    def enforce_csrf(request: HttpRequest) -> None:
        check = CSRFCheck(lambda _request: None)  # type: ignore[arg-type]
        check.process_request(request)
        reason = check.process_view(request, None, (), {})  # type: ignore[arg-type]
        if reason:
            raise exceptions.PermissionDenied(f"CSRF Failed: {reason}")


class IsPortalCustomer(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, PortalCustomer)


class PortalSessionScheme(OpenApiAuthenticationExtension):
    target_class = "portal.authentication.PortalSessionAuthentication"
    name = "portalSession"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The portal session, after POST auth/verify/ with the texted code.",
        }
