"""Amendments and renewals of a signed placement contract (issue 20).

Either is a new contract version with the proposed terms (a new price, new dates,
another staff member, a longer term), out for signature like the original. Nothing
changes until all three have signed; then `amendment_apply` gives the placement its
terms, moves the order's window, puts the newcomer in by the replacement flow and
rebuilds the charges not invoiced yet.
"""

import copy
import uuid
from dataclasses import asdict
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.bounds import TEXT_MAX_LENGTH
from agency.errors import StateConflict
from agency.idempotency import refuse_repeat
from orders.schedule.services import order_window_set
from orders.staffing.matching import explain_exclusion
from orders.staffing.services import assignment_replace
from placements.billing import placement_schedule_rebuild
from placements.contracts import (
    contract_send,
    current_template,
    refuse_incomplete,
    require_office,
    snapshot,
)
from placements.lifecycle import placement_lock
from placements.models import (
    ContractKind,
    ContractStatus,
    ContractVersion,
    Placement,
    PlacementStatus,
)
from placements.models.placements import RUNNING
from placements.selectors import confirmed_staff
from placements.terms import TERM_FIELDS, Terms, service_window
from staff.models import StaffMember

#: What an amendment may change; a renewal is an amendment that runs the term longer.
AMENDABLE = (ContractKind.AMENDMENT, ContractKind.RENEWAL)


