"""The attendance pages: the clock card of every office member, the manager's monthly
report (with its CSV), a member's month with corrections, the policy and days off."""

import csv
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from agency.models import Agency, Membership
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin, attach_errors
from attendance import selectors, services
from attendance.forms import (
    AttendanceCorrectionForm,
    AttendancePolicyForm,
    OfficeDayOffForm,
    OfficeDayOffRemoveForm,
)
from attendance.models import OfficeDayOff


def _month_or_none(request: HttpRequest, agency: Agency) -> date | None:
    try:
        return selectors.parse_month(request.GET.get("month"), agency=agency)
    except ValueError:
        return None


def _bad_month() -> HttpResponseBadRequest:
    return HttpResponseBadRequest(_("Name the month as YYYY-MM, e.g. 2026-12."))


def _month_links(month: date) -> dict[str, str]:
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return {"previous": previous.strftime("%Y-%m"), "next": following.strftime("%Y-%m")}


class ClockView(TenantMixin, View):
    """Today's card (clock in, clock out) and the member's own month."""

    area = Area.OFFICE_ATTENDANCE

    def get(self, request: HttpRequest) -> HttpResponse:
        month = _month_or_none(request, self.agency)
        if month is None:
            return _bad_month()
        context = {
            "today": selectors.today_for(agency=self.agency, user=self.user),
            "policy": selectors.policy_for(self.agency),
            "month": month,
            "links": _month_links(month),
            "days": selectors.days_of(agency=self.agency, user=self.user, month=month),
        }
        return render(request, "attendance/clock.html", context)


class ClockInView(TenantMixin, View):
    area = Area.OFFICE_ATTENDANCE

    def post(self, request: HttpRequest) -> HttpResponse:
        result = services.clock_in(agency=self.agency, actor=self.actor)
        moment = timezone.localtime(result.day.clocked_in_at, self.agency.zone)
        if result.created:
            messages.success(request, _("Clocked in at %(time)s.") % {"time": _time(moment)})
        else:
            messages.info(
                request, _("You clocked in at %(time)s already.") % {"time": _time(moment)}
            )
        return redirect("attendance")


class ClockOutView(TenantMixin, View):
    area = Area.OFFICE_ATTENDANCE

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            record = services.clock_out(agency=self.agency, actor=self.actor)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("attendance")
        moment = timezone.localtime(record.clocked_out_at, self.agency.zone)
        messages.success(request, _("Clocked out at %(time)s.") % {"time": _time(moment)})
        return redirect("attendance")


def _time(moment: datetime | None) -> str:
    return date_format(moment, "TIME_FORMAT") if moment else ""


class ReportView(TenantMixin, View):
    """The manager's month: each office member's days worked, late, early and absent days
    and the deductions."""

    area = Area.ATTENDANCE_REPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        month = _month_or_none(request, self.agency)
        if month is None:
            return _bad_month()
        report = selectors.month_report(agency=self.agency, month=month)
        context = {"report": report, "month": month, "links": _month_links(month)}
        return render(request, "attendance/report.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


class ReportCsvView(TenantMixin, View):
    """The month's report as CSV for Excel (UTF-8 with a BOM, so Chinese opens right)."""

    area = Area.ATTENDANCE_REPORT

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        month = _month_or_none(request, self.agency)
        if month is None:
            return _bad_month()
        report = selectors.month_report(agency=self.agency, month=month)
        response = StreamingHttpResponse(
            self._lines(report), content_type="text/csv; charset=utf-8"
        )
        filename = f"attendance-{month.strftime('%Y-%m')}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _lines(self, report: selectors.MonthReport) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff"
        yield writer.writerow(
            [
                _("Member"),
                _("Role"),
                _("Days worked"),
                _("Late days"),
                _("Early leaves"),
                _("Absent days"),
                _("Deductions (%(currency)s)") % {"currency": self.agency.currency},
            ]
        )
        for row in report.rows:
            member = row.membership
            yield writer.writerow(
                [
                    member.user.get_full_name() or member.user.username,
                    member.get_role_display(),
                    row.days_worked,
                    row.late_days,
                    row.early_leaves,
                    row.absent_days,
                    f"{row.deductions:.2f}",
                ]
            )


class MemberMonthView(TenantObjectMixin, View):
    """One office member's month, day by day; the manager corrects a day's times here."""

    area = Area.ATTENDANCE_REPORT
    model = Membership

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.office_members(self.agency)

    def page(self, month: date, form: AttendanceCorrectionForm, status: int = 200) -> HttpResponse:
        context = {
            "member": self.object,
            "month": month,
            "links": _month_links(month),
            "summary": selectors.member_month(
                agency=self.agency, membership=self.object, month=month
            ),
            "form": form,
        }
        return render(self.request, "attendance/member.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.object  # noqa: B018 -- another agency's member is a 404 before anything else
        month = _month_or_none(request, self.agency)
        if month is None:
            return _bad_month()
        return self.page(month, AttendanceCorrectionForm(initial={"day": self.agency.today()}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self.object
        form = AttendanceCorrectionForm(request.POST)
        month = _month_or_none(request, self.agency) or self.agency.today().replace(day=1)
        if not form.is_valid():
            return self.page(month, form, status=400)
        data = form.cleaned_data
        try:
            services.attendance_correct(
                agency=self.agency,
                actor=self.actor,
                membership=member,
                day=data["day"],
                clocked_in=data["clocked_in"],
                clocked_out=data["clocked_out"],
                reason=data["reason"],
            )
        except ValidationError as error:
            attach_errors(form, error)
            return self.page(month, form, status=400)
        messages.success(request, _("Attendance corrected."))
        response = redirect("attendance_member", pk=member.pk)
        response["Location"] += f"?month={data['day'].strftime('%Y-%m')}"
        return response


class _PolicyPage(TenantMixin, View):
    area = Area.ATTENDANCE_REPORT

    def policy_form(self) -> AttendancePolicyForm:
        policy = selectors.policy_for(self.agency)
        return AttendancePolicyForm(
            initial={name: getattr(policy, name) for name in services.POLICY_FIELDS}
        )

    def page(
        self,
        form: AttendancePolicyForm,
        day_off_form: OfficeDayOffForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "form": form,
            "day_off_form": day_off_form or OfficeDayOffForm(),
            "days_off": OfficeDayOff.objects.filter(
                agency=self.agency, day__gte=self.agency.today().replace(month=1, day=1)
            ),
        }
        return render(self.request, "attendance/policy.html", context, status=status)


class PolicyView(_PolicyPage):
    """The manager's office hours, grace, working days and deductions; the days off."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(self.policy_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AttendancePolicyForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            services.attendance_policy_save(
                agency=self.agency, actor=self.actor, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
            return self.page(form, status=400)
        messages.success(request, _("Office hours saved."))
        return redirect("attendance_policy")


class DayOffAddView(_PolicyPage):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = OfficeDayOffForm(request.POST)
        policy_form = self.policy_form()
        if not form.is_valid():
            return self.page(policy_form, form, status=400)
        try:
            services.office_day_off_add(agency=self.agency, actor=self.actor, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
            return self.page(policy_form, form, status=400)
        messages.success(request, _("Day off added."))
        return redirect("attendance_policy")


class DayOffRemoveView(TenantMixin, View):
    area = Area.ATTENDANCE_REPORT

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OfficeDayOffRemoveForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Name the day to open again."))
        try:
            services.office_day_off_remove(
                agency=self.agency, actor=self.actor, day=form.cleaned_data["day"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Day off removed."))
        return redirect("attendance_policy")
