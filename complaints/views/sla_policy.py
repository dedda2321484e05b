"""The SLA policy pages (a manager's): the deadlines per tier, the office calendar, the
holidays, and the compensation approval limit.

Each of the page's forms posts to its own URL through the one action base
(`agency.action_views`): a success says so and goes back to the page, a rejected
form shows the page again with its errors (400).
"""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from agency.action_views import ActionMixin
from agency.models import Agency
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from complaints import policy as sla
from complaints.forms import BaseOfficeHoursFormSet, HolidayForm, OfficeHoursFormSet, SlaPolicyForm
from complaints.models import Holiday, OfficeHours
from complaints.remedy_forms import RemedyPolicyForm
from complaints.services.remedies import remedy_policy_for, remedy_policy_update

#: Blank rows offered under the office calendar for new periods.
BLANK_OFFICE_ROWS = 3


class SlaPolicyActionMixin(ActionMixin):
    """An action of the policy page: back to that page, which is the agency's (no pk)."""

    page_name = "sla_policy"

    def back(self) -> HttpResponse:
        return redirect(self.page_name)


class SlaPolicyPage(SlaPolicyActionMixin, TenantMixin, TemplateView):
    """The complaint deadlines per tier, the office calendar and the holidays; the base of
    the page's form actions, which act on the agency and show a rejected form on it."""

    area = Area.SETTINGS
    template_name = "complaints/policy.html"

    @property
    def object(self) -> Agency:
        return self.agency

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
        if "remedy_form" not in kwargs:
            limit = remedy_policy_for(self.agency).approval_limit
            kwargs["remedy_form"] = RemedyPolicyForm(initial={"approval_limit": limit})
        this_year = self.agency.today().replace(month=1, day=1)
        return super().get_context_data(
            policy=policy,
            holidays=Holiday.objects.filter(agency=self.agency, day__gte=this_year).order_by("day"),
            today=self.agency.today(),
            **kwargs,
        )


class SlaPolicyView(SlaPolicyPage):
    """The page, and its form of deadlines (posted to the page's own URL)."""

    http_method_names = View.http_method_names
    form_class = SlaPolicyForm
    form_context_name = "policy_form"

    def act(self, agency: Agency, form: SlaPolicyForm) -> str:
        sla.sla_policy_update(agency=agency, actor=self.actor, **form.cleaned_data)
        return _("Complaint policy saved.")


class SlaOfficeHoursView(SlaPolicyPage):
    """The office calendar, a formset: its rows' errors by the rows, the service's above."""

    def make_form(self) -> Any:  # a formset, which the base asks only `is_valid()`
        return cast(BaseOfficeHoursFormSet, OfficeHoursFormSet(self.request.POST, prefix="hours"))

    def act(self, agency: Agency, form: BaseOfficeHoursFormSet) -> str:
        sla.office_hours_set(agency=agency, actor=self.actor, rows=form.rows())
        return _("Office hours saved.")

    def form_invalid(self, form: Any, hours_errors: list[str] | None = None) -> HttpResponse:
        context = self.get_context_data(hours_formset=form, hours_errors=hours_errors or [])
        return self.render_to_response(context, status=400)

    def rejected(self, form: Any, error: ValidationError) -> HttpResponse:
        return self.form_invalid(form, error.messages)


class SlaHolidayAddView(SlaPolicyPage):
    form_class = HolidayForm
    form_context_name = "holiday_form"

    def act(self, agency: Agency, form: HolidayForm) -> str:
        holiday = sla.holiday_add(agency=agency, actor=self.actor, **form.cleaned_data)
        return _("%(date)s is a holiday: office-hours clocks stand still on it.") % {
            "date": date_format(holiday.day, "DATE_FORMAT")
        }


class RemedyPolicyView(SlaPolicyPage):
    """The amount up to which a supervisor approves a compensation; above it, a manager."""

    form_class = RemedyPolicyForm
    form_context_name = "remedy_form"

    def act(self, agency: Agency, form: RemedyPolicyForm) -> str:
        policy = remedy_policy_update(agency=agency, actor=self.actor, **form.cleaned_data)
        return _("Compensation above %(limit)s now waits for a manager's approval.") % {
            "limit": policy.approval_limit
        }


class SlaHolidayRemoveView(SlaPolicyActionMixin, TenantObjectMixin, View):
    area = Area.SETTINGS
    model = Holiday

    def get_queryset(self) -> QuerySet[Holiday]:
        return Holiday.objects.all()

    def act(self, holiday: Holiday, form: None) -> str:
        sla.holiday_remove(agency=self.agency, actor=self.actor, holiday=holiday)
        return _("%(date)s is a working day again.") % {
            "date": date_format(holiday.day, "DATE_FORMAT")
        }