@transaction.atomic
def contract_amend(
    *,
    placement: Placement,
    actor: Actor,
    terms: Terms,
    reason: str,
    staff: StaffMember | None = None,
    kind: str = ContractKind.AMENDMENT,
    submission_key: uuid.UUID | None = None,
) -> ContractVersion:
    """A new version with the proposed terms (and `staff`, a replacement), out for
    signature; the previous versions stay. Refused, by field: a reason missing, terms
    incomplete, a first day moved once the placement began, a renewal that does not run
    past the last day, a newcomer who cannot take the job, new dates that clash with
    another job of the staff member. The same `submission_key` again (a double click,
    under the placement's lock) answers the version it made."""
    require_office(actor, placement.agency_id)
    if kind not in AMENDABLE:
        raise ValidationError({"kind": _("An amendment or a renewal.")})
    placement = placement_lock(placement)
    refuse_repeat(
        ContractVersion.objects.filter(agency_id=placement.agency_id),
        submission_key,
        lambda earlier: (
            _("Version %(number)s is out for signature already.") % {"number": earlier.number}
        ),
    )
    if placement.status not in RUNNING:
        raise StateConflict(_("Only a signed contract is amended."))
    versions = ContractVersion.objects.filter(placement=placement)
    if versions.filter(status=ContractStatus.OUT_FOR_SIGNATURE).exists():
        raise StateConflict(_("A version is already out for signature."))
    proposed = _proposed(placement, terms)
    reason = reason.strip()
    errors = _change_errors(placement, proposed, kind=kind)
    if not reason:
        errors["reason"] = _("Say why the contract is amended.")
    elif len(reason) > TEXT_MAX_LENGTH:
        errors["reason"] = _("At most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}
    current = confirmed_staff(placement)
    if staff is not None:
        errors |= _newcomer_errors(
            placement, staff, current_staff_id=current.staff_id if current else None
        )
    if errors:
        raise ValidationError(errors)
    _try_window(placement, proposed, actor=actor)
    latest = versions.order_by("-number").first()
    language = latest.language if latest else "zh-hans"
    party = staff or (current.staff if current else None)
    version = ContractVersion(
        agency_id=placement.agency_id,
        placement=placement,
        number=(latest.number if latest else 0) + 1,
        kind=kind,
        template=current_template(placement, language),
        language=language,
        staff=party,
        replaces=current if staff is not None else None,
        terms=snapshot(proposed, language, party),
        reason=reason,
        submission_key=submission_key,
        created_by=actor.user,
    )
    contract_send(version)
    audit_record(
        agency=placement.agency,
        actor=actor,
        action=f"contract.{kind}",
        target=placement,
        changes={
            "contract": [None, version.number],
            "reason": [None, reason],
            **({"staff": [current and current.staff.name, staff.name]} if staff else {}),
        },
    )
    return version


def _proposed(placement: Placement, terms: Terms) -> Placement:
    """An unsaved copy of the placement with the proposed terms, checked as a placement."""
    proposed = copy.copy(placement)
    for name, value in asdict(terms).items():
        setattr(proposed, name, value.strip() if isinstance(value, str) else value)
    proposed.full_clean(exclude=["order"])
    refuse_incomplete(proposed)
    return proposed


def _change_errors(placement: Placement, proposed: Placement, *, kind: str) -> dict[str, str]:
    errors = {}
    if placement.status == PlacementStatus.ACTIVE and proposed.starts_on != placement.starts_on:
        errors["starts_on"] = _("The placement has begun: its first day stays.")
    if kind == ContractKind.RENEWAL and proposed.ends_on <= placement.ends_on:
        errors["ends_on"] = _("A renewal runs past the last day, %(day)s.") % {
            "day": placement.ends_on.isoformat()
        }
    return errors


def _newcomer_errors(
    placement: Placement, staff: StaffMember, *, current_staff_id: int | None
) -> dict[str, str]:
    if current_staff_id is None:
        return {"staff": _("No staff member is confirmed to be replaced.")}
    if staff.pk == current_staff_id:
        return {"staff": _("Choose someone else.")}
    reasons = explain_exclusion(order=placement.order, staff=staff)
    return {"staff": f"{staff.name}: {' '.join(reasons)}"} if reasons else {}


def _try_window(placement: Placement, proposed: Placement, *, actor: Actor) -> None:
    """Refuse new dates now, by the same exclusion constraint that guards them when the
    amendment is signed: the order is moved in a savepoint, then rolled back."""
    if (proposed.starts_on, proposed.ends_on) == (placement.starts_on, placement.ends_on):
        return
    starts_at, ends_at = service_window(placement.order, proposed.starts_on, proposed.ends_on)
    try:
        with transaction.atomic():
            order_window_set(
                order=placement.order, starts_at=starts_at, ends_at=ends_at, actor=actor
            )
            transaction.set_rollback(True)
    except (ValidationError, StateConflict) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise ValidationError({"ends_on": messages}) from None


def amendment_apply(*, placement: Placement, version: ContractVersion, actor: Actor) -> None:
    """All three signed the amendment: its terms become the placement's, the order's window
    follows the dates, the newcomer replaces the staff member, the charges not invoiced
    yet follow the new terms. A clash that came up since the amendment went out is
    refused here, and the last signature with it."""
    placement = placement_terms_apply(placement=placement, version=version, actor=actor)
    order = placement.order
    starts_at, ends_at = service_window(order, placement.starts_on, placement.ends_on)
    order_window_set(order=order, starts_at=starts_at, ends_at=ends_at, actor=actor)
    if version.replaces is not None and version.staff is not None:
        assignment_replace(
            order=order,
            assignment=version.replaces,
            staff=version.staff,
            reason=version.reason,
            actor=actor,
            customer_agreed=True,
        )
    placement_schedule_rebuild(placement, actor=actor)


def placement_terms_apply(
    *, placement: Placement, version: ContractVersion, actor: Actor
) -> Placement:
    """The signed version's terms become the placement's (past the draft-only rule of
    `placements.terms`: every party has signed them)."""
    placement = placement_lock(placement)
    proposed = version.terms["terms"]
    before = {name: str(getattr(placement, name)) for name in TERM_FIELDS}
    for name in TERM_FIELDS:
        value = proposed.get(name, before[name])
        field = cast("Field[Any, Any]", Placement._meta.get_field(name))
        setattr(placement, name, None if value == "None" else field.to_python(value))
    placement.save(update_fields=[*TERM_FIELDS, "updated_at"])
    after = {name: str(getattr(placement, name)) for name in TERM_FIELDS}
    audit_record(
        agency=placement.agency,
        actor=actor,
        action="placement.terms_amended",
        target=placement,
        changes={
            name: [before[name], after[name]] for name in before if before[name] != after[name]
        },
    )
    return placement
