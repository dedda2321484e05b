"""The complaint desk: the open complaints, the nearest running deadline first."""

from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.views.generic import ListView

from agency.permissions import Area
from agency.tenant_views import TenantMixin
from complaints import selectors
from complaints.forms import DeskFilterForm
from complaints.models import Complaint
from complaints.remedy_selectors import overdue_inspections
from complaints.views.deadline_states import rows_of


class ComplaintDeskView(TenantMixin, ListView):
    """Open complaints, the nearest running deadline first; the rows refresh every 30 s."""

    area = Area.COMPLAINTS
    template_name = "complaints/desk.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Complaint]:
        complaints = selectors.complaint_desk(agency=self.agency)
        self.filter_form = DeskFilterForm(self.request.GET or None, agency=self.agency)
        if self.filter_form.is_valid():
            if branch := self.filter_form.cleaned_data["branch"]:
                complaints = complaints.filter(branch=branch)
            if tier := self.filter_form.cleaned_data["tier"]:
                complaints = complaints.filter(tier=tier)
            owner = self.filter_form.cleaned_data["owner"]
            if owner == "mine":
                complaints = complaints.filter(owner_id=self.request.user.pk)
            elif owner == "none":
                complaints = complaints.filter(owner__isnull=True)
            if self.filter_form.cleaned_data["repeat"]:
                complaints = complaints.filter(Q(repeat_customer=True) | Q(repeat_staff=True))
        # A paused complaint's clocks stand still, so its (old) due times come after the
        # running ones; among those, the nearest running deadline first.
        return complaints.order_by(
            F("paused_at").asc(nulls_first=True), F("nearest_due").asc(), "received_at", "id"
        )

    def get_template_names(self) -> list[str]:
        if self.request.htmx:  # type: ignore[attr-defined]
            return ["complaints/_desk_rows.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(
            rows=rows_of(context["object_list"], now=now),
            refreshed_at=now,
            filter_form=self.filter_form,
        )
        context["inspections_overdue"] = overdue_inspections(
            agency=self.agency,
            today=self.agency.local_date(now),
            complaint_ids=[complaint.pk for complaint in context["object_list"]],
        )
        return context
