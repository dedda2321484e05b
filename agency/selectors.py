"""Reads of the agency app; each takes the agency explicitly."""

from django.db.models import QuerySet

from agency.models import Agency, AuditLog, Branch, Invitation, Membership, Notification, User


def branches_for(*, agency: Agency) -> QuerySet[Branch]:
    return Branch.objects.filter(agency=agency).order_by("name")


def members_for(*, agency: Agency) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(agency=agency)
        .select_related("user", "branch")
        .order_by("-is_active", "role", "user__username")
    )


def open_invitations_for(*, agency: Agency) -> QuerySet[Invitation]:
    """Invitations not accepted yet, expired ones included (a manager may renew them)."""
    return (
        Invitation.objects.filter(agency=agency, accepted_at__isnull=True)
        .select_related("branch")
        .order_by("-created_at", "-id")
    )


def audit_log_for(*, agency: Agency) -> QuerySet[AuditLog]:
    return (
        AuditLog.objects.filter(agency=agency)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def notifications_for(*, agency: Agency, user: User) -> QuerySet[Notification]:
    """One person's in-app notices in this agency, newest first."""
    return Notification.objects.filter(agency=agency, user=user).order_by("-created_at", "-id")
