"""The acceptance record (验收记录) as a PDF: every round, its sign-offs, failed items and
rework, the service log and the approved changes, in Chinese or English.

Built only by the reports queue's worker (agency.documents; registered in
orders/apps.py). `with_record_marks` reads, in the same query as the order, what the
record's version is made of, so that a new round, a sign-off, a log entry, an approved
change, a rework or a change of team asks for a new document.
"""

from typing import Any

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from agency.documents import DocumentKey, content_version
from agency.models import Agency, Document
from agency.pdf import render_pdf
from orders.models import (
    AcceptanceRound,
    ChangeRequest,
    ChangeStatus,
    FailedItem,
    Order,
    ServiceLogEntry,
    Signoff,
)
from orders.service import selectors
from orders.staffing import selectors as staffing_selectors
from orders.staffing.models import Assignment, AssignmentStatus

ACCEPTANCE_RECORD_DOCUMENT = "acceptance_record"

_MARKS = (
    "record_last_round",
    "record_last_signoff",
    "record_last_log_entry",
    "record_last_change_decided",
    "record_last_rework",
    "record_responsible",
    "record_team",
)


def _last(queryset: QuerySet[Any], field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _sum(queryset: QuerySet[Any], field: str) -> Subquery:
    summed = queryset.values("order").annotate(total=Sum(field)).values("total")
    return Subquery(summed, output_field=IntegerField())


def with_record_marks(orders: QuerySet[Order]) -> QuerySet[Order]:
    """The orders with what their acceptance record's version is made of (subqueries)."""
    of_order = {"order": OuterRef("pk"), "agency_id": OuterRef("agency_id")}
    return orders.annotate(
        record_last_round=_last(AcceptanceRound.objects.filter(**of_order), "id"),
        record_last_signoff=_last(
            Signoff.objects.filter(round__order=OuterRef("pk"), agency_id=OuterRef("agency_id")),
            "id",
        ),
        record_last_log_entry=_last(ServiceLogEntry.objects.filter(**of_order), "id"),
        record_last_change_decided=_last(
            ChangeRequest.objects.filter(**of_order, status=ChangeStatus.APPROVED),
            "decided_at",
        ),
        record_last_rework=_last(
            FailedItem.objects.filter(**of_order, reworked_at__isnull=False), "reworked_at"
        ),
        # A sum of ids moves when one is replaced: a reassigned rework, a changed team.
        record_responsible=Coalesce(_sum(FailedItem.objects.filter(**of_order), "responsible"), 0),
        record_team=Coalesce(
            _sum(Assignment.objects.filter(**of_order, status=AssignmentStatus.CONFIRMED), "id"),
            0,
        ),
    )


def acceptance_record_document(order: Order, *, agency: Agency, language: str) -> DocumentKey:
    """The order's acceptance record in `language`; `order` comes from `with_record_marks`."""
    return DocumentKey(
        agency_id=agency.pk,
        kind=ACCEPTANCE_RECORD_DOCUMENT,
        ref=order.pk,
        version=content_version(
            order.status,
            *(getattr(order, mark) for mark in _MARKS),
            agency.name,
            agency.legal_name,
        ),
        language=language,
        filename=f"acceptance-{order.number}.pdf",
    )


def build_acceptance_record(document: Document) -> bytes:
    """agency.documents' builder of ACCEPTANCE_RECORD_DOCUMENT (reports queue's worker)."""
    order = Order.objects.select_related("agency", "needs_form").get(
        agency_id=document.agency_id, pk=document.ref
    )
    agency = order.agency
    return render_pdf(
        "orders/acceptance_record.html",
        {
            "agency": agency,
            "order": order,
            "team": list(staffing_selectors.team_members(order)),
            "rounds": list(selectors.acceptance_history(order)),
            "log": list(selectors.service_log(order)),
            "approved_changes": list(
                selectors.change_requests_for(agency=agency).filter(
                    order=order, status=ChangeStatus.APPROVED
                )
            ),
            "printed_at": timezone.localtime(timezone.now(), agency.zone),
        },
        language=document.language,
    )
