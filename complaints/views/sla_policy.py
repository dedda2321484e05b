"""The SLA policy pages (a manager's): the deadlines per tier, the office calendar, the
holidays."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from complaints import policy as sla
from complaints.forms import (
    BaseOfficeHoursFormSet,
    HolidayForm,
    OfficeHoursFormSet,
    SlaPolicyForm,
    for_form,
)
from complaints.models import Holiday, OfficeHours

#: Blank rows offered under the office calendar for new periods.
BLANK_OFFICE_ROWS = 3


class SlaPolicyView(TenantMixin, TemplateView):
    """The complaint deadlines per tier, the office calendar and the holidays."""

    area = Area.SETTINGS
    template_name = "complaints/policy.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = sla.policy_for(self.agency)
        if "policy_form" not in kwargs:
            kwargs["policy_form"] = SlaPolicyForm(
                initial={name: getattr(policy, name) for name in SlaPolicyForm.base_fields}
            )
        if "hours_formset" not in kwargs:
            rows = [
                {"weekday": h.weekday, "opens": h.opens, "closes": h.closes}
                for h in OfficeHours.objects.filter(agency=self.agency).order_by("weekday", "opens")
            ]
            kwargs["hours_formset"] = OfficeHoursFormSet(
                initial=rows + [{"weekday": 0}] * BLANK_OFFICE_ROWS, prefix="hours"
            )
        kwargs.setdefault("holiday_form", HolidayForm())
        this_year = self.agency.today().replace(month=1, day=1)
        return super().get_context_data(
            policy=policy,
            holidays=Holiday.objects.filter(agency=self.agency, day__gte=this_year).order_by("day"),
            today=self.agency.today(),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SlaPolicyForm(request.POST)
        if form.is_valid():
            try:
                sla.sla_policy_update(agency=self.agency, actor=self.actor, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, for_form(error, form, {}))
            else:
                messages.success(request, _("Complaint policy saved."))
                return redirect("sla_policy")
        return self.render_to_response(self.get_context_data(policy_form=form), status=400)


class SlaOfficeHoursView(SlaPolicyView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        formset = cast(BaseOfficeHoursFormSet, OfficeHoursFormSet(request.POST, prefix="hours"))
        hours_errors: list[str] = []
        if formset.is_valid():
            try:
                sla.office_hours_set(agency=self.agency, actor=self.actor, rows=formset.rows())
            except ValidationError as error:
                hours_errors = error.messages
            else:
                messages.success(request, _("Office hours saved."))
                return redirect("sla_policy")
        return self.render_to_response(
            self.get_context_data(hours_formset=formset, hours_errors=hours_errors), status=400
        )


class SlaHolidayAddView(SlaPolicyView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = HolidayForm(request.POST)
        if form.is_valid():
            try:
                holiday = sla.holiday_add(agency=self.agency, actor=self.actor, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, for_form(error, form, {}))
            else:
                messages.success(
                    request,
                    _("%(date)s is a holiday: office-hours clocks stand still on it.")
                    % {"date": date_format(holiday.day, "DATE_FORMAT")},
                )
                return redirect("sla_policy")
        return self.render_to_response(self.get_context_data(holiday_form=form), status=400)


class SlaHolidayRemoveView(TenantObjectMixin, View):
    area = Area.SETTINGS
    model = Holiday
    http_method_names = ["post"]

    def get_queryset(self) -> QuerySet[Holiday]:
        return Holiday.objects.all()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseRedirect:
        holiday: Holiday = self.object
        sla.holiday_remove(agency=self.agency, actor=self.actor, holiday=holiday)
        messages.success(
            request,
            _("%(date)s is a working day again.")
            % {"date": date_format(holiday.day, "DATE_FORMAT")},
        )
        return redirect("sla_policy")
