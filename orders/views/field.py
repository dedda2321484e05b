"""Field staff pages (phone-sized): my jobs, a job, my certificates and trainings.

A staff user sees only their own confirmed jobs; the customer's full address
and phone only inside the agency's window (orders.privacy), each reveal audited.
"""

from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from orders import selectors
from orders.models import Assignment
from orders.privacy import contact_window, staff_may_see_contact
from orders.services.field import staff_reveal_contact
from staff.models import StaffMember


class MyJobsView(TenantMixin, TemplateView):
    area = Area.MY_JOBS
    template_name = "orders/field/my_jobs.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = self.agency.today()
        start = datetime.combine(today, time.min, tzinfo=self.agency.zone)
        jobs = selectors.jobs_of_staff_user(agency=self.agency, user=self.user)
        # Today and the seven days after it, so next week's same weekday is in view.
        week = list(selectors.jobs_between(jobs, start=start, end=start + timedelta(days=8)))
        tomorrow = start + timedelta(days=1)
        return super().get_context_data(
            today_jobs=[a for a in week if a.order.starts_at < tomorrow],
            later_jobs=[a for a in week if a.order.starts_at >= tomorrow],
            has_profile=StaffMember.objects.filter(agency=self.agency, user=self.user).exists(),
            **kwargs,
        )


class MyJobView(TenantObjectMixin, DetailView):
    area = Area.MY_JOBS
    model = Assignment
    #: The isolation sweep makes "own" objects belong to the requesting user through this.
    owner_lookup = "staff__user"
    template_name = "orders/field/my_job.html"
    context_object_name = "assignment"

    def get_queryset(self) -> QuerySet[Assignment]:
        return selectors.jobs_of_staff_user(agency=self.agency, user=self.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        assignment: Assignment = self.object
        return super().get_context_data(
            order=assignment.order,
            needs=assignment.order.needs_form,
            contact_open=staff_may_see_contact(assignment, at=timezone.now()),
            window=contact_window(assignment),
            **kwargs,
        )


class MyJobRevealView(MyJobView):
    """HTMX POST: the full address or phone, inside the window, audited."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            value = staff_reveal_contact(
                assignment=self.object, actor=self.actor, field=request.POST.get("field", "")
            )
        except PermissionDenied as refusal:
            return HttpResponseForbidden(str(refusal))
        return render(request, "orders/_revealed.html", {"value": value})


class MyRecordsView(TenantMixin, TemplateView):
    """My certificates and trainings, with this year's count against the target of two."""

    area = Area.MY_JOBS
    template_name = "orders/field/my_records.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = (
            StaffMember.objects.filter(agency=self.agency, user=self.user)
            .prefetch_related("certificates", "trainings", "skills")
            .first()
        )
        year = self.agency.today().year
        trainings = list(profile.trainings.all()) if profile else []
        return super().get_context_data(
            profile=profile,
            trainings=trainings,
            trainings_this_year=sum(1 for t in trainings if t.held_on.year == year),
            expiring_before=self.agency.today() + timedelta(days=30),
            **kwargs,
        )
