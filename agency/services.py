"""Writes of the agency app: one transaction each, audited."""

from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.invitations import INVITATION_VALID_FOR, SiteAddress, send_invitation
from agency.models import (
    Agency,
    Branch,
    Heartbeat,
    Invitation,
    Membership,
    Notification,
    Role,
    TenantModel,
    User,
)

BRANCH_FIELDS = ("name", "code", "address", "phone", "is_active")
AGENCY_SETTINGS_FIELDS = (
    "name",
    "time_zone",
    "default_language",
    "currency",
    "free_cancellation_hours",
    "late_cancellation_fee_percent",
    "recurring_horizon_days",
    "confirmation_link_days",
    "portal_session_days",
    "address_reveal_hours",
    "check_in_opens_minutes",
    "late_grace_minutes",
    "no_show_after_minutes",
    "travel_gap_minutes",
    "day_before_at",
    "jobs_reminder_at",
    "ack_within_minutes",
    "ack_within_minutes_soon",
    "legal_name",
    "address",
    "phone",
    "tax_number",
    "bank_account",
    "tax_rate_percent",
    "payment_terms_days",
    "monthly_invoicing",
    "satisfaction_target_percent",
    "participation_target_percent",
    "complaint_response_target_hours",
    "complaint_completion_target_percent",
    "trainings_per_year",
    "training_target_percent",
    "turnover_target_percent",
)
MEMBERSHIP_FIELDS = ("role", "branch", "is_active")
INVITATION_FIELDS = ("email", "role", "branch", "expires_at")

M = TypeVar("M", bound=Model)
T = TypeVar("T", bound=TenantModel)


@transaction.atomic
def branch_create(
    *,
    agency: Agency,
    actor: Actor,
    name: str,
    code: str,
    address: str = "",
    phone: str = "",
    is_active: bool = True,
) -> Branch:
    """Open a branch (门店). Name and code are unique within the agency."""
    branch = Branch(
        agency=agency, name=name, code=code, address=address, phone=phone, is_active=is_active
    )
    return _create(branch, actor=actor, action="branch.create", audited=BRANCH_FIELDS)


@transaction.atomic
def branch_update(*, branch: Branch, actor: Actor, **fields: Any) -> Branch:
    """Change a branch's details; a branch is closed by making it inactive, never deleted."""
    return _update(
        branch,
        actor=actor,
        agency=branch.agency,
        action="branch.update",
        allowed=BRANCH_FIELDS,
        fields=fields,
    )


@transaction.atomic
def agency_update_settings(*, agency: Agency, actor: Actor, **fields: Any) -> Agency:
    """A manager changes the agency's settings (AGENCY_SETTINGS_FIELDS): name, time zone,
    language, currency, cancellation, billing, and the targets the reports measure."""
    return _update(
        agency,
        actor=actor,
        agency=agency,
        action="agency.update_settings",
        allowed=AGENCY_SETTINGS_FIELDS,
        fields=fields,
    )


