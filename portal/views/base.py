"""What every portal page shares: its agency, its customer, their language and time zone.

Pages the other parts of issue 18 add (booking, payments, prepaid cards) subclass
`PortalCustomerMixin` and extend `portal/base.html`; they get `self.agency`,
`self.customer` and `self.actor` (the customer acting, for the services' audit
entries and order timelines), and fetch objects through `portal.selectors`.
"""

from typing import Any, ClassVar
from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.views import View

from agency.audit import Actor
from agency.errors import page_not_found
from agency.models import Agency
from orders.models import Customer
from portal import selectors
from portal.session import signed_in_customer_id

#: The session's language choice made with the portal's switch (any agency's).
LANGUAGE_KEY = "portal_language"


def portal_language(request: HttpRequest, *, agency: Agency, customer: Customer | None) -> str:
    """The switch's choice, else the customer's own language, else the agency's."""
    chosen = request.session.get(LANGUAGE_KEY, "")
    if chosen in dict(settings.LANGUAGES):
        return str(chosen)
    if customer is not None and customer.preferred_language:
        return customer.preferred_language
    return agency.default_language


class PortalMixin(View):
    """A page of one agency's portal (`agency_slug` in the address); nobody need be signed in.

    The page is rendered inside the customer's language and the agency's time zone:
    a TemplateResponse is rendered here, before the language is let go.
    """

    agency: Agency
    customer: Customer | None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Every answer, a 404 included, says `no-store`: a shared phone keeps no page."""
        try:
            response = self.answer(request, *args, **kwargs)
        except Http404 as missing:
            response = page_not_found(request, missing)
        add_never_cache_headers(response)
        return response

    def answer(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        agency = Agency.objects.filter(slug=kwargs["agency_slug"]).first()
        if agency is None:
            return self.unknown_agency(request, kwargs["agency_slug"])
        self.agency = agency
        customer_id = signed_in_customer_id(request, agency)
        self.customer = (
            selectors.customer_for(agency=agency, customer_id=customer_id) if customer_id else None
        )
        timezone.activate(agency.time_zone)
        language = portal_language(request, agency=agency, customer=self.customer)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.enter(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if render is not None and not getattr(response, "is_rendered", True):
                render()
            return response

    def unknown_agency(self, request: HttpRequest, slug: str) -> HttpResponseBase:
        raise Http404

    def enter(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(agency=self.agency, customer=self.customer)
        return context

    def portal_url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"portal:{name}", kwargs={"agency_slug": self.agency.slug, **kwargs})


class PortalCustomerMixin(PortalMixin):
    """A page for the signed-in customer only; otherwise, to the sign-in page and back.

    `model` names what a page with a `pk` shows (the isolation sweep builds one for
    another customer and expects a 404).
    """

    customer: Customer
    actor: Actor
    model: ClassVar[type[Model] | None] = None

    def enter(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.customer is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{self.portal_url('sign_in')}?{query}")
        self.actor = Actor.customer(self.customer.pk, ip_address=get_client_ip_address(request))
        return super().enter(request, *args, **kwargs)
