from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency
from orders.models import Price, ServiceType

SERVICE_TYPE_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "category",
    "pricing_unit",
    "required_skills",
    "required_certificates",
    "is_special",
    "is_repair",
    "is_placement",
    "task_checklist",
    "preparation_checklist",
    "valuables_check",
    "is_active",
)


@transaction.atomic
def service_type_create(*, agency: Agency, actor: Actor, **fields: Any) -> ServiceType:
    service_type = ServiceType(agency=agency, **fields)
    service_type.full_clean()
    service_type.save()
    audit_record(
        agency=agency,
        actor=actor,
        action="service_type.create",
        target=service_type,
        changes=changes_between({}, snapshot(service_type, SERVICE_TYPE_FIELDS)),
    )
    return service_type


@transaction.atomic
def service_type_update(*, service_type: ServiceType, actor: Actor, **fields: Any) -> ServiceType:
    if set(fields) - set(SERVICE_TYPE_FIELDS):
        raise TypeError(
            f"service_type_update cannot change {sorted(set(fields) - set(SERVICE_TYPE_FIELDS))}"
        )
    current = ServiceType.objects.select_for_update().get(pk=service_type.pk)
    before = snapshot(current, SERVICE_TYPE_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    changes = changes_between(before, snapshot(current, SERVICE_TYPE_FIELDS))
    if changes:
        current.save(update_fields=list(changes))
        audit_record(
            agency=current.agency,
            actor=actor,
            action="service_type.update",
            target=current,
            changes=changes,
        )
    return current


@transaction.atomic
def price_set(
    *, service_type: ServiceType, actor: Actor, unit_price: Decimal, effective_from: date
) -> Price:
    """A new price from a date on; the price before it ends that day (no gap, no overlap).

    Prices already used by quotes stay as they were, so an old quote keeps its
    old price. A price cannot start before the current one: history is not rewritten.
    """
    # The service type's row serialises price changes (also the very first price).
    ServiceType.objects.select_for_update().get(pk=service_type.pk)
    if effective_from < service_type.agency.today():
        raise ValidationError({"effective_from": _("A price cannot start in the past.")})
    prices = Price.objects.select_for_update().filter(
        agency_id=service_type.agency_id, service_type=service_type
    )
    latest = prices.order_by("-valid_during").first()
    if latest is not None:
        if effective_from <= latest.valid_during.lower:
            raise ValidationError(
                {
                    "effective_from": _(
                        "A new price must start after %(date)s, when the current one started."
                    )
                    % {"date": latest.valid_during.lower.isoformat()}
                }
            )
        latest.valid_during = DateRange(latest.valid_during.lower, effective_from, "[)")
        latest.save(update_fields=["valid_during"])
    price = Price(
        agency_id=service_type.agency_id,
        service_type=service_type,
        unit_price=unit_price,
        valid_during=DateRange(effective_from, None, "[)"),
    )
    price.full_clean()
    price.save()
    audit_record(
        agency=service_type.agency,
        actor=actor,
        action="price.set",
        target=service_type,
        changes={
            "unit_price": [str(latest.unit_price) if latest else None, str(unit_price)],
            "effective_from": effective_from.isoformat(),
        },
    )
    return price
