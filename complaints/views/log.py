"""The complaint log (顾客投诉记录) and its CSV export."""

import csv
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from agency.masking import mask_phone
from agency.permissions import Area
from agency.tenant_views import TenantMixin
from complaints import selectors
from complaints.filters import ComplaintFilter
from complaints.models import Complaint, ComplaintEvent, DeadlineKind
from complaints.views.deadline_states import rows_of


class ComplaintLogView(TenantMixin, FilterView):
    """The complaint log (顾客投诉记录): every complaint of a period with each deadline."""

    area = Area.COMPLAINTS
    template_name = "complaints/log.html"
    filterset_class = ComplaintFilter
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.complaint_log(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            rows=rows_of(context["object_list"], now=timezone.now()),
            deadline_kinds=DeadlineKind.choices,
        )
        return context


class _Echo:
    """A file-like object that hands back what the csv writer writes (for streaming)."""

    def write(self, value: str) -> str:
        return value


#: A cell Excel would read as a formula is prefixed, so a description cannot run one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class ComplaintLogCsvView(TenantMixin, View):
    """The log as CSV for Excel: UTF-8 with a BOM (so Chinese opens right), one row per
    complaint, each deadline kind's due, met and breached times, the timeline summarised.

    A complaint reopened has a deadline of a kind per round; the columns show the latest.
    """

    area = Area.COMPLAINTS

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        filterset = ComplaintFilter(
            request.GET, queryset=selectors.complaint_log(agency=self.agency), request=request
        )
        if not filterset.is_valid():
            return HttpResponseBadRequest(_("Check the filters of the complaint log."))
        complaints = filterset.qs.prefetch_related(
            Prefetch(
                "events",
                queryset=ComplaintEvent.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            )
        )
        language = translation.get_language()
        response = StreamingHttpResponse(
            self._lines(complaints, language=language), content_type="text/csv; charset=utf-8"
        )
        filename = f"complaints-{self.agency.today().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _lines(self, complaints: QuerySet[Complaint], *, language: str) -> Iterator[str]:
        writer = csv.writer(_Echo())
        zone = self.agency.zone

        def local(moment: datetime | None) -> str:
            return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""

        with translation.override(language):
            yield "\ufeff"
            kinds = DeadlineKind.choices
            header = [
                _("Number"),
                _("Received"),
                _("Branch"),
                _("Customer"),
                _("Phone"),
                _("Order"),
                _("Staff concerned"),
                _("Channel"),
                _("Category"),
                _("Tier"),
                _("Severity"),
                _("Status"),
                _("What happened"),
                _("What the customer wants"),
            ]
            for _kind, label in kinds:
                header += [
                    _("%(deadline)s due") % {"deadline": label},
                    _("%(deadline)s met") % {"deadline": label},
                    _("%(deadline)s breached") % {"deadline": label},
                ]
            header += [
                _("Resolved"),
                _("Upheld"),
                _("Satisfaction (1–5)"),
                _("Closed"),
                _("Timeline"),
            ]
            yield writer.writerow(header)
            upheld = {True: _("yes"), False: _("no"), None: ""}
            for complaint in complaints.iterator(chunk_size=500):
                latest = {d.kind: d for d in complaint.deadlines.all()}
                row: list[Any] = [
                    complaint.number,
                    local(complaint.received_at),
                    complaint.branch.name,
                    complaint.customer.name,
                    mask_phone(complaint.customer.phone),
                    complaint.order.number if complaint.order else "",
                    complaint.staff.name if complaint.staff else "",
                    complaint.get_channel_display(),
                    complaint.get_category_display(),
                    complaint.get_tier_display(),
                    complaint.get_severity_display(),
                    complaint.get_status_display(),
                    complaint.description,
                    complaint.desired_outcome,
                ]
                for kind, _label in kinds:
                    deadline = latest.get(kind)
                    row += (
                        [
                            local(deadline.due_at),
                            local(deadline.met_at),
                            local(deadline.breached_at),
                        ]
                        if deadline
                        else ["", "", ""]
                    )
                row += [
                    local(complaint.resolved_at),
                    upheld[complaint.upheld],
                    complaint.satisfaction or "",
                    local(complaint.closed_at),
                    "\n".join(
                        f"{local(event.created_at)} {event.get_kind_display()}"
                        + (f": {' '.join(event.text.split())[:200]}" if event.text else "")
                        for event in complaint.events.all()
                    ),
                ]
                yield writer.writerow([_cell(value) for value in row])
