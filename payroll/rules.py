"""Writing the agency's pay rules (issue 21): its policy, and its rates by service and level
or for one staff member. Finance and managers (Area.PAYROLL) keep them; each change is
audited. A computed statement keeps what it was computed with; the next computation of
an open statement reads the rules as they are then."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency
from agency.permissions import Area, require
from orders.models import ServiceType
from payroll.models import PayPolicy, PayRate
from staff.models import Level, StaffMember

#: The fields of a rate a user chooses.
RATE_FIELDS = ("service_type", "level", "staff", "kind", "amount")


def policy_fields() -> list[str]:
    """Every field of the policy a user sets: the model's own, whatever later issues add."""
    return [
        field.name
        for field in PayPolicy._meta.concrete_fields
        if field.editable and not field.primary_key and field.name != "agency"
    ]


def _require_payroll(actor: Actor, agency_id: int) -> None:
    require(actor, Area.PAYROLL, agency_id=agency_id, message=_("Finance keeps the pay rules."))


@transaction.atomic
def pay_policy_save(*, agency: Agency, actor: Actor, **values: Any) -> PayPolicy:
    """Set the agency's pay policy (the first save makes its row; until then the defaults
    apply). Fields left out keep their value; each is checked by the model's validators."""
    _require_payroll(actor, agency.pk)
    fields = policy_fields()
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError({name: _("Not a field of the pay policy.") for name in unknown})
    policy = PayPolicy.objects.select_for_update().filter(agency=agency).first()
    if policy is None:
        policy = PayPolicy(agency=agency)
    before = snapshot(policy, fields) if policy.pk else {}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean(exclude=["agency"], validate_constraints=False)
    try:
        with transaction.atomic():
            policy.save()
    except IntegrityError:  # another save made the agency's row first
        raise ValidationError(_("The pay policy was saved meanwhile: try again.")) from None
    audit_record(
        agency=agency,
        actor=actor,
        action="payroll.policy",
        target=policy,
        changes=changes_between(before, snapshot(policy, fields)),
    )
    return policy


def _rate_errors(agency: Agency, rate: PayRate) -> dict[str, str]:
    """What makes a rate impossible, by field, in words the rules page can show."""
    errors: dict[str, str] = {}
    if (
        rate.service_type_id
        and not ServiceType.objects.filter(agency=agency, pk=rate.service_type_id).exists()
    ):
        errors["service_type"] = _("Choose one of the agency's services.")
    if rate.level_id and not Level.objects.filter(agency=agency, pk=rate.level_id).exists():
        errors["level"] = _("Choose one of the agency's levels.")
    if rate.staff_id and not StaffMember.objects.filter(agency=agency, pk=rate.staff_id).exists():
        errors["staff"] = _("Choose one of the agency's staff members.")
    if rate.level_id and rate.staff_id:
        errors["level"] = _(
            "A rate is for a level or for one staff member, not both: clear one of them."
        )
    if errors:
        return errors
    twin = PayRate.objects.filter(
        agency=agency, service_type=rate.service_type, level=rate.level, staff=rate.staff
    ).exclude(pk=rate.pk)
    if twin.exists():
        field = "staff" if rate.staff_id else "level" if rate.level_id else "service_type"
        errors[field] = _(
            "This service has a rate for it already: change that rate instead of adding one."
        )
    return errors


@transaction.atomic
def pay_rate_save(
    *,
    agency: Agency,
    actor: Actor,
    service_type: ServiceType,
    kind: str,
    amount: Decimal,
    level: Level | None = None,
    staff: StaffMember | None = None,
    rate: PayRate | None = None,
) -> PayRate:
    """Add a rate, or change `rate`. One rate per service and level (or staff member, or
    neither: any level); a rate is for a level or for one staff member, never both."""
    _require_payroll(actor, agency.pk)
    if rate is not None:
        rate = PayRate.objects.select_for_update().get(pk=rate.pk, agency=agency)
    else:
        rate = PayRate(agency=agency)
    before = snapshot(rate, RATE_FIELDS) if rate.pk else {}
    rate.service_type = service_type
    rate.level = level
    rate.staff = staff
    rate.kind = kind
    rate.amount = amount
    rate.full_clean(exclude=["agency"], validate_constraints=False)
    errors = _rate_errors(agency, rate)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError:  # the same rate added at the same moment
        raise ValidationError(
            {"service_type": _("This service has a rate for it already: change that rate.")}
        ) from None
    audit_record(
        agency=agency,
        actor=actor,
        action="payroll.rate",
        target=rate,
        changes=changes_between(before, snapshot(rate, RATE_FIELDS)),
    )
    return rate


@transaction.atomic
def pay_rate_delete(*, rate: PayRate, actor: Actor) -> None:
    """Remove a rate: jobs it would have paid and that no other rate pays then need
    attention on the next computation of their statement."""
    _require_payroll(actor, rate.agency_id)
    audit_record(
        agency=rate.agency,
        actor=actor,
        action="payroll.rate_delete",
        target=rate,
        changes=snapshot(rate, RATE_FIELDS),
    )
    PayRate.objects.filter(pk=rate.pk, agency_id=rate.agency_id).delete()
