"""The home page (`/`): what waits for the member logged in, and its counts fragment,
which the page asks for again every minute (HTMX)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from agency.models import Role
from agency.permissions import START_PAGE, Area
from agency.tenant_views import TenantMixin
from home.targets import kpis_against_targets
from home.waiting import SHOWS_TARGETS, waiting_for

HOME = "home"


class WaitingMixin(TenantMixin):
    area = Area.HOME

    def waiting(self) -> dict[str, Any]:
        now = timezone.now()
        return {"items": waiting_for(self.membership, now=now), "refreshed_at": now}


class HomeView(WaitingMixin, TemplateView):
    """Each role's own work; a role whose day starts on another page goes there (field
    staff to 我的工单)."""

    template_name = "home/home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        start = START_PAGE[Role(self.membership.role)]
        if start != HOME:
            return redirect(start)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The KPIs are a month's figures: shown with the page, not polled every minute.
        kpis = (
            kpis_against_targets(agency=self.agency, branch=self.membership.branch)
            if Role(self.membership.role) in SHOWS_TARGETS
            else []
        )
        return super().get_context_data(kpis=kpis, **self.waiting(), **kwargs)


class WaitingCountsView(WaitingMixin, TemplateView):
    """The list alone: what the home page swaps in every minute."""

    template_name = "home/_waiting.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**self.waiting(), **kwargs)
