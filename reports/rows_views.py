"""The rows behind a KPI: a page of 100 rows at a time, and the whole table as CSV.

The dashboard links each KPI here with its period and branch
(`reports.dashboard.ROWS`); the tables are `reports.exports.TABLES`.
"""

import csv
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.views import View
from django.views.generic import TemplateView

from agency.models import Branch
from agency.permissions import Area
from agency.tenant_views import TenantMixin
from reports.exports import TABLES, Table
from reports.periods import Period
from reports.views import DashboardFilterForm

ROWS_PER_PAGE = 100
#: The query values that choose the rows (the dashboard's filter, `to` for order moves and
#: `punctuality` for the no-shows).
FILTER_KEYS = ("period", "start", "end", "branch", "to", "punctuality")


class RowsMixin(TenantMixin):
    """The table the URL names (404 if none) and the period and branch the query chose.

    A query the filter form refuses (another agency's branch, a custom period
    without its days) falls back to this week and all branches, as the
    dashboard does.
    """

    area = Area.REPORTS
    kwargs: dict[str, Any]
    request: HttpRequest

    def table(self) -> Table:
        table = TABLES.get(self.kwargs["table"])
        if table is None:
            raise Http404
        return table

    def scope(self) -> tuple[DashboardFilterForm, Period, Branch | None]:
        form = DashboardFilterForm(self.request.GET or None, agency=self.agency)
        return (form, *form.chosen())

    def filter_query(self) -> str:
        """The query string of the filter alone (no page number)."""
        values = {k: self.request.GET[k] for k in FILTER_KEYS if self.request.GET.get(k)}
        return urlencode(values)

    def rows(self, table: Table, period: Period, branch: Branch | None) -> QuerySet[Any]:
        return table.rows(self.agency, period, branch, self.request.GET)


class RowsView(RowsMixin, TemplateView):
    """One table's rows for the period and branch, 100 to a page."""

    template_name = "reports/rows.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        table = self.table()
        form, period, branch = self.scope()
        page = Paginator(self.rows(table, period, branch), ROWS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        query = self.filter_query()
        context.update(
            table=table,
            headers=table.headers(),
            rows=[table.cells(row, self.agency.zone) for row in page.object_list],
            page_obj=page,
            is_paginated=page.has_other_pages(),
            filter_form=form,
            moved_to=self.request.GET.get("to", ""),
            punctuality=self.request.GET.get("punctuality", ""),
            period=period,
            branch=branch,
            csv_url=_with_query(reverse("report_rows_csv", args=[table.key]), query),
            dashboard_url=_with_query(reverse("dashboard"), query),
        )
        return context


class _Echo:
    """A file-like object that hands back what the csv writer writes (for streaming)."""

    def write(self, value: str) -> str:
        return value


#: A cell Excel would read as a formula is prefixed, so a comment cannot run one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    if not text.startswith(FORMULA_STARTS):
        return text
    try:
        Decimal(text)  # a negative amount is a number, not a formula
    except InvalidOperation:
        return f"'{text}"
    return text


class RowsCsvView(RowsMixin, View):
    """The whole table as CSV for Excel: UTF-8 with a BOM, so Chinese opens right."""

    def get(self, request: HttpRequest, **kwargs: Any) -> StreamingHttpResponse:
        table = self.table()
        _form, period, branch = self.scope()
        rows = self.rows(table, period, branch)
        response = StreamingHttpResponse(
            self._lines(table, rows, language=translation.get_language()),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"{table.key}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _lines(self, table: Table, rows: QuerySet[Any], *, language: str) -> Iterator[str]:
        writer = csv.writer(_Echo())
        zone = self.agency.zone
        # The response streams after the request's language is gone: keep it.
        with translation.override(language):
            yield "\ufeff"
            yield writer.writerow(table.headers())
            for row in rows.iterator(chunk_size=1000):
                yield writer.writerow([_safe(cell) for cell in table.cells(row, zone)])


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path
