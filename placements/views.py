"""Placement pages: the list by state, opening a placement from its order, and the
placement page with its terms (what a contract still needs named beside them)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from agency.action_views import ActionMixin
from agency.errors import StateConflict
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin, attach_errors
from orders.models import Order
from placements import selectors
from placements.forms import PlacementFilter, TermsForm
from placements.models import Placement
from placements.terms import TERM_FIELDS, Terms, missing_terms, placement_open, placement_terms_save


class PlacementListView(TenantMixin, FilterView):
    area = Area.PLACEMENTS
    template_name = "placements/list.html"
    filterset_class = PlacementFilter
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Placement]:
        return selectors.placements_for(agency=self.agency)


class PlacementOpenView(ActionMixin, TenantObjectMixin, DetailView):
    """From the order page: the placement of this live-in order, opened once."""

    area = Area.PLACEMENTS
    model = Order
    page_name = "order_detail"

    def get_queryset(self) -> QuerySet[Order]:
        return Order.objects.select_related("service_type", "needs_form", "agency")

    def act(self, order: Order, form: None) -> str:
        self.placement = placement_open(order=order, actor=self.actor)
        return _("Placement set up: agree its terms.")

    def succeeded(self) -> HttpResponse:
        return redirect("placement_detail", pk=self.placement.pk)


class PlacementDetailView(TenantObjectMixin, DetailView):
    """The placement: its order, customer and staff member, and its terms (a form while
    they are agreed)."""

    area = Area.PLACEMENTS
    model = Placement
    template_name = "placements/detail.html"
    context_object_name = "placement"

    def get_queryset(self) -> QuerySet[Placement]:
        return selectors.placements_for(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        placement = self.object
        kwargs.setdefault("terms_form", TermsForm(instance=placement))
        return super().get_context_data(
            staff=selectors.confirmed_staff(placement),
            missing=missing_terms(placement),
            **kwargs,
        )

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        placement = self.object
        form = TermsForm(request.POST, instance=placement)
        if form.is_valid():
            terms = Terms(**{name: form.cleaned_data[name] for name in TERM_FIELDS})
            try:
                placement_terms_save(placement=placement, actor=self.actor, terms=terms)
            except ValidationError as error:
                attach_errors(form, error)
            except StateConflict as conflict:  # a clash with another job of the staff member
                form.add_error(None, str(conflict))
            else:
                messages.success(request, _("Terms saved."))
                return redirect(reverse("placement_detail", kwargs={"pk": placement.pk}))
        return self.render_to_response(self.get_context_data(terms_form=form), status=400)
