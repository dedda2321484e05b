"""The payroll pages for finance and managers (issue 21): the periods, a period's statements
with its buttons (compute, approve the drafts, record them paid, the CSV), and one
statement's lines, each traceable to what it pays for."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from agency.action_views import ActionMixin
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin, attach_errors
from payroll import selectors
from payroll.compute import period_compute
from payroll.export import period_csv
from payroll.forms import PeriodOpenForm
from payroll.models import PayPeriod, PayStatement, StatementStatus
from payroll.statements import (
    pay_period_open,
    period_approve,
    period_pay,
    statement_approve,
    statement_pay,
)

#: Statements per page of a period (an agency pays up to a few thousand staff).
STATEMENTS_PER_PAGE = 100


class PeriodListView(TenantMixin, ListView):
    """The periods with their figures, and the form that opens a month's period."""

    area = Area.PAYROLL
    template_name = "payroll/periods.html"
    context_object_name = "periods"
    paginate_by = 24

    def get_queryset(self) -> QuerySet[PayPeriod]:
        return selectors.periods_for(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if "open_form" not in kwargs:
            today = self.agency.today()
            kwargs["open_form"] = PeriodOpenForm(initial={"year": today.year, "month": today.month})
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PeriodOpenForm(request.POST)
        if form.is_valid():
            try:
                period = pay_period_open(agency=self.agency, actor=self.actor, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                return redirect("payroll_period", pk=period.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(open_form=form), status=400)


class PeriodView(TenantObjectMixin):
    area = Area.PAYROLL
    model = PayPeriod

    def get_queryset(self) -> QuerySet[PayPeriod]:
        return selectors.periods_for(agency=self.agency)


class PeriodDetailView(PeriodView, DetailView):
    """A period's statements, a page at a time, with its figures and its buttons."""

    template_name = "payroll/period.html"
    context_object_name = "period"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        statements = selectors.statements_of(agency=self.agency, period=self.object)
        page = Paginator(statements, STATEMENTS_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            statements=page.object_list,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            **kwargs,
        )


class PeriodComputeView(ActionMixin, PeriodView, DetailView):
    page_name = "payroll_period"

    def act(self, period: PayPeriod, form: None) -> str:
        count = period_compute(period=period, actor=self.actor)
        return _("Statements computed: %(count)d.") % {"count": count}


class PeriodApproveView(ActionMixin, PeriodView, DetailView):
    page_name = "payroll_period"

    def act(self, period: PayPeriod, form: None) -> str:
        count = period_approve(period=period, actor=self.actor)
        if not count:
            return _("No draft statement to approve.")
        return _("Statements approved: %(count)d.") % {"count": count}


class PeriodPayView(ActionMixin, PeriodView, DetailView):
    page_name = "payroll_period"

    def act(self, period: PayPeriod, form: None) -> str:
        count = period_pay(period=period, actor=self.actor)
        if not count:
            return _("No approved statement to record paid.")
        return _("Statements recorded paid: %(count)d.") % {"count": count}


class PeriodCsvView(PeriodView, View):
    """The period's approved and paid statements for the bank or the payroll system: UTF-8
    with a BOM, so Excel opens the Chinese names right."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        period: PayPeriod = self.object
        body = "\ufeff" + period_csv(agency=self.agency, period=period)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        filename = f"payroll-{period.starts_on:%Y-%m}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class StatementView(TenantObjectMixin):
    area = Area.PAYROLL
    model = PayStatement

    def get_queryset(self) -> QuerySet[PayStatement]:
        return selectors.statement_with_lines(agency=self.agency)


class StatementDetailView(StatementView, DetailView):
    """One statement's lines: each job line links to its order, a problem shows in red."""

    template_name = "payroll/statement.html"
    context_object_name = "statement"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        statement: PayStatement = self.object
        return super().get_context_data(
            lines=list(statement.lines.all()),
            can_approve=statement.status == StatementStatus.DRAFT,
            can_pay=statement.status == StatementStatus.APPROVED,
            **kwargs,
        )


class StatementApproveView(ActionMixin, StatementView, DetailView):
    page_name = "payroll_statement"

    def act(self, statement: PayStatement, form: None) -> str:
        statement_approve(statement=statement, actor=self.actor)
        return _("Statement approved.")


class StatementPayView(ActionMixin, StatementView, DetailView):
    page_name = "payroll_statement"

    def act(self, statement: PayStatement, form: None) -> str:
        statement_pay(statement=statement, actor=self.actor)
        return _("Statement recorded paid.")
