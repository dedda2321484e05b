"""Reads of the agency app; each takes the agency explicitly."""

from django.db.models import QuerySet

from agency.models import Agency, AuditLog, Branch


def branches_for(*, agency: Agency) -> QuerySet[Branch]:
    return Branch.objects.filter(agency=agency).order_by("name")


def audit_log_for(*, agency: Agency) -> QuerySet[AuditLog]:
    return (
        AuditLog.objects.filter(agency=agency)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