@transaction.atomic
def member_invite(
    *,
    agency: Agency,
    actor: Actor,
    site: SiteAddress,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    branch: Branch | None = None,
) -> Invitation:
    """Invite a person to a role in the agency by email (after commit).

    Nothing about existing accounts is read: the answer is the same for any
    address, and the person joins (with a new account or their own) only by
    accepting. Inviting the same address again renews the open invitation.
    """
    _check_branch(agency, branch)
    now = timezone.now()
    fields = {
        "first_name": first_name,
        "last_name": last_name,
        "role": role,
        "branch": branch,
        "invited_by": actor.user,
        "created_at": now,
        "expires_at": now + INVITATION_VALID_FOR,
    }
    invitation = (
        Invitation.objects.select_for_update()
        .filter(agency=agency, email__iexact=email, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation(agency=agency, email=email)
    for name, value in fields.items():
        setattr(invitation, name, value)
    invitation.full_clean()
    invitation.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="member.invite",
        target=invitation,
        changes=changes_between({}, snapshot(invitation, INVITATION_FIELDS)),
    )
    transaction.on_commit(lambda: send_invitation(invitation=invitation, site=site))
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    actor: Actor,
    user: User | None = None,
    username: str = "",
    password: str = "",
) -> Membership:
    """The invited person takes the role: with their account (`user`), or a new one.

    A new account gets the invitation's email and names; the link proved the
    address. An invitation is accepted once and not after it expires.
    """
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if current.accepted_at is not None or current.has_expired:
        raise ValidationError(_("This invitation has expired or has been used."))
    if user is None:
        user = User(
            username=username,
            email=current.email,
            first_name=current.first_name,
            last_name=current.last_name,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
    elif Membership.objects.filter(agency=current.agency, user=user).exists():
        raise ValidationError(_("You are already a member of this agency."))
    membership = _create(
        Membership(agency=current.agency, user=user, role=current.role, branch=current.branch),
        actor=Actor(user=user, ip_address=actor.ip_address),
        action="member.add",
        audited=MEMBERSHIP_FIELDS,
    )
    current.accepted_at = timezone.now()
    current.membership = membership
    current.save(update_fields=["accepted_at", "membership"])
    return membership


@transaction.atomic
def member_update(*, membership: Membership, actor: Actor, **fields: Any) -> Membership:
    """Change a member's role, home branch or whether they may log in to the agency.

    An agency always keeps one active manager, or nobody could manage it.
    """
    _check_branch(membership.agency, fields.get("branch"))
    # Lock the agency's managers first: two managers demoting each other at
    # the same moment then run one after the other, and the second is refused.
    managers = Membership.objects.filter(
        agency=membership.agency, role=Role.MANAGER, is_active=True
    )
    list(managers.select_for_update())
    updated = _update(
        membership,
        actor=actor,
        agency=membership.agency,
        action="member.update",
        allowed=MEMBERSHIP_FIELDS,
        fields=fields,
    )
    if not managers.exists():
        raise ValidationError({"role": _("The agency must keep at least one active manager.")})
    return updated


def _check_branch(agency: Agency, branch: Branch | None) -> None:
    if branch is not None and branch.agency_id != agency.pk:
        raise ValidationError({"branch": _("Choose a branch of this agency.")})


def api_tokens_revoke(*, user: User) -> int:
    """End every API token of the account (password changed or reset, logged out); how many."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted


def user_set_language(*, user: User, language: str) -> None:
    """The user's own language choice overrides the agency default ('' clears it)."""
    user.preferred_language = language
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["preferred_language"])


def _create(instance: T, *, actor: Actor, action: str, audited: tuple[str, ...]) -> T:
    """Validate and save a new tenant row, and audit its first values."""
    instance.full_clean()
    instance.save()
    audit_record(
        agency=instance.agency,
        actor=actor,
        action=action,
        target=instance,
        changes=changes_between({}, snapshot(instance, audited)),
    )
    return instance


def _update(
    instance: M,
    *,
    actor: Actor,
    agency: Agency,
    action: str,
    allowed: tuple[str, ...],
    fields: dict[str, Any],
) -> M:
    """Apply `fields` to the locked row as stored and audit what really changed.

    The caller's instance may already hold the new values (a ModelForm writes
    them during validation), so "before" is read from the database.
    """
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{action} cannot change {sorted(unknown)}")
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    before = snapshot(current, allowed)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    changes = changes_between(before, snapshot(current, allowed))
    if changes:
        current.save(update_fields=list(changes))
        audit_record(agency=agency, actor=actor, action=action, target=current, changes=changes)
    return current


HEARTBEAT_KEEP = timedelta(days=1)


@transaction.atomic
def heartbeat_record(*, hostname: str) -> bool:
    """Record that beat and a worker are alive; True if this slot was new.

    The slot is the current time floored to the beat interval, and unique, so
    a duplicate beat or a redelivered task in the same slot adds nothing.
    """
    now = timezone.now()
    interval = settings.HEARTBEAT_INTERVAL_SECONDS
    slot = datetime.fromtimestamp(now.timestamp() // interval * interval, tz=UTC)
    _, created = Heartbeat.objects.get_or_create(
        slot=slot, defaults={"recorded_at": now, "hostname": hostname}
    )
    Heartbeat.objects.filter(slot__lt=now - HEARTBEAT_KEEP).delete()
    return created


def notifications_mark_read(*, agency: Agency, user: User, pk: int | None = None) -> int:
    """Mark one notice (or, without `pk`, all) of this person as read; how many changed."""
    unread = Notification.objects.filter(agency=agency, user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
